// Package packed holds the objects the informer cache keeps by the hundred
// thousand in a smaller form than their API type.
//
// A Partner, as the API type decodes it, is a 544-byte struct (its
// ObjectMeta alone is 232, mostly fields a partner never sets) with a
// pointer, a 24-byte time and often a separate allocation for every
// timestamp: about 900 bytes in the cache once compacted and interned. A
// packed Partner keeps every field of it, the times as Unix nanoseconds and
// the metadata a partner has, in about half of that: 40 MiB less at
// 100,000 partners.
//
// A packed Partner is what the Partner informer stores. It implements
// client.Object, so the informer, its indexes and the watches handle it like
// any object, and its DeepCopyObject returns the whole v1alpha1.Partner: a
// Get or List through the cache returns the API type, exactly as decoded.
// Readers of the store itself (the indexes, the in-place reads) take either
// form (Of).
//
// A partner that does not fit (a time outside the years 1678 to 2262, which
// nanoseconds cannot hold, or metadata a partner does not normally carry:
// owner references, finalizers, a uid the cache kept) is stored whole.
package packed

import (
	"math"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Partner is a v1alpha1.Partner as the informer cache keeps it. It is read
// only: the cache's objects are shared by every reader.
type Partner struct {
	objectMeta

	programRef, partnerType string
	joinedAt                stamp
	steps                   []step
	firstContribution       stamp
	lastActivity, left      stamp
	results                 *v1alpha1.PartnerResults // nil when every result is zero

	observedGeneration     int64
	lastHandledRequestedAt string
	phase                  v1alpha1.PartnerPhase
	phaseReason            string
	onboardingProgress     string
	timeToActivation       int64 // nanoseconds; noDuration when none
	admittedAt             stamp
	conditions             []metav1.Condition
	// typed says the object carried its kind and apiVersion (as listed and
	// watched objects do); admissionRecorded is the status' field of the
	// same name (set by the cache's compaction).
	typed, admissionRecorded bool
}

// step is a completed onboarding step.
type step struct {
	name string
	at   stamp
}

// stamp is a time as Unix nanoseconds, or noStamp for none (a nil pointer,
// or the zero time, which serializes as null).
type stamp int64

const (
	noStamp    stamp = math.MinInt64
	noDuration int64 = math.MinInt64
)

// Pack returns the packed form of p, which it may share strings, maps and
// conditions with, or false when p does not fit one (see the package
// comment): the cache then keeps p whole.
func Pack(p *v1alpha1.Partner) (*Partner, bool) {
	m := &p.ObjectMeta
	if m.UID != "" || m.GenerateName != "" || m.DeletionGracePeriodSeconds != nil ||
		len(m.OwnerReferences) > 0 || len(m.Finalizers) > 0 || len(m.ManagedFields) > 0 {
		return nil, false
	}
	typed := p.TypeMeta == partnerType
	if !typed && p.TypeMeta != (metav1.TypeMeta{}) {
		return nil, false
	}
	s, st := &p.Spec, &p.Status
	out := &Partner{
		objectMeta: objectMeta{name: m.Name, namespace: m.Namespace, resourceVersion: m.ResourceVersion, generation: m.Generation,
			labels: m.Labels, annotations: m.Annotations},
		programRef: s.ProgramRef.Name, partnerType: s.Type,
		observedGeneration: st.ObservedGeneration, lastHandledRequestedAt: st.LastHandledRequestedAt,
		phase: st.Phase, phaseReason: st.PhaseReason, onboardingProgress: st.OnboardingProgress,
		timeToActivation: noDuration, conditions: st.Conditions,
		typed: typed, admissionRecorded: st.CompactedAdmissionRecorded,
	}
	if s.Results != (v1alpha1.PartnerResults{}) {
		r := s.Results
		out.results = &r
	}
	if d := st.TimeToActivation; d != nil {
		if int64(d.Duration) == noDuration {
			return nil, false
		}
		out.timeToActivation = int64(d.Duration)
	}
	ok := true
	of := func(t *metav1.Time) stamp {
		v, fits := stampOf(t)
		ok = ok && fits
		return v
	}
	out.created, out.deleted = of(&m.CreationTimestamp), of(m.DeletionTimestamp)
	out.joinedAt = of(&s.JoinedAt)
	out.firstContribution, out.lastActivity, out.left = of(s.Activity.FirstContributionAt), of(s.Activity.LastActivityAt), of(s.Activity.LeftAt)
	out.admittedAt = of(st.AdmittedAt)
	if n := len(s.Onboarding.Completed); n > 0 {
		out.steps = make([]step, n)
		for i, c := range s.Onboarding.Completed {
			out.steps[i] = step{name: c.Step, at: of(&c.At)}
		}
	}
	if !ok {
		return nil, false
	}
	return out, true
}

// partnerType is the kind and apiVersion a listed or watched partner has.
var partnerType = metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "Partner"}

