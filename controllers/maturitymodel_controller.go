package controllers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// MaturityModelReconciler compiles each model's rules once per generation,
// reports whether they compile, and rolls a new generation out to the
// targets: at once, or first as a preview (spec.rollout).
type MaturityModelReconciler struct {
	Client   client.Client
	Recorder events.EventRecorder
	Models   *maturity.Cache
	Clock    clock.PassiveClock
	// RevisionNamespace is where the applied generations are kept (the
	// operator's namespace); empty disables Preview (every generation
	// applies at once).
	RevisionNamespace string
	// Targets reads the targets a preview covers and their sources: the
	// cache, or the API server when the cache holds one shard only.
	Targets client.Reader
}

func (r *MaturityModelReconciler) revisions() modelRevisions {
	return modelRevisions{client: r.Client, namespace: r.RevisionNamespace, models: r.Models}
}

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=maturitymodels,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=maturitymodels/status,verbs=get;update;patch

// Reconcile compiles the model and writes its status.
func (r *MaturityModelReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	w := statusWriter[*v1alpha1.MaturityModel]{client: r.Client, recorder: r.Recorder, statusOf: modelStatus}
	return w.reconcile(ctx, req, r.Clock.Now(), &v1alpha1.MaturityModel{},
		r.reconcile)
}

// reconcile writes the model's compile result and rollout into its status;
// a model that does not compile is a terminal error, since only a spec
// change can fix it (in Preview its targets stay on the applied generation).
func (r *MaturityModelReconciler) reconcile(ctx context.Context, model *v1alpha1.MaturityModel, now time.Time) (ctrl.Result, error) {
	compiled, errs := r.Models.Get(model)
	st := &model.Status
	st.Levels = int32(len(model.Spec.Levels))
	st.Objectives, st.Rules = countObjectivesAndRules(&model.Spec)
	st.RuleErrors = nil
	for i, e := range errs {
		if i == 50 {
			break
		}
		st.RuleErrors = append(st.RuleErrors, v1alpha1.RuleError{Field: e.Field, Message: truncate(e.Message, 1024)})
	}
	st.ObservedGeneration = model.Generation
	conds := conditionSetter{conditions: &st.Conditions, generation: model.Generation, now: now}
	if len(errs) > 0 {
		if inPreview(model) {
			if _, err := r.rollout(ctx, model, nil, conds, now); err != nil {
				return ctrl.Result{}, err
			}
		}
		conds.stalled(v1alpha1.ReasonInvalidRule, summarizeFieldErrors(errs))
		return ctrl.Result{}, reconcile.TerminalError(fmt.Errorf("model %s does not compile: %s", model.Name, errs[0].Error()))
	}
	next, err := r.rollout(ctx, model, compiled, conds, now)
	if err != nil {
		return ctrl.Result{}, err
	}
	conds.ready(fmt.Sprintf("%d levels, %d objectives, %d rules compiled", st.Levels, st.Objectives, st.Rules))
	return ctrl.Result{RequeueAfter: next}, nil
}

func modelStatus(m *v1alpha1.MaturityModel) any { return m.Status }

func countObjectivesAndRules(spec *v1alpha1.MaturityModelSpec) (objectives, rules int32) {
	for _, s := range spec.Streams {
		objectives += int32(len(s.Objectives))
		for _, o := range s.Objectives {
			rules += int32(len(o.Criteria))
		}
	}
	return objectives, rules
}

// summarizeFieldErrors is the one-line message of a Stalled condition: the
// first error in full, then how many more the status lists.
func summarizeFieldErrors(errs []maturity.FieldError) string {
	var b strings.Builder
	b.WriteString(errs[0].Error())
	if len(errs) > 1 {
		fmt.Fprintf(&b, " (and %d more in status.ruleErrors)", len(errs)-1)
	}
	return b.String()
}

// SetupWithManager registers the controller.
func (r *MaturityModelReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.MaturityModel{}, builder.WithPredicates(specOrRequest(), r.forgetDeleted())).
		// A target created or edited while its model is in Preview changes
		// the preview.
		Watches(&v1alpha1.MaturityTarget{}, handler.EnqueueRequestsFromMapFunc(r.previewOfTarget),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("maturitymodel").
		WithOptions(opts).
		Complete(r)
}

// forgetDeleted drops a deleted model's compiled rules from the cache; the
// delete event is the last place its UID is known.
func (r *MaturityModelReconciler) forgetDeleted() predicate.Funcs {
	return predicate.Funcs{DeleteFunc: func(e event.DeleteEvent) bool {
		r.Models.Forget(e.Object.GetUID())
		return true
	}}
}

// previewOfTarget is the target's model when that model is in Preview.
func (r *MaturityModelReconciler) previewOfTarget(ctx context.Context, o client.Object) []reconcile.Request {
	t := o.(*v1alpha1.MaturityTarget)
	model := &v1alpha1.MaturityModel{}
	if err := r.Client.Get(ctx, types.NamespacedName{Name: t.Spec.ModelRef.Name}, model); err != nil || !inPreview(model) {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Name: model.Name}}}
}
