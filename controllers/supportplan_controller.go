package controllers

import (
	"context"
	"fmt"
	"strings"
	"time"

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
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
	"github.com/scaleup-operator/scaleup-operator/internal/supportplan"
)

// supportPlanInterval is how often a plan is projected again when nothing
// it watches changes: the horizon moves with the calendar.
const supportPlanInterval = time.Hour

// SupportPlanReconciler projects a support team's demand through its peak
// seasons, judges its channels, self-service and AI, evaluates its stage
// and keeps a ProjectTask open for every gap.
type SupportPlanReconciler struct {
	Client   client.Client
	Recorder events.EventRecorder
	Models   *maturity.Cache
	Clock    clock.PassiveClock
}

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=supportplans,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=supportplans/status,verbs=get;update;patch

// Reconcile projects the plan and writes its status in one patch.
func (r *SupportPlanReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	w := statusWriter[*v1alpha1.SupportPlan]{client: r.Client, recorder: r.Recorder, statusOf: planStatus, transitions: planTransitions}
	return w.reconcile(ctx, req, r.Clock.Now(), &v1alpha1.SupportPlan{}, r.reconcile)
}

func planStatus(p *v1alpha1.SupportPlan) any { return p.Status }

func (r *SupportPlanReconciler) reconcile(ctx context.Context, plan *v1alpha1.SupportPlan, now time.Time) (ctrl.Result, error) {
	st := &plan.Status
	spec := &plan.Spec
	conds := conditionSetter{conditions: &st.Conditions, generation: plan.Generation, now: now}
	stall := func(reason, message string) (ctrl.Result, error) {
		conds.stalled(reason, message)
		st.ObservedGeneration = plan.Generation
		return ctrl.Result{}, reconcile.TerminalError(fmt.Errorf("%s", message))
	}

	inputs, err := loadMetrics(ctx, r.Client, plan.Namespace, spec.MetricSources)
	if err != nil {
		return ctrl.Result{}, err
	}
	if waitForSources(conds, inputs) {
		return ctrl.Result{RequeueAfter: referenceWait}, nil
	}

	in, err := supportplan.Input(spec, inputs.metrics, now)
	if err != nil {
		return stall(v1alpha1.ReasonInvalidSpec, err.Error())
	}
	if errs := support.Validate(in); len(errs) > 0 {
		msg := errs[0].Error()
		if len(errs) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(errs)-1)
		}
		if len(spec.MetricInputs) > 0 {
			// The number may come from a metric: a new value can fix it.
			conds.degraded(v1alpha1.ReasonInvalidInput, msg)
			return ctrl.Result{RequeueAfter: supportPlanInterval}, nil
		}
		return stall(v1alpha1.ReasonInvalidSpec, msg)
	}
	projection, err := support.Project(in)
	if err != nil {
		return stall(v1alpha1.ReasonInvalidSpec, err.Error())
	}
	// The stage rules run on the maturity engine, compiled once per plan
	// generation through the shared cache. Like every check of the spec,
	// this comes before the status takes any of the pass's results.
	stages := &v1alpha1.MaturityModel{ObjectMeta: plan.ObjectMeta, Spec: *supportplan.StageModel(spec)}
	// The admission webhook refuses the same errors (CheckStages); this
	// catches a plan admitted before it or without it.
	compiled, errs := r.Models.Get(stages)
	if len(errs) > 0 {
		return stall(v1alpha1.ReasonInvalidRule, supportplan.WhereWritten(spec, errs[:1])[0].Error())
	}
	supportplan.ApplyStatus(st, in, projection)
	metrics := maturity.Metrics{}
	for k, v := range inputs.metrics {
		metrics[k] = v
	}
	for k, v := range supportplan.Figures(in, projection, spec) {
		metrics[k] = v
	}
	target, _ := compiled.LevelIndex(string(spec.TargetStage))
	eval := compiled.Evaluate(metrics, target)
	supportplan.ApplyStages(st, compiled, eval)

	findings := supportplan.Findings(spec, in, projection)
	for _, f := range findings {
		conds.set(f.Type, f.OK, f.Reason, f.Message)
	}
	stage := st.CurrentStage
	if stage == "" {
		stage = "below " + string(v1alpha1.StagePreRevenue)
	}
	reason := v1alpha1.ReasonBelowTarget
	if eval.TargetMet() {
		reason = v1alpha1.ReasonTargetReached
	}
	conds.set(v1alpha1.ConditionTargetStageReached, eval.TargetMet(), reason, fmt.Sprintf("support is at %s, target %s", stage, spec.TargetStage))

	counts, err := reconcileTasks(ctx, r.Client, taskOwner{kind: kindSupportPlan, obj: plan}, taskGaps{
		gaps:    supportplan.Gaps(findings),
		resolve: supportplan.Resolver(findings),
		policy:  taskPolicy(spec.Tasks),
		trusted: inputs.trusted(),
	}, now)
	if err != nil {
		return ctrl.Result{}, err
	}
	st.Tasks = counts

	if len(inputs.stale) > 0 {
		conds.degraded(v1alpha1.ReasonMetricsStale, "stale MetricSource: "+strings.Join(inputs.stale, "; "))
	} else {
		conds.ready(fmt.Sprintf("projected generation %d", plan.Generation))
	}
	st.ObservedGeneration = plan.Generation
	return ctrl.Result{RequeueAfter: supportPlanInterval}, nil
}

// SetupWithManager registers the controller and its watches.
func (r *SupportPlanReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.SupportPlan{}, builder.WithPredicates(specOrRequest())).
		Owns(&v1alpha1.ProjectTask{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1alpha1.MetricSource{}, handler.EnqueueRequestsFromMapFunc(r.plansOfSource)).
		Named("supportplan").
		WithOptions(opts).
		Complete(r)
}

func (r *SupportPlanReconciler) plansOfSource(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1alpha1.SupportPlanList{}, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{IndexPlanMetricSources: o.GetName()})
}
