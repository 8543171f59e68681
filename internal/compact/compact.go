// Package compact drops from the informer cache's copy of an object the
// status details its controller recomputes on every pass and that nothing
// reads from the cache. A MaturityTarget's rule details (blockedBy, each
// objective's blocking rule with the values it read, missingMetrics) are
// most of its size, and at 10,000 targets most of the operator's memory;
// the controller rewrites them from the evaluation on every pass, and the
// metrics collector, the watches and the field indexes read none of them.
//
// The compacted copy carries the digest of the whole status as the API
// server has it (status.CompactedDigest, never serialized), so the status
// writer can still tell that a pass changed nothing and skip the write.
// Readers that need the details (the dashboard, the report, kubectl) read
// the API server, not this cache.
package compact

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Object compacts obj in place; kinds without details to drop, and a
// target without any, are left whole.
func Object(obj any) {
	if t, ok := obj.(*v1alpha1.MaturityTarget); ok {
		target(&t.Status)
	}
}

func target(st *v1alpha1.MaturityTargetStatus) {
	if st.CompactedDigest != "" || !hasDetails(st) {
		return
	}
	st.CompactedDigest = Digest(st)
	st.BlockedBy = nil
	for i := range st.Objectives {
		st.Objectives[i].Blocking = nil
	}
	st.MissingMetrics = nil
}

func hasDetails(st *v1alpha1.MaturityTargetStatus) bool {
	if len(st.BlockedBy) > 0 || len(st.MissingMetrics) > 0 {
		return true
	}
	for i := range st.Objectives {
		if st.Objectives[i].Blocking != nil {
			return true
		}
	}
	return false
}

// Digest is the digest of a status as it is serialized: two statuses have
// the same digest exactly when the API server would store the same JSON
// for both (an empty list and none, or a time with and without
// nanoseconds, are the same status). The digest field itself is never
// serialized, so a compacted copy's digest is that of its whole status.
func Digest(status any) string {
	b, err := json.Marshal(status)
	if err != nil {
		// A status that cannot be serialized cannot be written either:
		// no digest, so it never compares equal.
		return ""
	}
	sum := sha256.Sum256(b)
	return base64.RawStdEncoding.EncodeToString(sum[:16])
}

// DigestOf returns the digest a compacted copy's status carries, or ""
// when status is whole.
func DigestOf(status any) string {
	switch st := status.(type) {
	case v1alpha1.MaturityTargetStatus:
		return st.CompactedDigest
	case *v1alpha1.MaturityTargetStatus:
		return st.CompactedDigest
	}
	return ""
}

// Whole marks a status whose pass rewrote every field compaction drops:
// it is whole again and is compared by its digest, not field by field.
func Whole(st *v1alpha1.MaturityTargetStatus) { st.CompactedDigest = "" }
