package controllers

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

// programInterval bounds how long a program waits before it is evaluated
// again: windows (30, 90 days, validation) move with the calendar.
const programInterval = time.Hour

// supportHoursMetric is the program-level fact a metric source may give:
// support hours from a ticketing system, instead of the partners' sum.
const supportHoursMetric = "supportHours"

// PartnerProgramReconciler aggregates a program's partners from the cache,
// computes the scalability metrics, moves the expansion stage, admits
// partners first come first served, and opens tasks for failing metrics and
// risks.
type PartnerProgramReconciler struct {
	Client   client.Client
	Recorder events.EventRecorder
	Clock    clock.PassiveClock
}

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=partnerprograms,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=partnerprograms/status,verbs=get;update;patch

// Reconcile evaluates the program and writes its status in one patch.
func (r *PartnerProgramReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	w := statusWriter[*v1alpha1.PartnerProgram]{client: r.Client, recorder: r.Recorder, statusOf: programStatus, transitions: programTransitions}
	return w.reconcile(ctx, req, r.Clock.Now(), &v1alpha1.PartnerProgram{}, r.reconcile)
}

func programStatus(p *v1alpha1.PartnerProgram) any { return p.Status }

func (r *PartnerProgramReconciler) reconcile(ctx context.Context, prog *v1alpha1.PartnerProgram, now time.Time) (ctrl.Result, error) {
	st := &prog.Status
	spec := &prog.Spec
	conds := conditionSetter{conditions: &st.Conditions, generation: prog.Generation, now: now}

	inputs, err := loadMetrics(ctx, r.Client, prog.Namespace, spec.MetricSources)
	if err != nil {
		return ctrl.Result{}, err
	}
	if waitForSources(conds, inputs) {
		return ctrl.Result{RequeueAfter: referenceWait}, nil
	}
	gated := r.readiness(ctx, prog, conds)
	if gated.done {
		return gated.result, gated.err
	}
	supportHours := -1.0
	if m, ok := inputs.metrics[supportHoursMetric]; ok {
		supportHours = m.Value
	}

	// The partners come from the informer cache through the programRef
	// index: no API call, however many partners the program has. They are
	// the cache's own objects, not copies (a program of 10,000 partners
	// would otherwise copy them all on every pass), so they are only read:
	// admit writes to a copy.
	list := &v1alpha1.PartnerList{}
	if err := r.Client.List(ctx, list, client.InNamespace(prog.Namespace),
		client.MatchingFields{IndexPartnerProgram: prog.Name}, client.UnsafeDisableDeepCopy); err != nil {
		return ctrl.Result{}, err
	}
	members := make([]*v1alpha1.Partner, 0, len(list.Items))
	for i := range list.Items {
		// A partner that does not fit the program (unknown type, unknown
		// step) is Stalled on its own and counts nowhere.
		if len(partners.Validate(&list.Items[i], spec)) == 0 {
			members = append(members, &list.Items[i])
		}
	}
	sort.Slice(members, func(i, j int) bool { return members[i].Name < members[j].Name })

	admitted := make([]bool, len(members))
	states := make([]partners.State, len(members))
	for i, p := range members {
		admitted[i] = p.Status.AdmittedAt != nil
		states[i] = partners.Derive(p, spec, admitted[i], now)
	}
	metrics := partners.Metrics(members, states, spec, supportHours, now)
	met := partners.TargetsMet(metrics)
	var prevHeld *time.Time
	if st.TargetsHeldSince != nil {
		t := st.TargetsHeldSince.Time
		prevHeld = &t
	}
	exp := partners.ExpandGated(spec, st.Stage, prevHeld, met, gated.gate, now)

	for _, i := range admissions(members, admitted, exp, now) {
		p, err := admit(ctx, r.Client, members[i], now)
		if err != nil {
			return ctrl.Result{}, err
		}
		members[i], admitted[i] = p, true
		states[i] = partners.Derive(members[i], spec, true, now)
	}

	applyProgramStatus(st, members, states, admitted, metrics, exp)
	risks := partners.Risks(spec, members, states, metrics)
	st.Risks = risks
	gaps := partners.Gaps(metrics, risks, exp.Stage)
	counts, err := reconcileTasks(ctx, r.Client, taskOwner{kind: kindPartnerProgram, obj: prog}, taskGaps{
		gaps: gaps, resolve: partners.Resolver(gaps), policy: taskPolicy(spec.Tasks), trusted: inputs.trusted(),
	}, now)
	if err != nil {
		return ctrl.Result{}, err
	}
	st.Tasks = counts

	setReadyForPartners(conds, gated.gate)
	setProgramConditions(conds, st, metrics, met, admitted, states, exp)
	if len(inputs.stale) > 0 {
		conds.degraded(v1alpha1.ReasonMetricsStale, "stale MetricSource: "+strings.Join(inputs.stale, "; "))
	} else {
		conds.ready(fmt.Sprintf("%d partners evaluated", len(members)))
	}
	st.ObservedGeneration = prog.Generation
	next := programInterval
	if exp.NextCheck > 0 && exp.NextCheck < next {
		next = exp.NextCheck
	}
	return ctrl.Result{RequeueAfter: next}, nil
}

// admissions are the partners the program admits now: none while its
// readiness gate keeps it closed.
func admissions(members []*v1alpha1.Partner, admitted []bool, exp partners.ExpansionState, now time.Time) []int {
	if exp.Closed {
		return nil
	}
	return partners.Admit(members, admitted, exp.Capacity, now)
}

// admit records the program's admission on a copy of the cached partner and
// returns the copy. Only admittedAt is sent, so it never overwrites what the
// Partner controller writes.
func admit(ctx context.Context, c client.Client, cached *v1alpha1.Partner, now time.Time) (*v1alpha1.Partner, error) {
	p := cached.DeepCopy()
	patch := client.MergeFrom(cached)
	t := metav1Time(now)
	p.Status.AdmittedAt = &t
	if err := c.Status().Patch(ctx, p, patch); err != nil {
		return p, client.IgnoreNotFound(fmt.Errorf("admitting Partner %s: %w", p.Name, err))
	}
	return p, nil
}

// SetupWithManager registers the controller: any change to one of its
// partners (facts or phase) re-evaluates the program, and so does a change
// of level of the MaturityTarget its readiness gate names, or of that
// target's model.
func (r *PartnerProgramReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.PartnerProgram{}, builder.WithPredicates(specOrRequest())).
		Owns(&v1alpha1.ProjectTask{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1alpha1.Partner{}, handler.EnqueueRequestsFromMapFunc(programOfPartner)).
		Watches(&v1alpha1.MetricSource{}, handler.EnqueueRequestsFromMapFunc(r.programsOfSource)).
		Watches(&v1alpha1.MaturityTarget{}, handler.EnqueueRequestsFromMapFunc(r.programsOfTarget),
			builder.WithPredicates(targetLevelChanged())).
		Watches(&v1alpha1.MaturityModel{}, handler.EnqueueRequestsFromMapFunc(r.programsOfModel),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("partnerprogram").
		WithOptions(opts).
		Complete(r)
}

func programOfPartner(_ context.Context, o client.Object) []reconcile.Request {
	p := o.(*v1alpha1.Partner)
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: p.Namespace, Name: p.Spec.ProgramRef.Name}}}
}

func (r *PartnerProgramReconciler) programsOfSource(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1alpha1.PartnerProgramList{}, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{IndexProgramMetricSources: o.GetName()})
}
