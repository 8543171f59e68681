// Package compact drops from the informer cache's copy of an object what
// its controller recomputes on every pass, or finds elsewhere in the
// object, and what nothing else reads from the cache.
//
// A MaturityTarget's results (objectives, blockedBy, missingMetrics) are
// most of its size, and at 10,000 targets most of the operator's memory.
// The controller rewrites them from the evaluation on every pass; of the
// previous status it reads currentLevel, score, pendingLevel, history,
// periodSnapshots, exemptions and conditions. The metrics collector reads
// of the objectives only how many of each stream meet the target
// (status.CompactedStreams), and the watches, the field indexes, the
// Campaign controller (status.campaigns) and the PartnerProgram readiness
// gate read none of them. Every other status field, including any this
// package does not know, is kept.
//
// The compacted copy carries the digest of the whole status as the API
// server has it (status.CompactedDigest, never serialized), so the status
// writer can still tell that a pass changed nothing and skip the write.
// Readers that need the results (the dashboard, the report, kubectl) read
// the API server, not this cache.
//
// Every cached object of the operator's kinds also loses the metadata no
// reader uses (see meta.go).
package compact

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math"
	"slices"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Object compacts obj in place; other kinds, and a target without
// results, are left whole.
func Object(obj any) {
	switch o := obj.(type) {
	case *v1alpha1.MaturityTarget:
		metadata(&o.ObjectMeta, true)
		target(&o.Status)
		fit(&o.Spec.MetricSources)
		fit(&o.Status.StallCauses)
		fit(&o.Status.History)
		fit(&o.Status.Campaigns)
		fit(&o.Status.Conditions)
	case *v1alpha1.MetricSource:
		metadata(&o.ObjectMeta, true)
		source(o)
		fit(&o.Status.Values)
		fit(&o.Status.Conditions)
	case *v1alpha1.Partner:
		metadata(&o.ObjectMeta, false)
		admission(o)
	}
}

// fit gives a decoded list the capacity it needs: decoding grows a list as
// append does, so a source's 24 values are decoded into room for 37 (600
// bytes unused in every cached source). The elements are copied; the list
// is equal before and after.
func fit[E any](s *[]E) {
	if len(*s) > 0 && cap(*s) > len(*s) {
		*s = slices.Clone(*s)
	}
}

// admission leaves out a partner's admitted-at annotation when it is its
// only annotation and records exactly status.admittedAt, which is what
// every reader then reads (the annotation is read only while the status
// has no admission). CompactedAdmissionRecorded keeps the fact that it is
// recorded, so the program does not write it again.
func admission(p *v1alpha1.Partner) {
	at, ok := p.Annotations[v1alpha1.AnnotationAdmittedAt]
	if !ok || len(p.Annotations) != 1 || p.Status.AdmittedAt == nil ||
		at != p.Status.AdmittedAt.UTC().Format(time.RFC3339) {
		return
	}
	p.Annotations = nil
	p.Status.CompactedAdmissionRecorded = true
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
	if st.CompactedDigest != "" || !hasResults(st) {
		return
	}
	st.CompactedDigest = Digest(st)
	st.CompactedStreams = countStreams(st.Objectives)
	st.BlockedBy = nil
	st.Objectives = nil
	st.MissingMetrics = nil
}

func hasResults(st *v1alpha1.MaturityTargetStatus) bool {
	return len(st.BlockedBy) > 0 || len(st.MissingMetrics) > 0 || len(st.Objectives) > 0
}

// Streams counts the objectives of each stream of a status, whole or
// compacted, in the order the streams first appear.
func Streams(st *v1alpha1.MaturityTargetStatus) []v1alpha1.StreamObjectiveCounts {
	if st.CompactedDigest != "" {
		return st.CompactedStreams
	}
	return countStreams(st.Objectives)
}

func countStreams(objectives []v1alpha1.ObjectiveResult) []v1alpha1.StreamObjectiveCounts {
	var out []v1alpha1.StreamObjectiveCounts
	for i := range objectives {
		o := &objectives[i]
		k := slices.IndexFunc(out, func(c v1alpha1.StreamObjectiveCounts) bool { return c.Stream == o.Stream })
		if k < 0 {
			k = len(out)
			out = append(out, v1alpha1.StreamObjectiveCounts{Stream: o.Stream})
		}
		if o.MeetsTarget {
			out[k].Passing++
		} else {
			out[k].Failing++
		}
		if o.Exemption != nil {
			out[k].Exempted++
		}
	}
	// A copy exactly as long as the streams: it lives as long as the
	// cached object.
	return slices.Clone(out)
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
func Whole(st *v1alpha1.MaturityTargetStatus) {
	st.CompactedDigest = ""
	st.CompactedStreams = nil
}
