// Package gitops checks the health checks the operator ships for GitOps
// tools (config/argocd, config/flux) against kstatus, on the states every
// kind's controller leaves behind.
package gitops

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// health is what a state means for a GitOps tool, in Argo CD's words.
type health string

const (
	healthy     health = "Healthy"
	progressing health = "Progressing"
	degraded    health = "Degraded"
)

// generation is the object's metadata.generation in every state; an older
// status describes generation-1.
const generation = 3

// passTime stamps every condition: a fixed day, so nothing depends on today.
var passTime = metav1.NewTime(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))

// conditioned is every kind of the API.
type conditioned interface {
	runtime.Object
	metav1.Object
	GetConditions() []metav1.Condition
	SetConditions([]metav1.Condition)
}

// pass writes conditions the way controllers/status.go's conditionSetter
// does (one generation and one time per pass; Ready always, Reconciling and
// Stalled only while True), so the objects below carry what the controllers
// write. controllers/kstatus_test.go drives the real controllers into these
// states; this package checks what the GitOps tools read from them.
type pass struct {
	conds []metav1.Condition
	gen   int64
}

func (p *pass) set(typ string, ok bool, reason, message string) {
	st := metav1.ConditionFalse
	if ok {
		st = metav1.ConditionTrue
	}
	meta.SetStatusCondition(&p.conds, metav1.Condition{Type: typ, Status: st, Reason: reason, Message: message,
		ObservedGeneration: p.gen, LastTransitionTime: passTime})
}

func (p *pass) ready(message string) {
	p.set(v1alpha1.ConditionReady, true, v1alpha1.ReasonSucceeded, message)
	meta.RemoveStatusCondition(&p.conds, v1alpha1.ConditionStalled)
	meta.RemoveStatusCondition(&p.conds, v1alpha1.ConditionReconciling)
}

func (p *pass) degraded(reason, message string) {
	p.set(v1alpha1.ConditionReady, false, reason, message)
	meta.RemoveStatusCondition(&p.conds, v1alpha1.ConditionStalled)
	meta.RemoveStatusCondition(&p.conds, v1alpha1.ConditionReconciling)
}

func (p *pass) stalled(reason, message string) {
	p.set(v1alpha1.ConditionReady, false, reason, message)
	p.set(v1alpha1.ConditionStalled, true, reason, message)
	meta.RemoveStatusCondition(&p.conds, v1alpha1.ConditionReconciling)
}

func (p *pass) waiting(reason, message string) {
	p.set(v1alpha1.ConditionReady, false, reason, message)
	p.set(v1alpha1.ConditionReconciling, true, reason, message)
	meta.RemoveStatusCondition(&p.conds, v1alpha1.ConditionStalled)
}

// state is one way a kind's last pass can have ended, as a GitOps tool sees
// the object afterwards.
type state struct {
	kind string
	name string
	// new is an object no pass has written a status for yet.
	new bool
	// observed is status.observedGeneration; 0 leaves it out, as a pass
	// that only waited or failed before its first success does.
	observed int64
	// write is the pass, on a pass for generation.
	write   func(*pass)
	want    health
	message string // the message Argo CD shows
}

// object is the state as the API server returns it: the typed object
// converted the way the API serializes it, without a status while none was
// written.
func (s state) object() (*unstructured.Unstructured, error) {
	obj := kinds[s.kind]()
	obj.SetName("shop")
	if s.kind != "MaturityModel" {
		obj.SetNamespace("shop")
	}
	obj.SetGeneration(generation)
	if s.write != nil {
		p := &pass{gen: generation}
		s.write(p)
		obj.SetConditions(p.conds)
	}
	content, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: content}
	u.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind(s.kind))
	switch {
	case s.new:
		unstructured.RemoveNestedField(u.Object, "status")
	case s.observed > 0:
		if err := unstructured.SetNestedField(u.Object, s.observed, "status", "observedGeneration"); err != nil {
			return nil, err
		}
	}
	return u, nil
}

func (s state) String() string { return s.kind + " " + s.name }

// kinds makes an empty object of every kind of the group.
var kinds = map[string]func() conditioned{
	"MaturityModel":  func() conditioned { return &v1alpha1.MaturityModel{} },
	"MaturityTarget": func() conditioned { return &v1alpha1.MaturityTarget{} },
	"MetricSource":   func() conditioned { return &v1alpha1.MetricSource{} },
	"SupportPlan":    func() conditioned { return &v1alpha1.SupportPlan{} },
	"PartnerProgram": func() conditioned { return &v1alpha1.PartnerProgram{} },
	"Partner":        func() conditioned { return &v1alpha1.Partner{} },
	"ProjectTask":    func() conditioned { return &v1alpha1.ProjectTask{} },
	"Campaign":       func() conditioned { return &v1alpha1.Campaign{} },
}

const newMessage = "Waiting for the operator to reconcile"

