// Package compact drops from the informer cache's copy of an object the
// details its controller recomputes on every pass, or finds elsewhere in
// the object, and that nothing else reads from the cache. A
// MaturityTarget's rule details (blockedBy, each objective's blocking rule
// with the values it read, missingMetrics) are
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
	"math"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Object compacts obj in place; kinds without details to drop, and a
// target without any, are left whole.
func Object(obj any) {
	switch o := obj.(type) {
	case *v1alpha1.MaturityTarget:
		target(&o.Status)
	case *v1alpha1.MetricSource:
		source(o)
	}
}

// source leaves out a reported source's values when its status publishes
// exactly them (as it does once the source was reconciled): the same names
// and numbers, each without an error. The map is a third of a cached
// source, and targets read the published values. Its controller reads the
// values back from the status (spec.reported.inStatus), so a pass over
// the copy computes what a pass over the whole object does.
func source(s *v1alpha1.MetricSource) {
	rep := s.Spec.Reported
	if rep == nil || rep.InStatus || len(rep.Values) == 0 || len(rep.Values) != len(s.Status.Values) {
		return
	}
	for _, v := range s.Status.Values {
		reported, ok := rep.Values[v.Name]
		if !ok || v.Error != "" || v.Value == nil || math.Float64bits(*v.Value) != math.Float64bits(reported) {
			return
		}
	}
	rep.Values = nil
	rep.InStatus = true
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
