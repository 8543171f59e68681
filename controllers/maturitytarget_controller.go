package controllers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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
	"github.com/scaleup-operator/scaleup-operator/internal/compact"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// historyLength is how many level or score changes a target remembers.
const historyLength = 20

// defaultInterval applies when spec.interval is zero (objects created before
// the default existed, or written by a client that bypassed defaulting).
const defaultInterval = 10 * time.Minute

// MaturityTargetReconciler measures a business against its model, reports
// where it stands and why, and keeps one ProjectTask open per gap.
type MaturityTargetReconciler struct {
	Client   client.Client
	Recorder events.EventRecorder
	Models   *maturity.Cache
	Clock    clock.PassiveClock
	// RevisionNamespace is where models keep their applied generation
	// (MaturityModelReconciler.RevisionNamespace).
	RevisionNamespace string
}

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=maturitytargets,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=maturitytargets/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=projecttasks,verbs=get;list;watch;create;update;patch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=campaigns,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=projecttasks/status,verbs=get;update;patch

// Reconcile evaluates the target and writes its status in one patch.
func (r *MaturityTargetReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	// levels is the order of the model's levels the pass evaluated with,
	// for telling a level reached from a level lost.
	var levels []string
	w := statusWriter[*v1alpha1.MaturityTarget]{client: r.Client, recorder: r.Recorder, statusOf: targetStatus,
		transitions: func(before, after *v1alpha1.MaturityTarget) []transition {
			return targetTransitions(before, after, levels)
		}}
	return w.reconcile(ctx, req, r.Clock.Now(), &v1alpha1.MaturityTarget{},
		func(ctx context.Context, target *v1alpha1.MaturityTarget, now time.Time) (ctrl.Result, error) {
			return r.reconcile(ctx, target, now, &levels)
		})
}

func targetStatus(t *v1alpha1.MaturityTarget) any { return t.Status }