// states lists, for every kind, each state its controller can leave it in:
// like controllers/kstatus_test.go, states a kind cannot reach are left out
// (a MaturityModel references nothing, so it never waits; a ProjectTask is
// only ever Ready). The messages are the controllers' own.
func states() []state {
	var out []state
	for _, kind := range slices.Sorted(maps.Keys(kinds)) {
		out = append(out,
			state{kind: kind, name: "new", new: true, want: progressing, message: newMessage},
			state{kind: kind, name: "reconciled on an older generation", observed: generation - 1,
				write: func(p *pass) { p.gen = generation - 1; p.ready("reconciled") }, want: progressing,
				message: fmt.Sprintf("Waiting for the operator to reconcile generation %d (observed %d)", generation, generation-1)},
		)
	}
	ready := func(kind, message string, domain func(*pass)) state {
		return state{kind: kind, name: "ready", observed: generation, want: healthy, message: message,
			write: func(p *pass) { domain(p); p.ready(message) }}
	}
	waiting := func(kind, reason, message string) state {
		return state{kind: kind, name: "waiting (" + reason + ")", want: progressing, message: message,
			write: func(p *pass) { p.waiting(reason, message) }}
	}
	stalled := func(kind, reason, message string) state {
		return state{kind: kind, name: "stalled (" + reason + ")", observed: generation, want: degraded, message: message,
			write: func(p *pass) { p.stalled(reason, message) }}
	}
	// A transient error after an earlier success: the status keeps that
	// pass's observedGeneration and results; only Ready and Reconciling move.
	retrying := func(kind, reason, message string) state {
		return state{kind: kind, name: "retrying (" + reason + ")", observed: generation, want: progressing, message: message,
			write: func(p *pass) { p.ready("reconciled"); p.waiting(reason, message) }}
	}
	staleReaders := func(kind string, domain func(*pass)) state {
		message := "stale MetricSource: shop-reported: older than maxAge 720h0m0s: firstResponseHours"
		return state{kind: kind, name: "stale metrics", observed: generation, want: progressing, message: message,
			write: func(p *pass) { domain(p); p.degraded(v1alpha1.ReasonMetricsStale, message) }}
	}
	none := func(*pass) {}

	targetMet := func(met bool) func(*pass) {
		return func(p *pass) {
			reason, message := v1alpha1.ReasonTargetReached, "Example Outfitters is at HighPerformance; all 1 objectives meet HighPerformance"
			if !met {
				reason, message = v1alpha1.ReasonBelowTarget, "Example Outfitters is at GrowingPains; 0/1 objectives meet HighPerformance"
			}
			p.set(v1alpha1.ConditionTargetMet, met, reason, message)
			p.set(v1alpha1.ConditionMetricsAvailable, true, v1alpha1.ReasonAllMetricsPresent, "every metric the rules read has a fresh value")
		}
	}
	capacity := func(p *pass) {
		p.set(v1alpha1.ConditionCapacitySufficient, false, v1alpha1.ReasonHeroesMissing, "black-friday needs 11 heroes, the team has 6")
	}
	programTargets := func(p *pass) {
		p.set(v1alpha1.ConditionTargetsMet, false, v1alpha1.ReasonTargetsMissed, "activationRate 0.4 below 0.6")
		p.set(v1alpha1.ConditionExpansionOpen, true, v1alpha1.ReasonSeatsFree, "stage pilot has 5 free seats")
	}
	fresh := func(stale bool) func(*pass) {
		return func(p *pass) {
			if stale {
				p.set(v1alpha1.ConditionStale, true, v1alpha1.ReasonMetricsStale, "older than maxAge 720h0m0s: firstResponseHours")
				return
			}
			p.set(v1alpha1.ConditionStale, false, v1alpha1.ReasonFresh, "all values are within maxAge")
		}
	}

	out = append(out,
		ready("MaturityModel", "4 levels, 1 objectives, 2 rules compiled", none),
		stalled("MaturityModel", v1alpha1.ReasonInvalidRule, "spec.streams[0].objectives[0].criteria[0].rule: undeclared reference to 'metric'"),

		ready("MaturityTarget", "evaluated generation 3", targetMet(true)),
		// The business outcome is not health: a target below its level is
		// reconciled, and Healthy.
		withName(ready("MaturityTarget", "evaluated generation 3", targetMet(false)), "ready, target not met"),
		waiting("MaturityTarget", v1alpha1.ReasonModelNotFound, `waiting for MaturityModel "shop-model" (spec.modelRef.name)`),
		waiting("MaturityTarget", v1alpha1.ReasonMetricSourceNotFound, "MetricSource not found: shop-reported"),
		stalled("MaturityTarget", v1alpha1.ReasonUnknownLevel,
			`spec.targetLevel "Unicorn" is not a level of MaturityModel "shop-model" (levels: Startup, GrowingPains, HighPerformance, EnterpriseGrade)`),
		// A fixed spec un-stalls the target: until the operator has looked at
		// the new generation, the old Stalled says nothing about it.
		state{kind: "MaturityTarget", name: "stalled on an older generation", observed: generation - 1, want: progressing,
			message: fmt.Sprintf("Waiting for the operator to reconcile generation %d (observed %d)", generation, generation-1),
			write: func(p *pass) {
				p.gen = generation - 1
				p.stalled(v1alpha1.ReasonUnknownLevel, `spec.targetLevel "Unicorn" is not a level of MaturityModel "shop-model"`)
			}},
		retrying("MaturityTarget", v1alpha1.ReasonTaskApplyFailed, "applying ProjectTask shop-customer-service-response-time-highperformance: the server is currently unable to handle the request"),
		staleReaders("MaturityTarget", func(p *pass) {
			targetMet(false)(p)
			p.set(v1alpha1.ConditionMetricsAvailable, false, v1alpha1.ReasonMetricsStale, "stale: shop-reported: older than maxAge 720h0m0s: firstResponseHours")
		}),

		ready("MetricSource", "2 values published", fresh(false)),
		// A source whose values aged past maxAge is still reconciled; the
		// message says the values are stale.
		state{kind: "MetricSource", name: "stale metrics", observed: generation, want: healthy,
			message: "older than maxAge 720h0m0s: firstResponseHours",
			write:   func(p *pass) { fresh(true)(p); p.ready("2 values published") }},
		state{kind: "MetricSource", name: "provider unavailable", observed: generation, want: progressing,
			message: "HTTP 503 Service Unavailable",
			write: func(p *pass) {
				fresh(true)(p)
				p.degraded(v1alpha1.ReasonProviderUnavailable, "HTTP 503 Service Unavailable")
			}},
		waiting("MetricSource", v1alpha1.ReasonCredentialsNotOptedIn,
			`spec.prometheus.auth.secretRef: Secret "prometheus-token" lacks the label growth.scaleup.io/metric-credentials: "true"`),
		stalled("MetricSource", v1alpha1.ReasonDestinationNotAllowed, "spec.http.url: dial 127.0.0.1:8080: destination not allowed: loopback address"),
		retrying("MetricSource", v1alpha1.ReasonCredentialsUnavailable, "reading Secret shop/prometheus-token: the server is currently unable to handle the request"),

		ready("SupportPlan", "projected generation 3", capacity),
		waiting("SupportPlan", v1alpha1.ReasonMetricSourceNotFound, "MetricSource not found: shop-reported"),
		stalled("SupportPlan", v1alpha1.ReasonInvalidSpec, `spec.peakSeasons[0].end: "04-31" is not a day of the year`),
		retrying("SupportPlan", v1alpha1.ReasonTaskApplyFailed, "applying ProjectTask shop-support-capacity: the server is currently unable to handle the request"),
		staleReaders("SupportPlan", capacity),
		state{kind: "SupportPlan", name: "input out of range", observed: generation, want: progressing,
			message: "spec.metricInputs.contactsPerWeek: 2e+09 above 1e9",
			write: func(p *pass) {
				p.degraded(v1alpha1.ReasonInvalidInput, "spec.metricInputs.contactsPerWeek: 2e+09 above 1e9")
			}},

		ready("PartnerProgram", "8 partners evaluated", programTargets),
		waiting("PartnerProgram", v1alpha1.ReasonMetricSourceNotFound, "MetricSource not found: shop-tickets"),
		retrying("PartnerProgram", v1alpha1.ReasonTaskApplyFailed, "applying ProjectTask shop-partners-activation: the server is currently unable to handle the request"),
		staleReaders("PartnerProgram", programTargets),

		ready("Partner", "phase Onboarding", func(p *pass) {
			p.set(v1alpha1.ConditionAdmitted, false, v1alpha1.ReasonWaitlisted, "waiting for a seat in the program's current expansion stage")
			p.set(v1alpha1.ConditionOnboarded, false, v1alpha1.ReasonStepsPending, "1 of 4 onboarding steps completed")
		}),
		waiting("Partner", v1alpha1.ReasonProgramNotFound, `waiting for PartnerProgram "shop-partners" (spec.programRef.name)`),
		stalled("Partner", v1alpha1.ReasonInvalidSpec, `spec.type: "Reseller" is not a partner type of PartnerProgram "shop-partners"`),

		ready("Campaign", "Active: 3 of 5 targets in scope pass", none),
		waiting("Campaign", v1alpha1.ReasonModelNotFound, `waiting for MaturityModel "shop-model" (spec.modelRef.name)`),
		stalled("Campaign", v1alpha1.ReasonInvalidSpec,
			`MaturityModel "shop-model": spec.objectives[0].tighten.objective: stream "customer-service" of the model has no objective "response"`),

		// An overdue task is the people's business, not the operator's.
		ready("ProjectTask", "task reconciled", func(p *pass) {
			p.set(v1alpha1.ConditionOverdue, true, v1alpha1.ReasonPastDue, "due 2026-03-01T00:00:00Z")
		}),
	)
	return out
}

func withName(s state, name string) state {
	s.name = name
	return s
}
