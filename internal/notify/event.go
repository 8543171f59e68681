// Package notify sends the transitions of ProjectTasks (opened, overdue,
// resolved, reassigned) as CloudEvents to a sink the platform team
// configures, so that the people who own a task learn of it in their own
// tools (Jira, GitHub issues, a chat channel) through Knative, Argo Events
// or a webhook relay.
//
// Delivery is at least once. What the sink has acknowledged lives on the
// task itself (status.notified); the transition a task is in is computed
// from the task and that record (Pending), so a restart resends whatever
// was not acknowledged, with the same event id, and needs no other storage.
package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// TypePrefix is the prefix of every event type; the transition follows it,
// as in io.scaleup.growth.projecttask.opened.
const TypePrefix = "io.scaleup.growth.projecttask."

// ExtensionOwnerRole is a CloudEvents extension attribute carrying the
// task's owner role, so that a Knative Trigger or an Argo Events sensor can
// route on an attribute without reading the data.
const ExtensionOwnerRole = "ownerrole"

// Transition is the transition a task has not had acknowledged by the sink.
type Transition struct {
	// ID is the CloudEvent id: the same for as long as the transition is
	// pending, different for every transition of the task.
	ID    string
	Type  v1alpha1.TaskEventType
	Phase v1alpha1.TaskPhase
	// Assignee is the assignee the task has; PreviousAssignee the one the
	// sink knew (set on reassigned).
	Assignee, PreviousAssignee string
}

// Notification is the record of the transition once the sink acknowledged it.
func (t Transition) Notification() v1alpha1.TaskNotification {
	return v1alpha1.TaskNotification{ID: t.ID, Type: t.Type, Phase: t.Phase, Assignee: t.Assignee}
}

// Phase is where the task stands: resolved when its gap closed or people
// marked it Done, overdue when the ProjectTask controller found it past its
// due date, open otherwise.
func Phase(task *v1alpha1.ProjectTask) v1alpha1.TaskPhase {
	switch {
	case task.Spec.State == v1alpha1.TaskDone || meta.IsStatusConditionTrue(task.Status.Conditions, v1alpha1.ConditionResolved):
		return v1alpha1.TaskPhaseResolved
	case meta.IsStatusConditionTrue(task.Status.Conditions, v1alpha1.ConditionOverdue):
		return v1alpha1.TaskPhaseOverdue
	}
	return v1alpha1.TaskPhaseOpen
}

// phaseEvents is the transition into each phase.
var phaseEvents = map[v1alpha1.TaskPhase]v1alpha1.TaskEventType{
	v1alpha1.TaskPhaseOpen:     v1alpha1.TaskEventOpened,
	v1alpha1.TaskPhaseOverdue:  v1alpha1.TaskEventOverdue,
	v1alpha1.TaskPhaseResolved: v1alpha1.TaskEventResolved,
}

// Pending returns the transition of the task the sink has not acknowledged,
// or nil. It compares the task's phase and assignee with status.notified:
// a new phase is that phase's transition, the same phase with another
// assignee is reassigned. A task the ProjectTask controller has not handled
// yet (no Overdue condition) has none, so that a late task is not first
// announced as opened.
//
// Transitions that follow each other before the sink acknowledges the first
// coalesce into the latest: the sink always learns the task's current
// state, and the data of every event carries all of it.
//
// The id hashes the task's UID, the transition and the id the sink last
// acknowledged: it is stable while the transition is pending (a resend
// after a failed acknowledgement or a restart has the same id, so receivers
// can deduplicate) and differs for every later transition, even one back
// into an earlier phase.
func Pending(task *v1alpha1.ProjectTask) *Transition {
	if meta.FindStatusCondition(task.Status.Conditions, v1alpha1.ConditionOverdue) == nil {
		return nil
	}
	t := &Transition{Phase: Phase(task), Assignee: task.Spec.Assignee}
	last := task.Status.Notified
	switch {
	case last == nil || last.Phase != t.Phase:
		t.Type = phaseEvents[t.Phase]
	case last.Assignee != t.Assignee:
		t.Type, t.PreviousAssignee = v1alpha1.TaskEventReassigned, last.Assignee
	default:
		return nil
	}
	var previous string
	if last != nil {
		previous = last.ID
	}
	t.ID = transitionID(string(task.UID), t, previous)
	return t
}

func transitionID(uid string, t *Transition, previous string) string {
	h := sha256.New()
	for _, part := range []string{uid, string(t.Type), string(t.Phase), t.Assignee, previous} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Data is the payload of every task event: the task as its owners see it.
type Data struct {
	Title       string             `json:"title"`
	Description string             `json:"description,omitempty"`
	OwnerRole   v1alpha1.OwnerRole `json:"ownerRole"`
	Priority    v1alpha1.Priority  `json:"priority,omitempty"`
	Assignee    string             `json:"assignee,omitempty"`
	// PreviousAssignee is set on reassigned.
	PreviousAssignee string              `json:"previousAssignee,omitempty"`
	DueDate          *time.Time          `json:"dueDate,omitempty"`
	State            v1alpha1.TaskState  `json:"state,omitempty"`
	Phase            v1alpha1.TaskPhase  `json:"phase"`
	Source           v1alpha1.TaskSource `json:"source"`
	Namespace        string              `json:"namespace"`
	Name             string              `json:"name"`
}

// Source is the CloudEvent source of a task: its API path.
func Source(namespace, name string) string {
	return "/apis/" + v1alpha1.GroupVersion.Group + "/" + v1alpha1.GroupVersion.Version +
		"/namespaces/" + namespace + "/projecttasks/" + name
}

// Event builds the CloudEvent of transition t of task at time now.
func Event(task *v1alpha1.ProjectTask, t *Transition, now time.Time) (cloudevents.Event, error) {
	ev := cloudevents.NewEvent()
	ev.SetID(t.ID)
	ev.SetType(TypePrefix + string(t.Type))
	ev.SetSource(Source(task.Namespace, task.Name))
	ev.SetSubject(task.Name)
	ev.SetTime(now)
	ev.SetExtension(ExtensionOwnerRole, string(task.Spec.OwnerRole))
	d := Data{
		Title: task.Spec.Title, Description: task.Spec.Description, OwnerRole: task.Spec.OwnerRole,
		Priority: task.Spec.Priority, Assignee: t.Assignee, PreviousAssignee: t.PreviousAssignee,
		State: task.Spec.State, Phase: t.Phase, Source: task.Spec.Source, Namespace: task.Namespace, Name: task.Name,
	}
	if task.Spec.DueDate != nil {
		due := task.Spec.DueDate.UTC()
		d.DueDate = &due
	}
	err := ev.SetData(cloudevents.ApplicationJSON, d)
	return ev, err
}
