package notify

import (
	"encoding/json"
	"testing"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var due = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

// handledTask is an open task the ProjectTask controller has handled.
func handledTask(ns, name string) *v1alpha1.ProjectTask {
	return &v1alpha1.ProjectTask{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID("uid-" + name), ResourceVersion: "1"},
		Spec: v1alpha1.ProjectTaskSpec{
			Title: "Shared inbox", Description: "One inbox for every channel", OwnerRole: v1alpha1.OwnerCustomerSupport,
			Priority: v1alpha1.PriorityHigh, DueDate: &metav1.Time{Time: due}, State: v1alpha1.TaskOpen,
			Source: v1alpha1.TaskSource{Kind: "MaturityTarget", Name: "shop", Stream: "service", Objective: "response", Level: "HighPerformance"},
		},
		Status: v1alpha1.ProjectTaskStatus{Conditions: []metav1.Condition{
			{Type: v1alpha1.ConditionOverdue, Status: metav1.ConditionFalse, Reason: v1alpha1.ReasonOnSchedule},
		}},
	}
}

func setCondition(task *v1alpha1.ProjectTask, typ string, status metav1.ConditionStatus, reason string) {
	meta.SetStatusCondition(&task.Status.Conditions, metav1.Condition{Type: typ, Status: status, Reason: reason})
}

// acknowledge records p as acknowledged, as the sender does.
func acknowledge(task *v1alpha1.ProjectTask, p *Transition) {
	n := p.Notification()
	task.Status.Notified = &n
}

func TestPendingFollowsTheTaskThroughItsTransitions(t *testing.T) {
	task := handledTask("acme", "inbox")
	seen := map[string]v1alpha1.TaskEventType{}
	step := func(want v1alpha1.TaskEventType, change func()) *Transition {
		t.Helper()
		change()
		p := Pending(task)
		if p == nil || p.Type != want {
			t.Fatalf("pending = %+v, want %s", p, want)
		}
		// Stable while pending: the same task read again (another
		// resourceVersion, another reconcile) has the same id.
		again := task.DeepCopy()
		again.ResourceVersion = "99"
		if q := Pending(again); q.ID != p.ID {
			t.Fatalf("id moved while pending: %s then %s", p.ID, q.ID)
		}
		if prev, dup := seen[p.ID]; dup {
			t.Fatalf("%s reuses the id of an earlier %s", want, prev)
		}
		seen[p.ID] = p.Type
		acknowledge(task, p)
		if q := Pending(task); q != nil {
			t.Fatalf("still pending after the acknowledgement: %+v", q)
		}
		return p
	}
	step(v1alpha1.TaskEventOpened, func() {})
	r := step(v1alpha1.TaskEventReassigned, func() { task.Spec.Assignee = "jane@shop.example" })
	if r.PreviousAssignee != "" || r.Assignee != "jane@shop.example" {
		t.Errorf("reassigned = %+v", r)
	}
	r = step(v1alpha1.TaskEventReassigned, func() { task.Spec.Assignee = "joe@shop.example" })
	if r.PreviousAssignee != "jane@shop.example" {
		t.Errorf("previous assignee = %q", r.PreviousAssignee)
	}
	step(v1alpha1.TaskEventOverdue, func() {
		setCondition(task, v1alpha1.ConditionOverdue, metav1.ConditionTrue, v1alpha1.ReasonPastDue)
	})
	step(v1alpha1.TaskEventResolved, func() {
		setCondition(task, v1alpha1.ConditionResolved, metav1.ConditionTrue, v1alpha1.ReasonGapClosed)
		setCondition(task, v1alpha1.ConditionOverdue, metav1.ConditionFalse, v1alpha1.ReasonGapClosed)
	})
	// Opened again after its gap closed: a new id, not the first opened's.
	step(v1alpha1.TaskEventOpened, func() {
		setCondition(task, v1alpha1.ConditionResolved, metav1.ConditionFalse, v1alpha1.ReasonGapOpen)
		setCondition(task, v1alpha1.ConditionOverdue, metav1.ConditionFalse, v1alpha1.ReasonOnSchedule)
	})
	step(v1alpha1.TaskEventResolved, func() { task.Spec.State = v1alpha1.TaskDone })
}

func TestPending(t *testing.T) {
	unhandled := handledTask("acme", "new")
	unhandled.Status.Conditions = nil
	if p := Pending(unhandled); p != nil {
		t.Errorf("a task the controller has not handled has %+v pending", p)
	}

	// Transitions before an acknowledgement coalesce into the latest.
	task := handledTask("acme", "inbox")
	setCondition(task, v1alpha1.ConditionOverdue, metav1.ConditionTrue, v1alpha1.ReasonPastDue)
	task.Spec.Assignee = "jane@shop.example"
	if p := Pending(task); p.Type != v1alpha1.TaskEventOverdue || p.Assignee != "jane@shop.example" {
		t.Errorf("pending = %+v, want overdue with the assignee", p)
	}

	// A change back to what the sink knows leaves nothing pending.
	acknowledge(task, Pending(task))
	task.Spec.Assignee = "joe@shop.example"
	task.Spec.Assignee = "jane@shop.example"
	if p := Pending(task); p != nil {
		t.Errorf("pending = %+v, want none", p)
	}

	// Two tasks in the same state have different ids.
	a, b := handledTask("acme", "a"), handledTask("acme", "b")
	if Pending(a).ID == Pending(b).ID {
		t.Error("two tasks share an id")
	}
}

func TestEvent(t *testing.T) {
	task := handledTask("acme", "inbox")
	task.Spec.Assignee = "jane@shop.example"
	p := Pending(task)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ev, err := Event(task, p, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := ev.Validate(); err != nil {
		t.Fatalf("invalid event: %v", err)
	}
	checks := map[string][2]string{
		"id":        {ev.ID(), p.ID},
		"type":      {ev.Type(), "io.scaleup.growth.projecttask.opened"},
		"source":    {ev.Source(), "/apis/growth.scaleup.io/v1alpha1/namespaces/acme/projecttasks/inbox"},
		"subject":   {ev.Subject(), "inbox"},
		"ownerrole": {ev.Extensions()[ExtensionOwnerRole].(string), "CustomerSupport"},
		"datatype":  {ev.DataContentType(), cloudevents.ApplicationJSON},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if !ev.Time().Equal(now) {
		t.Errorf("time = %v", ev.Time())
	}
	var d map[string]any
	if err := json.Unmarshal(ev.Data(), &d); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"title": "Shared inbox", "description": "One inbox for every channel", "ownerRole": "CustomerSupport",
		"priority": "High", "assignee": "jane@shop.example", "dueDate": "2026-04-01T09:00:00Z", "state": "Open",
		"phase": "Open", "namespace": "acme", "name": "inbox",
		"source": map[string]any{"kind": "MaturityTarget", "name": "shop", "stream": "service", "objective": "response", "level": "HighPerformance"},
	}
	for k, v := range want {
		got, _ := json.Marshal(d[k])
		exp, _ := json.Marshal(v)
		if string(got) != string(exp) {
			t.Errorf("data.%s = %s, want %s", k, got, exp)
		}
	}
	if len(d) != len(want) {
		t.Errorf("data has %d fields, want %d: %v", len(d), len(want), d)
	}
}
