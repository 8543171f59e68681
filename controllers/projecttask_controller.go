package controllers

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	metav1ac "k8s.io/client-go/applyconfigurations/meta/v1"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"

	acv1alpha1 "github.com/scaleup-operator/scaleup-operator/api/applyconfiguration/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/notify"
)

// taskFieldManager owns the conditions the ProjectTask controller writes
// (Ready, Overdue). Resolved belongs to the source's controller (FieldManager);
// separate managers let both apply their conditions without removing the other's.
const taskFieldManager = FieldManager + "-projecttask"

// TaskNotifier queues a task whose latest transition the task-events sink
// has not acknowledged (notify.Sender). Enqueue must not block.
type TaskNotifier interface {
	Enqueue(types.NamespacedName) bool
}

// ProjectTaskReconciler marks open tasks past their due date as Overdue,
// and queues their transitions for the task-events sink.
type ProjectTaskReconciler struct {
	Client   client.Client
	Recorder events.EventRecorder
	Clock    clock.PassiveClock
	// Notifier is nil when no task-events sink is configured.
	Notifier TaskNotifier
}

// Reconcile computes Overdue, announces the task's transitions and comes
// back when the task falls due.
func (r *ProjectTaskReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	task := &v1alpha1.ProjectTask{}
	if err := r.Client.Get(ctx, req.NamespacedName, task); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	now := r.Clock.Now()
	overdue, reason, message, dueIn := overdueState(task, now)

	// Compute the conditions on a copy to keep unchanged transition times
	// and to skip the write when nothing changed.
	want := task.Status.DeepCopy()
	want.LastHandledRequestedAt = v1alpha1.RequestedAt(task.Annotations)
	conds := conditionSetter{conditions: &want.Conditions, generation: task.Generation, now: now}
	conds.set(v1alpha1.ConditionOverdue, overdue, reason, message)
	conds.set(v1alpha1.ConditionReady, true, v1alpha1.ReasonSucceeded, "task reconciled")
	if want.ObservedGeneration != task.Generation || want.LastHandledRequestedAt != task.Status.LastHandledRequestedAt ||
		!sameCondition(task.Status.Conditions, want.Conditions, v1alpha1.ConditionOverdue) ||
		!sameCondition(task.Status.Conditions, want.Conditions, v1alpha1.ConditionReady) {
		ts := taskTransitions(task, task.Status.Conditions, want.Conditions)
		ac := acv1alpha1.ProjectTask(task.Name, task.Namespace).WithStatus(acv1alpha1.ProjectTaskStatus().
			WithObservedGeneration(task.Generation).
			WithConditions(conditionApply(want.Conditions, v1alpha1.ConditionReady), conditionApply(want.Conditions, v1alpha1.ConditionOverdue)))
		if want.LastHandledRequestedAt != "" {
			ac.Status.WithLastHandledRequestedAt(want.LastHandledRequestedAt)
		}
		if len(ts) > 0 {
			// Announce only a change of the stored task: an apply from a
			// stale cached copy conflicts and is retried from a fresh one.
			ac.WithResourceVersion(task.ResourceVersion)
		}
		if err := r.Client.Status().Apply(ctx, ac, client.FieldOwner(taskFieldManager), client.ForceOwnership); err != nil {
			return ctrl.Result{}, err
		}
		emit(r.Recorder, task, ts)
	}
	// The sender reads the task again before it sends: queuing it on every
	// reconcile whose view shows a pending transition, including the first
	// after a restart, is what resends what was never acknowledged.
	if r.Notifier != nil {
		view := task.DeepCopy()
		view.Status.Conditions = want.Conditions
		if notify.Pending(view) != nil && !r.Notifier.Enqueue(req.NamespacedName) {
			ctrl.LoggerFrom(ctx).V(1).Info("task events queue full; the task is queued at the next resync")
		}
	}
	if dueIn > 0 {
		return ctrl.Result{RequeueAfter: dueIn}, nil
	}
	return ctrl.Result{}, nil
}

// msgGapClosed is the Overdue message of a resolved task.
const msgGapClosed = "the gap has closed"

// overdueState says whether the task is overdue and, if it is not yet, how
// long until it is. Done and resolved tasks are never overdue.
func overdueState(t *v1alpha1.ProjectTask, now time.Time) (bool, string, string, time.Duration) {
	switch {
	case t.Spec.State == v1alpha1.TaskDone:
		return false, v1alpha1.ReasonOnSchedule, "task is done", 0
	case meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionResolved):
		return false, v1alpha1.ReasonGapClosed, msgGapClosed, 0
	case t.Spec.DueDate == nil:
		return false, v1alpha1.ReasonOnSchedule, "no due date", 0
	case !now.Before(t.Spec.DueDate.Time):
		return true, v1alpha1.ReasonPastDue, "due " + t.Spec.DueDate.UTC().Format(time.RFC3339), 0
	}
	return false, v1alpha1.ReasonOnSchedule, "due " + t.Spec.DueDate.UTC().Format(time.RFC3339), t.Spec.DueDate.Sub(now)
}

func sameCondition(a, b []metav1.Condition, typ string) bool {
	ca, cb := meta.FindStatusCondition(a, typ), meta.FindStatusCondition(b, typ)
	if ca == nil || cb == nil {
		return ca == cb
	}
	return *ca == *cb
}

func conditionApply(conds []metav1.Condition, typ string) *metav1ac.ConditionApplyConfiguration {
	c := meta.FindStatusCondition(conds, typ)
	return metav1ac.Condition().WithType(c.Type).WithStatus(c.Status).WithReason(c.Reason).
		WithMessage(c.Message).WithObservedGeneration(c.ObservedGeneration).WithLastTransitionTime(c.LastTransitionTime)
}

// SetupWithManager registers the controller. Status changes matter here
// (Resolved set by the source's controller), so there is no generation filter.
func (r *ProjectTaskReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.ProjectTask{}).
		Named("projecttask").
		WithOptions(opts).
		Complete(r)
}
