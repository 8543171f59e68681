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
	"github.com/scaleup-operator/scaleup-operator/internal/supportplan"
)

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
	conds := conditionSetter{conditions: &st.Conditions, generation: plan.Generation, now: now}
	inputs, err := loadMetrics(ctx, r.Client, plan.Namespace, plan.Spec.MetricSources)
	if err != nil {
		return ctrl.Result{}, err
	}
	if waitForSources(conds, inputs) {
		return ctrl.Result{RequeueAfter: referenceWait}, nil
	}

	res := supportplan.Evaluate(&plan.Spec, inputs.metrics, r.stageCompiler(plan), now)
	if e := res.Err; e != nil {
		if !e.Stalls() {
			conds.degraded(e.Reason, e.Message)
			return ctrl.Result{RequeueAfter: res.Requeue}, nil
		}
		conds.stalled(e.Reason, e.Message)
		st.ObservedGeneration = plan.Generation
		return ctrl.Result{}, reconcile.TerminalError(e)
	}
	res.ApplyTo(st)
	conds.apply(res.Conditions)
	counts, err := reconcileTasks(ctx, r.Client, taskOwner{kind: kindSupportPlan, obj: plan}, taskGaps{
		gaps: res.Gaps, resolve: res.Resolve, policy: taskPolicy(plan.Spec.Tasks), trusted: inputs.trusted(),
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
	return ctrl.Result{RequeueAfter: res.Requeue}, nil
}

// stageCompiler compiles the plan's stage rules through the shared cache,
// once per plan generation (the model is keyed by the plan's UID).
func (r *SupportPlanReconciler) stageCompiler(plan *v1alpha1.SupportPlan) supportplan.Compile {
	return func(spec *v1alpha1.MaturityModelSpec) (*maturity.Model, []maturity.FieldError) {
		return r.Models.Get(&v1alpha1.MaturityModel{ObjectMeta: plan.ObjectMeta, Spec: *spec})
	}
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