func (r *MaturityTargetReconciler) reconcile(ctx context.Context, target *v1alpha1.MaturityTarget, now time.Time, levels *[]string) (ctrl.Result, error) {
	st := &target.Status
	conds := conditionSetter{conditions: &st.Conditions, generation: target.Generation, now: now}
	stall := func(reason, message string) (ctrl.Result, error) {
		// Only a change to the target or its model can help; the watch on
		// models brings the target back when its model changes.
		conds.stalled(reason, message)
		st.ObservedGeneration = target.Generation
		return ctrl.Result{}, reconcile.TerminalError(errors.New(message))
	}

	model := &v1alpha1.MaturityModel{}
	if err := r.Client.Get(ctx, types.NamespacedName{Name: target.Spec.ModelRef.Name}, model); err != nil {
		if apierrors.IsNotFound(err) {
			// GitOps may apply a target before its model: wait for it. The
			// watch on models brings the target back when it is created.
			conds.waiting(v1alpha1.ReasonModelNotFound,
				fmt.Sprintf("waiting for MaturityModel %q (spec.modelRef.name)", target.Spec.ModelRef.Name))
			return ctrl.Result{RequeueAfter: referenceWait}, nil
		}
		return ctrl.Result{}, err
	}
	// A model in Preview grades its targets with its last applied
	// generation: the new one only shows in the model's status.preview.
	compiled, errs, appliedGen, applied, err := modelRevisions{client: r.Client, namespace: r.RevisionNamespace, models: r.Models}.appliedModel(ctx, model)
	if err != nil {
		return ctrl.Result{}, err
	}
	if !applied {
		// Only a change of the model (mode Apply) helps; the watch on
		// models brings the target back then.
		conds.waiting(v1alpha1.ReasonModelNotApplied, fmt.Sprintf(
			"MaturityModel %q is in Preview and has no applied generation: set its spec.rollout.mode to Apply", model.Name))
		return ctrl.Result{RequeueAfter: referenceWait}, nil
	}
	if len(errs) > 0 {
		return stall(v1alpha1.ReasonModelNotReady, fmt.Sprintf("MaturityModel %q does not compile: %s", model.Name, summarizeFieldErrors(errs)))
	}
	targetLevel, ok := compiled.LevelIndex(target.Spec.TargetLevel)
	if !ok {
		return stall(v1alpha1.ReasonUnknownLevel, fmt.Sprintf("spec.targetLevel %q is not a level of MaturityModel %q (levels: %s)",
			target.Spec.TargetLevel, model.Name, strings.Join(compiled.Levels(), ", ")))
	}

	campaigns, err := r.campaignsOf(ctx, target, now)
	if err != nil {
		return ctrl.Result{}, err
	}
	compiled, skipped := compiled.WithCampaigns(campaigns.phased)

	inputs, err := loadMetrics(ctx, r.Client, target.Namespace, target.Spec.MetricSources)
	if err != nil {
		return ctrl.Result{}, err
	}
	// Until every source has published values an evaluation would report
	// metrics as missing that are only in flight; keep the last result and
	// wait. The watch on MetricSources brings the target back.
	if waitForSources(conds, inputs) {
		return ctrl.Result{RequeueAfter: referenceWait}, nil
	}
	previousPeriod, periodEnds := advancePeriods(st, compiled, inputs, now)
	eval := compiled.EvaluateWithPrevious(inputs.metrics, previousPeriod, targetLevel)
	exemptions, expiry := compiled.Exempt(&eval, target.Spec.Exemptions, now)
	*levels = compiled.Levels()
	prev := maturity.Previous{Level: st.CurrentLevel, Evaluated: st.Score != nil, Pending: st.PendingLevel}
	maturity.ApplyStatus(st, compiled, eval)
	level := compiled.Stabilize(eval, prev, target.Spec.Stabilization, now, len(inputs.stale) > 0)
	maturity.ApplyLevel(st, compiled, level)
	st.Exemptions = exemptions
	st.Campaigns = campaigns.status(compiled, eval, skipped)
	// Every field the cache's compacted copy lacks is rewritten: the
	// status is whole again, compared by digest and written whole.
	compact.Whole(st)
	st.History = maturity.RecordHistory(st.History, v1alpha1.HistoryEntry{
		Time: metav1Time(now), Level: st.CurrentLevel, Passed: int32(eval.Passed),
	}, compiled.Levels(), historyLength)
	st.Trend = maturity.Trend(st.History, compiled.Levels())

	counts, err := reconcileTasks(ctx, r.Client, taskOwner{kind: kindMaturityTarget, obj: target}, taskGaps{
		gaps:    maturity.Gaps(compiled, eval),
		resolve: maturity.Resolver(compiled, eval),
		policy:  taskPolicy(target.Spec.Tasks),
		trusted: inputs.trusted(),
	}, now)
	if err != nil {
		return ctrl.Result{}, err
	}
	st.Tasks = counts
	st.ModelPreview = r.modelPreview(model, appliedGen, compiled, eval, target, maturity.PreviewTarget{
		TargetLevel: target.Spec.TargetLevel, Metrics: inputs.metrics, Previous: previousPeriod,
		Campaigns: campaigns.phased, Exemptions: target.Spec.Exemptions,
	}, now)

	setTargetMet(conds, target, compiled, eval, level.Level)
	setMetricsAvailable(conds, inputs, eval)
	requeue := campaigns.requeue(nextEvaluation(target.Spec.Interval, expiry, level.Wait, now), now)
	if periodEnds > 0 {
		// The next period starts at that instant.
		requeue = min(requeue, periodEnds)
	}
	switch {
	case len(inputs.stale) > 0:
		// Evaluated, but not on fresh data: not Ready, and tasks were left
		// as they were. The source's own requeue reports when it recovers.
		conds.degraded(v1alpha1.ReasonMetricsStale, "stale MetricSource: "+strings.Join(inputs.stale, "; "))
	default:
		conds.ready(fmt.Sprintf("evaluated generation %d", target.Generation))
	}
	st.ObservedGeneration = target.Generation
	return ctrl.Result{RequeueAfter: requeue}, nil
}

