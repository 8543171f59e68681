package controllers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

// PartnerReconciler derives a partner's phase from its facts, its program
// and its admission (decided by the PartnerProgram controller).
type PartnerReconciler struct {
	Client client.Client
	// Partners is the cache whose Partner informer holds
	// IndexPartnerProgram: a program's change fans out to its partners.
	Partners cache.Informers
	Recorder events.EventRecorder
	Clock    clock.PassiveClock
	// CalendarInterval is how often the partners whose phase moved with
	// the calendar are brought back (DefaultPartnerCalendarInterval when
	// zero).
	CalendarInterval time.Duration
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

	state, admittedAt, admitted := assessPartner(p, prog, now)
	if admitted && st.AdmittedAt == nil {
		// The program admits by annotation (or a restore left one, or the
		// spec shows progress): the status records it with the phase.
		t := metav1.NewTime(admittedAt)
		st.AdmittedAt = &t
	}
	st.Phase = state.Phase
	st.PhaseReason = state.Reason
	st.OnboardingProgress = fmt.Sprintf("%d/%d", state.Completed, state.Steps)
	st.TimeToActivation = nil
	if d := state.TimeToActivation; d != nil {
		st.TimeToActivation = &metav1.Duration{Duration: *d}
	}
	if admitted {
		conds.set(v1alpha1.ConditionAdmitted, true, v1alpha1.ReasonAdmitted, "admitted "+admittedAt.UTC().Format(time.DateOnly))
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
	// No timer: the partner calendar brings the partner back when time
	// moves its phase.
	return ctrl.Result{}, nil
}

// admissionOf is what the program's status says about seats, for the
// reason of a partner it has not admitted.
func admissionOf(prog *v1alpha1.PartnerProgram, admitted bool) partners.Admission {
	st := &prog.Status
	adm := partners.Admission{Admitted: admitted, Stage: st.Stage, Capacity: int(st.Capacity)}
	if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReadyForPartners); c != nil && c.Status == metav1.ConditionFalse {
		adm.HeldBy = c.Message
	}
	if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionExpansionOpen); c != nil {
		adm.Closed = c.Reason == v1alpha1.ReasonBusinessNotReady
	}
	return adm
}

// SetupWithManager registers the controller. Metadata changes matter: the
// program controller admits a partner with its admitted-at annotation. A
// program's spec, or the seats and readiness in its status, are what a
// waitlisted partner's reason says. The partner calendar brings back the
// partners whose phase the passing time changed.
func (r *PartnerReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Partner{}).
		Watches(&v1alpha1.PartnerProgram{}, handler.EnqueueRequestsFromMapFunc(r.partnersOfProgram),
			builder.WithPredicates(predicate.Or[client.Object](predicate.GenerationChangedPredicate{}, seatsChanged()))).
		WatchesRawSource(partnerCalendar{cache: mgr.GetCache(), clock: r.Clock,
			interval: cmp.Or(r.CalendarInterval, DefaultPartnerCalendarInterval)}.source()).
		Named("partner").
		WithOptions(opts).
		Complete(r)
}

func (r *PartnerReconciler) partnersOfProgram(ctx context.Context, o client.Object) []reconcile.Request {
	items, err := partnerItemsOf(ctx, r.Partners, o.GetNamespace(), o.GetName())
	if err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "listing the partners of a program")
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(items))
	for _, item := range items {
		if p, ok := item.(client.Object); ok {
			reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(p)})
		}
	}
	return reqs
}

// seatsChanged passes program updates that change what a waitlisted
// partner's reason reads: the stage, its seats, whether it admits, its
// readiness. These are rare; the count of seats taken alone, which changes
// with every admission, does not fan out to every partner (a waitlisted
// partner waits on a full stage, so its count moves only with the stage or
// with its own admission, and the partner calendar catches up).
func seatsChanged() predicate.Funcs {
	return predicate.Funcs{UpdateFunc: func(e event.UpdateEvent) bool {
		a, okA := e.ObjectOld.(*v1alpha1.PartnerProgram)
		b, okB := e.ObjectNew.(*v1alpha1.PartnerProgram)
		if !okA || !okB {
			return true
		}
		return a.Status.Stage != b.Status.Stage || a.Status.Capacity != b.Status.Capacity || a.Status.Expansion != b.Status.Expansion ||
			!equality.Semantic.DeepEqual(meta.FindStatusCondition(a.Status.Conditions, v1alpha1.ConditionReadyForPartners),
				meta.FindStatusCondition(b.Status.Conditions, v1alpha1.ConditionReadyForPartners))
	}}
}
