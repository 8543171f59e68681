package controllers

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=maturitytargets,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=maturitymodels,verbs=get;list;watch

// gateOutcome is how a pass continues after the readiness gate was looked
// at: with the gate, or done with the result and error it ends with.
type gateOutcome struct {
	gate   partners.Gate
	done   bool
	result ctrl.Result
	err    error
}

// readiness judges the program's readiness gate (spec.readiness) against
// the MaturityTarget it names. Error policy: a target that does not exist
// yet, or has no level yet (not evaluated for its generation, its model
// missing, stalled), is waited for (Reconciling; the watch on targets brings
// the program back); a minimumLevel the target's model does not have stalls
// the program; a failed read is returned for backoff.
func (r *PartnerProgramReconciler) readiness(ctx context.Context, prog *v1alpha1.PartnerProgram, conds conditionSetter) gateOutcome {
	spec := prog.Spec.Readiness
	if spec == nil {
		return gateOutcome{gate: partners.Ungated}
	}
	wait := func(reason, format string, args ...any) gateOutcome {
		conds.waiting(reason, fmt.Sprintf(format, args...))
		return gateOutcome{done: true, result: ctrl.Result{RequeueAfter: referenceWait}}
	}
	name := spec.MaturityTargetRef.Name
	target := &v1alpha1.MaturityTarget{}
	if err := r.Client.Get(ctx, types.NamespacedName{Namespace: prog.Namespace, Name: name}, target); err != nil {
		if apierrors.IsNotFound(err) {
			return wait(v1alpha1.ReasonMaturityTargetNotFound, "waiting for MaturityTarget %q (spec.readiness.maturityTargetRef.name)", name)
		}
		return gateOutcome{done: true, err: err}
	}
	if stalled := meta.FindStatusCondition(target.Status.Conditions, v1alpha1.ConditionStalled); stalled != nil && stalled.Status == metav1.ConditionTrue {
		return wait(v1alpha1.ReasonMaturityTargetNotReady, "waiting for MaturityTarget %q, which is stalled: %s", name, stalled.Message)
	}
	if target.Status.ObservedGeneration == 0 || target.Status.ObservedGeneration != target.Generation {
		return wait(v1alpha1.ReasonMaturityTargetNotReady, "waiting for MaturityTarget %q to be evaluated (generation %d)", name, target.Generation)
	}
	model := &v1alpha1.MaturityModel{}
	if err := r.Client.Get(ctx, types.NamespacedName{Name: target.Spec.ModelRef.Name}, model); err != nil {
		if apierrors.IsNotFound(err) {
			return wait(v1alpha1.ReasonMaturityTargetNotReady, "waiting for MaturityModel %q of MaturityTarget %q", target.Spec.ModelRef.Name, name)
		}
		return gateOutcome{done: true, err: err}
	}
	levels := make([]string, len(model.Spec.Levels))
	for i, l := range model.Spec.Levels {
		levels[i] = l.Name
	}
	gate, err := partners.Readiness(spec, name, model.Name, levels, target.Status.CurrentLevel)
	if err != nil {
		// Only a change of the program, or of the model (the watch on
		// models brings the program back), can help.
		conds.stalled(v1alpha1.ReasonUnknownLevel, err.Error())
		prog.Status.ObservedGeneration = prog.Generation
		return gateOutcome{done: true, err: reconcile.TerminalError(errors.New(err.Error()))}
	}
	return gateOutcome{gate: gate}
}

// readinessTransition announces a program's ReadyForPartners flipping:
// Normal when the business became ready, Warning when it fell below the
// minimum level. The condition's first value announces nothing.
func readinessTransition(before, after []metav1.Condition) []transition {
	was := meta.FindStatusCondition(before, v1alpha1.ConditionReadyForPartners)
	now := meta.FindStatusCondition(after, v1alpha1.ConditionReadyForPartners)
	if was == nil || now == nil || was.Status == now.Status {
		return nil
	}
	return []transition{{warning: now.Status != metav1.ConditionTrue, reason: now.Reason, action: actionEvaluate, note: now.Message}}
}

// programsOfTarget are the programs whose readiness gate names the target.
func (r *PartnerProgramReconciler) programsOfTarget(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1alpha1.PartnerProgramList{}, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{IndexProgramReadinessTarget: o.GetName()})
}

// programsOfModel are the programs gated on a target that uses the model:
// a model that gains a level un-stalls a program whose minimumLevel it
// lacked.
func (r *PartnerProgramReconciler) programsOfModel(ctx context.Context, o client.Object) []reconcile.Request {
	targets := requestsFor(ctx, r.Client, &v1alpha1.MaturityTargetList{}, client.MatchingFields{IndexModelRef: o.GetName()})
	reqs := make([]reconcile.Request, 0, len(targets))
	for _, t := range targets {
		reqs = append(reqs, requestsFor(ctx, r.Client, &v1alpha1.PartnerProgramList{}, client.InNamespace(t.Namespace),
			client.MatchingFields{IndexProgramReadinessTarget: t.Name})...)
	}
	return reqs
}

// targetLevelChanged passes the target events a gate can see: creation,
// deletion, and updates that change what the gate reads (the level, the
// generation evaluated, the model, whether the target is stalled). A target
// writes its status on every change of its score or history; those alone do
// not re-evaluate its programs.
func targetLevelChanged() predicate.Funcs {
	return predicate.Funcs{UpdateFunc: func(e event.UpdateEvent) bool {
		a, okA := e.ObjectOld.(*v1alpha1.MaturityTarget)
		b, okB := e.ObjectNew.(*v1alpha1.MaturityTarget)
		if !okA || !okB {
			return true
		}
		return a.Status.CurrentLevel != b.Status.CurrentLevel || a.Generation != b.Generation ||
			a.Status.ObservedGeneration != b.Status.ObservedGeneration ||
			meta.IsStatusConditionTrue(a.Status.Conditions, v1alpha1.ConditionStalled) != meta.IsStatusConditionTrue(b.Status.Conditions, v1alpha1.ConditionStalled)
	}}
}
