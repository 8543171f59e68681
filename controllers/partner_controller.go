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
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

// partnerInterval is how often a partner's phase is derived again: phases
// move with the calendar (an Active partner without activity turns Inactive).
const partnerInterval = time.Hour

// PartnerReconciler derives a partner's phase from its facts, its program
// and its admission (decided by the PartnerProgram controller).
type PartnerReconciler struct {
	Client   client.Client
	Recorder events.EventRecorder
	Clock    clock.PassiveClock
}

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=partners,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=partners/status,verbs=get;update;patch

// Reconcile derives the partner's status.
func (r *PartnerReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	w := statusWriter[*v1alpha1.Partner]{client: r.Client, recorder: r.Recorder, statusOf: partnerStatus}
	return w.reconcile(ctx, req, r.Clock.Now(), &v1alpha1.Partner{}, r.reconcile)
}

func partnerStatus(p *v1alpha1.Partner) any { return p.Status }

func (r *PartnerReconciler) reconcile(ctx context.Context, p *v1alpha1.Partner, now time.Time) (ctrl.Result, error) {
	st := &p.Status
	conds := conditionSetter{conditions: &st.Conditions, generation: p.Generation, now: now}
	prog := &v1alpha1.PartnerProgram{}
	if err := r.Client.Get(ctx, types.NamespacedName{Namespace: p.Namespace, Name: p.Spec.ProgramRef.Name}, prog); err != nil {
		if apierrors.IsNotFound(err) {
			// GitOps may apply partners before their program: wait for it.
			// The watch on programs brings the partner back when it is created.
			conds.waiting(v1alpha1.ReasonProgramNotFound,
				fmt.Sprintf("waiting for PartnerProgram %q (spec.programRef.name)", p.Spec.ProgramRef.Name))
			return ctrl.Result{RequeueAfter: referenceWait}, nil
		}
		return ctrl.Result{}, err
	}
	if problems := partners.Validate(p, &prog.Spec); len(problems) > 0 {
		msg := problems[0]
		if len(problems) > 1 {
			msg += fmt.Sprintf(" (and %d more: %s)", len(problems)-1, strings.Join(problems[1:], "; "))
		}
		conds.stalled(v1alpha1.ReasonInvalidSpec, msg)
		st.ObservedGeneration = p.Generation
		return ctrl.Result{}, reconcile.TerminalError(errors.New(msg))
	}

	state := partners.Derive(p, &prog.Spec, st.AdmittedAt != nil, now)
	st.Phase = state.Phase
	st.OnboardingProgress = fmt.Sprintf("%d/%d", state.Completed, state.Steps)
	st.TimeToActivation = nil
	if d := state.TimeToActivation; d != nil {
		st.TimeToActivation = &metav1.Duration{Duration: *d}
	}
	if st.AdmittedAt != nil {
		conds.set(v1alpha1.ConditionAdmitted, true, v1alpha1.ReasonAdmitted, "admitted "+st.AdmittedAt.UTC().Format(time.DateOnly))
	} else {
		conds.set(v1alpha1.ConditionAdmitted, false, v1alpha1.ReasonWaitlisted, "waiting for a seat in the program's current expansion stage")
	}
	if state.Onboarded {
		conds.set(v1alpha1.ConditionOnboarded, true, v1alpha1.ReasonStepsCompleted, fmt.Sprintf("all %d onboarding steps completed", state.Steps))
	} else {
		conds.set(v1alpha1.ConditionOnboarded, false, v1alpha1.ReasonStepsPending, fmt.Sprintf("%d of %d onboarding steps completed", state.Completed, state.Steps))
	}
	conds.ready("phase " + string(state.Phase))
	st.ObservedGeneration = p.Generation
	return ctrl.Result{RequeueAfter: partnerInterval}, nil
}

// SetupWithManager registers the controller. Status changes matter: the
// program controller admits a partner by setting status.admittedAt.
func (r *PartnerReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Partner{}).
		Watches(&v1alpha1.PartnerProgram{}, handler.EnqueueRequestsFromMapFunc(r.partnersOfProgram),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("partner").
		WithOptions(opts).
		Complete(r)
}

func (r *PartnerReconciler) partnersOfProgram(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1alpha1.PartnerList{}, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{IndexPartnerProgram: o.GetName()})
}
