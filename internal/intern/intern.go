// Package intern makes the strings that repeat across cached objects share
// one copy. Decoding gives every object its own copy of every string, so
// 10,000 MaturityTargets of one model hold 10,000 copies of the same rules,
// stream, objective and level names, and 10,000 reported MetricSources as
// many copies of the same metric names. The transform is lossless: an
// object is equal before and after it, so reconciles compare and write
// exactly as without it. Strings unique to one object (names, values,
// messages) are left alone: interning them would only add a table entry.
package intern

import (
	"unique"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Object interns the repeated strings of obj in place; other kinds are
// left as they are.
func Object(obj any) {
	switch o := obj.(type) {
	case *v1alpha1.MaturityTarget:
		target(o)
	case *v1alpha1.MetricSource:
		source(o)
	case *v1alpha1.Partner:
		partner(o)
	}
}

func str[S ~string](p *S) {
	if *p != "" {
		*p = S(unique.Make(string(*p)).Value())
	}
}

func strs(ss []string) {
	for i := range ss {
		str(&ss[i])
	}
}

// conditions interns the type, status and reason of each condition, and
// the message too when withMessages says the kind's messages are templates
// shared by many objects ("phase Active").
func conditions(cs []metav1.Condition, withMessages bool) {
	for i := range cs {
		str(&cs[i].Type)
		str(&cs[i].Status)
		str(&cs[i].Reason)
		if withMessages {
			str(&cs[i].Message)
		}
	}
}

// typeMeta interns the apiVersion and kind an object carries when it was
// decoded with them.
func typeMeta(t *metav1.TypeMeta) {
	str(&t.APIVersion)
	str(&t.Kind)
}

func target(t *v1alpha1.MaturityTarget) {
	typeMeta(&t.TypeMeta)
	str(&t.Namespace)
	shareLabels(&t.Labels)
	str(&t.Spec.ModelRef.Name)
	str(&t.Spec.TargetLevel)
	st := &t.Status
	str(&st.CurrentLevel)
	str(&st.NextLevel)
	str(&st.Trend)
	if st.Score != nil {
		str(&st.Score.Summary)
	}
	for i := range st.BlockedBy {
		str(&st.BlockedBy[i].Stream)
		str(&st.BlockedBy[i].Objective)
	}
	for i := range st.Objectives {
		o := &st.Objectives[i]
		str(&o.Stream)
		str(&o.Objective)
		str(&o.Owner)
		str(&o.ReachedLevel)
		if o.Blocking != nil {
			outcome(o.Blocking)
		}
	}
	for i := range st.CompactedStreams {
		str(&st.CompactedStreams[i].Stream)
	}
	for i := range st.StallCauses {
		str(&st.StallCauses[i].Name)
	}
	strs(st.MissingMetrics)
	for i := range st.History {
		str(&st.History[i].Level)
	}
	conditions(st.Conditions, false)
}

// outcome interns a rule outcome except its values and message, which
// carry the target's own numbers.
func outcome(r *v1alpha1.RuleOutcome) {
	str(&r.Stream)
	str(&r.Objective)
	str(&r.Level)
	str(&r.Rule)
	str(&r.Result)
	strs(r.Missing)
}

func source(s *v1alpha1.MetricSource) {
	typeMeta(&s.TypeMeta)
	str(&s.Namespace)
	shareLabels(&s.Labels)
	if rep := s.Spec.Reported; rep != nil && len(rep.Values) > 0 {
		// Map keys cannot be replaced in place: rebuild the map.
		values := make(map[string]float64, len(rep.Values))
		for k, v := range rep.Values {
			values[unique.Make(k).Value()] = v
		}
		rep.Values = values
	}
	st := &s.Status
	times := sharedTimes{}
	for i := range st.Values {
		str(&st.Values[i].Name)
		times.share(&st.Values[i].ObservedAt)
	}
	times.share(&st.LastObservedAt)
	conditions(st.Conditions, false)
	shareConditions(&st.Conditions)
}

// sharedTimes makes the equal times of one object one allocation: the
// values a source publishes in one poll or one report carry the same
// observedAt, which decoding gives each value a copy of (24 bytes and an
// allocation per value). Only identical times are shared, so the object
// stays equal; copies (DeepCopy) get their own times again.
type sharedTimes []*metav1.Time

func (ts *sharedTimes) share(p **metav1.Time) {
	if *p == nil {
		return
	}
	for _, t := range *ts {
		if *t == **p {
			*p = t
			return
		}
	}
	if len(*ts) < maxSharedTimes {
		*ts = append(*ts, *p)
	}
}

// maxSharedTimes bounds the search for an equal time: a source's values
// come from a handful of polls at most.
const maxSharedTimes = 4

func partner(p *v1alpha1.Partner) {
	typeMeta(&p.TypeMeta)
	str(&p.Namespace)
	shareLabels(&p.Labels)
	str(&p.Spec.ProgramRef.Name)
	str(&p.Spec.Type)
	for i := range p.Spec.Onboarding.Completed {
		str(&p.Spec.Onboarding.Completed[i].Step)
	}
	str(&p.Status.Phase)
	// Reasons are templates with a day count: many partners share one.
	str(&p.Status.PhaseReason)
	str(&p.Status.OnboardingProgress)
	conditions(p.Status.Conditions, true)
	shareConditions(&p.Status.Conditions)
}