// nextEvaluation is when a target is evaluated again: after its interval,
// or sooner when an exemption lapses (expiry) or a held-back level takes
// effect (wait) before that, at that very instant.
func nextEvaluation(interval *metav1.Duration, expiry time.Time, wait time.Duration, now time.Time) time.Duration {
	requeue := defaultInterval
	if interval != nil && interval.Duration > 0 {
		requeue = interval.Duration
	}
	if !expiry.IsZero() {
		requeue = min(requeue, max(expiry.Sub(now), time.Second))
	}
	if wait > 0 {
		requeue = min(requeue, wait)
	}
	return requeue
}

// setTargetMet judges the level in effect (after stabilization), and
// counts the objectives of the latest evaluation. A key objective below the
// target keeps TargetMet False even while stabilization holds a level at or
// above the target.
func setTargetMet(conds conditionSetter, target *v1alpha1.MaturityTarget, m *maturity.Model, eval maturity.Result, level int) {
	current := "below " + m.Levels()[0]
	if level >= 0 {
		current = m.Levels()[level]
	}
	meet := fmt.Sprintf("%d/%d objectives meet %s", eval.Passed, eval.Total, target.Spec.TargetLevel)
	if eval.Passed == eval.Total {
		meet = fmt.Sprintf("all %d objectives meet %s", eval.Total, target.Spec.TargetLevel)
	}
	if len(eval.KeyFailing) > 0 {
		keys := make([]string, 0, len(eval.KeyFailing))
		for _, i := range eval.KeyFailing {
			keys = append(keys, eval.Objectives[i].Stream+"/"+eval.Objectives[i].Objective)
		}
		conds.set(v1alpha1.ConditionTargetMet, false, v1alpha1.ReasonBelowTarget,
			fmt.Sprintf("%s is at %s; %s; key objectives below it: %s", target.Spec.Business, current, meet, maturity.Listed(keys, 5)))
		return
	}
	if level >= eval.TargetLevel {
		conds.set(v1alpha1.ConditionTargetMet, true, v1alpha1.ReasonTargetReached,
			fmt.Sprintf("%s is at %s; %s", target.Spec.Business, current, meet))
		return
	}
	conds.set(v1alpha1.ConditionTargetMet, false, v1alpha1.ReasonBelowTarget,
		fmt.Sprintf("%s is at %s; %s", target.Spec.Business, current, meet))
}

func setMetricsAvailable(conds conditionSetter, in metricInputs, eval maturity.Result) {
	switch {
	case len(in.stale) > 0:
		conds.set(v1alpha1.ConditionMetricsAvailable, false, v1alpha1.ReasonMetricsStale, "stale: "+strings.Join(in.stale, "; "))
	case len(eval.Missing) > 0:
		conds.set(v1alpha1.ConditionMetricsAvailable, false, v1alpha1.ReasonMetricsMissing,
			"no MetricSource provides: "+strings.Join(eval.Missing, ", "))
	default:
		conds.set(v1alpha1.ConditionMetricsAvailable, true, v1alpha1.ReasonAllMetricsPresent, "every metric the rules read has a fresh value")
	}
}

// SetupWithManager registers the controller and its watches: a change to a
// model, to a referenced MetricSource or to an owned task re-evaluates
// exactly the targets that use it, found through field indexes.
func (r *MaturityTargetReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	return ctrl.NewControllerManagedBy(mgr).
		// Labels decide which Campaigns select a target.
		For(&v1alpha1.MaturityTarget{}, builder.WithPredicates(predicate.Or(specOrRequest(), predicate.LabelChangedPredicate{}))).
		Owns(&v1alpha1.ProjectTask{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1alpha1.MaturityModel{}, handler.EnqueueRequestsFromMapFunc(r.targetsOfModel),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1alpha1.MetricSource{}, handler.EnqueueRequestsFromMapFunc(r.targetsOfSource)).
		Watches(&v1alpha1.Campaign{}, handler.EnqueueRequestsFromMapFunc(r.targetsOfCampaign),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("maturitytarget").
		WithOptions(opts).
		Complete(r)
}

func (r *MaturityTargetReconciler) targetsOfModel(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1alpha1.MaturityTargetList{}, client.MatchingFields{IndexModelRef: o.GetName()})
}

func (r *MaturityTargetReconciler) targetsOfSource(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1alpha1.MaturityTargetList{}, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{IndexMetricSources: o.GetName()})
}
