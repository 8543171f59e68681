package notify

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	metav1ac "k8s.io/client-go/applyconfigurations/meta/v1"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	acv1alpha1 "github.com/scaleup-operator/scaleup-operator/api/applyconfiguration/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// FieldManager owns status.notified and the Notified condition: a manager
// of its own, so that its applies and the ProjectTask controller's leave
// each other's conditions alone.
const FieldManager = "scaleup-operator-notify"

// Setup adds a sender of task events to opts.Sink to the manager and
// returns it, for the ProjectTask controller to queue tasks.
func Setup(mgr ctrl.Manager, opts Options, clk clock.PassiveClock) (*Sender, error) {
	opts = opts.withDefaults()
	sink, err := NewSink(opts.Sink, opts.Timeout)
	if err != nil {
		return nil, err
	}
	store := &KubeStore{Client: mgr.GetClient(), Reader: mgr.GetAPIReader(), Clock: clk}
	s := NewSender(store, sink, clk, nil, opts, ctrl.Log.WithName("task-events"))
	if err := mgr.Add(s); err != nil {
		return nil, err
	}
	return s, nil
}

// ValidateSink checks a sink URL: absolute, http or https.
func ValidateSink(sink string) error {
	u, err := url.Parse(sink)
	if err != nil {
		return fmt.Errorf("task events sink: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("task events sink %q: want an http:// or https:// URL", u.Redacted())
	}
	return nil
}

// NewSink returns a CloudEvents HTTP client that POSTs to sink. The sink is
// configured by the platform team with a manager flag, not by tenants, so
// it is trusted: it is not subject to the MetricSource egress policy.
func NewSink(sink string, timeout time.Duration) (Sink, error) {
	if err := ValidateSink(sink); err != nil {
		return nil, err
	}
	c, err := cloudevents.NewClientHTTP(cloudevents.WithTarget(sink), cehttp.WithClient(http.Client{Timeout: timeout}))
	if err != nil {
		return nil, fmt.Errorf("task events sink: %w", err)
	}
	return c, nil
}

// KubeStore is the Store of a manager: it reads tasks from the API server
// (not the cache, so a transition is not sent from a stale copy) and
// applies status.notified and Notified with FieldManager.
type KubeStore struct {
	Client client.Client
	Reader client.Reader
	Clock  clock.PassiveClock
}

// Get reads the stored task.
func (k *KubeStore) Get(ctx context.Context, key types.NamespacedName) (*v1alpha1.ProjectTask, error) {
	task := &v1alpha1.ProjectTask{}
	return task, k.Reader.Get(ctx, key, task)
}

// Delivered records t as acknowledged.
func (k *KubeStore) Delivered(ctx context.Context, task *v1alpha1.ProjectTask, t *Transition) error {
	n := t.Notification()
	return k.apply(ctx, task, &n, true, v1alpha1.ReasonDelivered, "the sink acknowledged "+string(t.Type)+" "+t.ID)
}

// Unavailable records that the sink did not acknowledge; nothing is written
// when the condition already says so.
func (k *KubeStore) Unavailable(ctx context.Context, task *v1alpha1.ProjectTask, message string) error {
	if c := meta.FindStatusCondition(task.Status.Conditions, v1alpha1.ConditionNotified); c != nil &&
		c.Status == metav1.ConditionFalse && c.Reason == v1alpha1.ReasonSinkUnavailable && c.Message == message {
		return nil
	}
	return k.apply(ctx, task, task.Status.Notified, false, v1alpha1.ReasonSinkUnavailable, message+"; retrying with backoff")
}

// apply writes every field FieldManager owns: the ones it leaves out would
// be removed.
func (k *KubeStore) apply(ctx context.Context, task *v1alpha1.ProjectTask, n *v1alpha1.TaskNotification,
	ok bool, reason, message string) error {
	conds := append([]metav1.Condition(nil), task.Status.Conditions...)
	status := metav1.ConditionFalse
	if ok {
		status = metav1.ConditionTrue
	}
	meta.SetStatusCondition(&conds, metav1.Condition{
		Type: v1alpha1.ConditionNotified, Status: status, Reason: reason, Message: message,
		ObservedGeneration: task.Generation, LastTransitionTime: metav1.NewTime(k.Clock.Now().Truncate(time.Second)),
	})
	c := meta.FindStatusCondition(conds, v1alpha1.ConditionNotified)
	st := acv1alpha1.ProjectTaskStatus().WithConditions(metav1ac.Condition().WithType(c.Type).WithStatus(c.Status).
		WithReason(c.Reason).WithMessage(c.Message).WithObservedGeneration(c.ObservedGeneration).
		WithLastTransitionTime(c.LastTransitionTime))
	if n != nil {
		nac := acv1alpha1.TaskNotification().WithID(n.ID).WithType(n.Type).WithPhase(n.Phase)
		if n.Assignee != "" {
			nac.WithAssignee(n.Assignee)
		}
		st.WithNotified(nac)
	}
	ac := acv1alpha1.ProjectTask(task.Name, task.Namespace).WithStatus(st)
	// A task deleted meanwhile has nothing left to notify.
	return client.IgnoreNotFound(k.Client.Status().Apply(ctx, ac, client.FieldOwner(FieldManager), client.ForceOwnership))
}

// Pending lists the tasks, from the cache, that have a transition pending.
func (k *KubeStore) Pending(ctx context.Context) ([]types.NamespacedName, error) {
	list := &v1alpha1.ProjectTaskList{}
	if err := k.Client.List(ctx, list); err != nil {
		return nil, err
	}
	var keys []types.NamespacedName
	for i := range list.Items {
		if Pending(&list.Items[i]) != nil {
			keys = append(keys, client.ObjectKeyFromObject(&list.Items[i]))
		}
	}
	return keys, nil
}
