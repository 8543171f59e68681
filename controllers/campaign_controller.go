package controllers

import (
	"context"
	"errors"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/campaign"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// CampaignReconciler reports a Campaign's phase and progress. The targets
// do the grading (MaturityTargetReconciler merges the campaigns selecting
// them); this controller only checks the campaign against its model and
// counts the targets' results for it.
type CampaignReconciler struct {
	Client   client.Client
	Recorder events.EventRecorder
	Models   *maturity.Cache
	Clock    clock.PassiveClock
}

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=campaigns,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=campaigns/status,verbs=get;update;patch

// Reconcile counts the campaign's targets and writes its status in one patch.
func (r *CampaignReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	w := statusWriter[*v1alpha1.Campaign]{client: r.Client, recorder: r.Recorder, statusOf: campaignStatus}
	return w.reconcile(ctx, req, r.Clock.Now(), &v1alpha1.Campaign{}, r.reconcile)
}

func campaignStatus(c *v1alpha1.Campaign) any { return c.Status }

func (r *CampaignReconciler) reconcile(ctx context.Context, c *v1alpha1.Campaign, now time.Time) (ctrl.Result, error) {
	st := &c.Status
	conds := conditionSetter{conditions: &st.Conditions, generation: c.Generation, now: now}
	stall := func(reason, message string) (ctrl.Result, error) {
		conds.stalled(reason, message)
		st.ObservedGeneration = c.Generation
		return ctrl.Result{}, reconcile.TerminalError(errors.New(message))
	}
	phase, next := maturity.CampaignPhase(c.Spec.Start.Time, c.Spec.TargetDate.Time, now)
	st.Phase = phase

	if !c.Spec.TargetDate.After(c.Spec.Start.Time) {
		return stall(v1alpha1.ReasonInvalidSpec, "spec.targetDate must be after spec.start")
	}
	selector, err := metav1.LabelSelectorAsSelector(&c.Spec.TargetSelector)
	if err != nil {
		return stall(v1alpha1.ReasonInvalidSpec, "spec.targetSelector: "+err.Error())
	}
	compiled, errs := r.Models.Campaign(c)
	if len(errs) > 0 {
		return stall(v1alpha1.ReasonInvalidRule, summarizeFieldErrors(errs))
	}
	model := &v1alpha1.MaturityModel{}
	if err := r.Client.Get(ctx, types.NamespacedName{Name: c.Spec.ModelRef.Name}, model); err != nil {
		if apierrors.IsNotFound(err) {
			conds.waiting(v1alpha1.ReasonModelNotFound,
				fmt.Sprintf("waiting for MaturityModel %q (spec.modelRef.name)", c.Spec.ModelRef.Name))
			return ctrl.Result{RequeueAfter: referenceWait}, nil
		}
		return ctrl.Result{}, err
	}
	m, merrs := r.Models.Get(model)
	if len(merrs) > 0 {
		conds.waiting(v1alpha1.ReasonModelNotReady, fmt.Sprintf("MaturityModel %q does not compile: %s", model.Name, summarizeFieldErrors(merrs)))
		return ctrl.Result{RequeueAfter: referenceWait}, nil
	}
	if errs := m.CheckCampaign(compiled); len(errs) > 0 {
		return stall(v1alpha1.ReasonInvalidSpec, fmt.Sprintf("MaturityModel %q: %s", model.Name, summarizeFieldErrors(errs)))
	}

	targets := &v1alpha1.MaturityTargetList{}
	if err := r.Client.List(ctx, targets, client.InNamespace(c.Namespace),
		client.MatchingFields{IndexModelRef: c.Spec.ModelRef.Name}, client.UnsafeDisableDeepCopy); err != nil {
		return ctrl.Result{}, err
	}
	var results []campaign.TargetResult
	for i := range targets.Items {
		t := &targets.Items[i]
		if selector.Matches(labels.Set(t.Labels)) {
			results = append(results, campaign.ResultOf(t.Status.Campaigns, c.Name, c.Generation))
		}
	}
	counts := campaign.Count(results)
	st.TargetsInScope, st.Passing, st.Failing = counts.InScope, counts.Passing, counts.Failing
	st.BurnUp = campaign.RecordSample(st.BurnUp, v1alpha1.CampaignSample{
		At: metav1Time(now), InScope: counts.InScope, Passing: counts.Passing,
	}, campaign.MaxBurnUp)
	msg := fmt.Sprintf("%s: %d of %d targets in scope pass", phase, counts.Passing, counts.InScope)
	if counts.Crowded > 0 {
		msg += fmt.Sprintf("; %d do not take this campaign: they take %d others, first by name", counts.Crowded, campaign.MaxPerTarget)
	}
	conds.ready(msg)
	st.ObservedGeneration = c.Generation
	if next.IsZero() {
		return ctrl.Result{}, nil
	}
	return ctrl.Result{RequeueAfter: max(next.Sub(now), time.Second)}, nil
}

// SetupWithManager registers the controller: a change to a target of the
// namespace (its labels or its campaign results) or to a model recounts
// the campaigns concerned.
func (r *CampaignReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Campaign{}, builder.WithPredicates(specOrRequest())).
		Watches(&v1alpha1.MaturityTarget{}, handler.EnqueueRequestsFromMapFunc(r.campaignsOfTarget)).
		Watches(&v1alpha1.MaturityModel{}, handler.EnqueueRequestsFromMapFunc(r.campaignsOfModel)).
		Named("campaign").
		WithOptions(opts).
		Complete(r)
}

func (r *CampaignReconciler) campaignsOfTarget(ctx context.Context, o client.Object) []reconcile.Request {
	t, ok := o.(*v1alpha1.MaturityTarget)
	if !ok {
		return nil
	}
	return requestsFor(ctx, r.Client, &v1alpha1.CampaignList{}, client.InNamespace(t.Namespace),
		client.MatchingFields{IndexCampaignModelRef: t.Spec.ModelRef.Name})
}

func (r *CampaignReconciler) campaignsOfModel(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1alpha1.CampaignList{}, client.MatchingFields{IndexCampaignModelRef: o.GetName()})
}