// Unpack returns the whole partner: a new object, equal to the one packed
// (it shares strings, maps and the conditions with the cache; callers that
// modify those copy them first, as they would a cached object's).
func (p *Partner) Unpack() *v1alpha1.Partner {
	out := &v1alpha1.Partner{}
	p.unpackInto(out, nil)
	return out
}

// unpackInto writes the whole partner into out, every field of it, taking
// its lists and pointed-to values from mem (or new allocations when mem is
// nil).
func (p *Partner) unpackInto(out *v1alpha1.Partner, mem *Arena) {
	*out = v1alpha1.Partner{}
	if p.typed {
		out.TypeMeta = partnerType
	}
	out.ObjectMeta = metav1.ObjectMeta{
		Name: p.name, Namespace: p.namespace, ResourceVersion: p.resourceVersion, Generation: p.generation,
		CreationTimestamp: p.created.time(), DeletionTimestamp: mem.time(p.deleted),
		Labels: p.labels, Annotations: p.annotations,
	}
	s := &out.Spec
	s.ProgramRef.Name, s.Type, s.JoinedAt = p.programRef, p.partnerType, p.joinedAt.time()
	if len(p.steps) > 0 {
		s.Onboarding.Completed = mem.steps(len(p.steps))
		for i, c := range p.steps {
			s.Onboarding.Completed[i] = v1alpha1.CompletedStep{Step: c.name, At: c.at.time()}
		}
	}
	s.Activity = v1alpha1.PartnerActivity{
		FirstContributionAt: mem.time(p.firstContribution), LastActivityAt: mem.time(p.lastActivity), LeftAt: mem.time(p.left),
	}
	if p.results != nil {
		s.Results = *p.results
	}
	out.Status = v1alpha1.PartnerStatus{
		ObservedGeneration: p.observedGeneration, LastHandledRequestedAt: p.lastHandledRequestedAt,
		Phase: p.phase, PhaseReason: p.phaseReason, OnboardingProgress: p.onboardingProgress,
		AdmittedAt: mem.time(p.admittedAt), Conditions: p.conditions, CompactedAdmissionRecorded: p.admissionRecorded,
	}
	if p.timeToActivation != noDuration {
		out.Status.TimeToActivation = mem.duration(time.Duration(p.timeToActivation))
	}
}

// Of returns the whole partner an informer store's item holds, packed or
// not (a cache without the packing transform stores partners whole): the
// item itself when whole, so callers only read it. ok is false for an item
// of another kind.
func Of(item any) (p *v1alpha1.Partner, ok bool) {
	switch o := item.(type) {
	case *Partner:
		return o.Unpack(), true
	case *v1alpha1.Partner:
		return o, true
	}
	return nil, false
}

// ProgramOf is the name of the program an informer store's partner, packed
// or not, belongs to, without unpacking it.
func ProgramOf(item any) (string, bool) {
	switch o := item.(type) {
	case *Partner:
		return o.programRef, true
	case *v1alpha1.Partner:
		return o.Spec.ProgramRef.Name, true
	}
	return "", false
}

// stampOf packs t; fits is false for a time nanoseconds cannot hold.
func stampOf(t *metav1.Time) (s stamp, fits bool) {
	if t == nil || t.IsZero() {
		return noStamp, true
	}
	ns := t.UnixNano()
	// UnixNano is undefined outside the years 1678 to 2262: a time that
	// does not come back from it is kept whole.
	if stamp(ns) == noStamp || !time.Unix(0, ns).Equal(t.Time) {
		return noStamp, false
	}
	return stamp(ns), true
}

// time is the value of a time field (the zero time for none), as a
// decoded object has it: in the local zone.
func (s stamp) time() metav1.Time {
	if s == noStamp {
		return metav1.Time{}
	}
	return metav1.NewTime(time.Unix(0, int64(s)))
}

// ptr is the value of a pointer time field (nil for none), newly
// allocated.
func (s stamp) ptr() *metav1.Time {
	if s == noStamp {
		return nil
	}
	t := s.time()
	return &t
}
