package tasks

// What a plan does over a task's life: after a restart, once resolved,
// done, and under sharding.

import (
	"slices"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// TestPlanRestart re-plans what a first plan created, as a restarted
// controller would: nothing is written twice, whatever people did.
func TestPlanRestart(t *testing.T) {
	gaps := []Gap{
		gap(key("sales", "pipeline", "Scale"), v1alpha1.OwnerSalesMarketing, tmpl("CRM", v1alpha1.PriorityHigh), tmpl("Forecast", v1alpha1.PriorityLow)),
		gap(key("support", "first-response", "GrowingPains"), v1alpha1.OwnerCustomerSupport),
		gap(key("it-ops", "uptime", "Scale"), v1alpha1.OwnerIT, tmpl("On-call", v1alpha1.PriorityCritical)),
	}
	first := Plan(input(10, gaps...))
	if len(first.Apply) != 4 {
		t.Fatalf("first plan: Apply = %v, want 4 tasks", names(first.Apply))
	}
	people := []struct {
		assignee string
		state    v1alpha1.TaskState
	}{{"", v1alpha1.TaskOpen}, {"bo", v1alpha1.TaskInProgress}, {"cy", v1alpha1.TaskDone}, {"", ""}}
	var existing []Existing
	for i, d := range first.Apply {
		existing = append(existing, asExisting(d, people[i].assignee, people[i].state))
	}
	in := input(10, gaps...)
	in.Existing = existing
	in.Now = testNow.Add(48 * time.Hour)
	second := Plan(in)
	if len(second.Apply) != 0 {
		t.Errorf("re-plan writes %+v, want nothing", second.Apply)
	}
	if second.Open != 3 || second.HeldBack != 0 || second.Resolved != 0 {
		t.Errorf("re-plan counts open=%d resolved=%d heldBack=%d, want 3/0/0", second.Open, second.Resolved, second.HeldBack)
	}
	if len(second.Resolutions) != 4 {
		t.Errorf("Resolutions = %v, want one per existing task", second.Resolutions)
	}
}

func TestPlanResolved(t *testing.T) {
	closed := key("sales", "pipeline", "GrowingPains")
	stillOpen := key("support", "first-response", "GrowingPains")
	closedGap := gap(closed, v1alpha1.OwnerSalesMarketing, tmpl("Build a CRM", v1alpha1.PriorityHigh))
	openGap := gap(stillOpen, v1alpha1.OwnerCustomerSupport, tmpl("Hire", v1alpha1.PriorityMedium))

	tests := []struct {
		name  string
		state v1alpha1.TaskState
		gaps  []Gap
	}{
		{"gap gone", v1alpha1.TaskOpen, []Gap{openGap}},
		{"gap gone, task Done", v1alpha1.TaskDone, []Gap{openGap}},
		// Resolve is the authority: even a gap still listed, with a
		// changed template, does not re-apply a resolved task.
		{"gap still listed with a new title", v1alpha1.TaskInProgress, []Gap{
			gap(closed, v1alpha1.OwnerSalesMarketing, tmpl("Adopt a CRM", v1alpha1.PriorityCritical)), openGap,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := planned(t, closedGap, 0, "ana", tt.state)
			open := planned(t, openGap, 0, "", v1alpha1.TaskOpen)
			in := input(10, tt.gaps...)
			in.Existing = []Existing{done, open}
			in.Resolve = resolving(closed)
			out := Plan(in)

			if r := out.Resolutions[done.Name]; !r.Resolved || r.Reason != v1alpha1.ReasonGapClosed || r.Message == "" {
				t.Errorf("Resolutions[%q] = %+v, want resolved with reason and message", done.Name, r)
			}
			if r := out.Resolutions[open.Name]; r.Resolved {
				t.Errorf("Resolutions[%q] = %+v, want open", open.Name, r)
			}
			if len(out.Apply) != 0 {
				t.Errorf("Apply = %+v, want nothing", out.Apply)
			}
			if out.Resolved != 1 || out.Open != 1 || out.HeldBack != 0 {
				t.Errorf("counts open=%d resolved=%d heldBack=%d, want 1/1/0", out.Open, out.Resolved, out.HeldBack)
			}
		})
	}
}

// TestPlanDoneDoesNotHoldTheCap: a task people marked Done whose gap is still
// open is neither open nor resolved, and leaves room for a new one.
func TestPlanDoneDoesNotHoldTheCap(t *testing.T) {
	g1 := gap(key("sales", "pipeline", "Scale"), v1alpha1.OwnerSalesMarketing, tmpl("CRM", v1alpha1.PriorityHigh))
	g2 := gap(key("support", "first-response", "Scale"), v1alpha1.OwnerCustomerSupport, tmpl("Hire", v1alpha1.PriorityLow))
	in := input(1, g1, g2)
	in.Existing = []Existing{planned(t, g1, 0, "ana", v1alpha1.TaskDone)}
	out := Plan(in)
	if got := names(out.Apply); !slices.Equal(got, []string{"acme-support-first-response-scale"}) {
		t.Errorf("Apply = %v, want the support task", got)
	}
	if out.Open != 1 || out.Resolved != 0 || out.HeldBack != 0 {
		t.Errorf("counts open=%d resolved=%d heldBack=%d, want 1/0/0", out.Open, out.Resolved, out.HeldBack)
	}
}

// A sharded source's tasks carry its shard, so the replica that reconciles
// the source caches them; an unsharded source's carry no shard label.
func TestPlanCarriesTheSourcesShard(t *testing.T) {
	g := gap(key("sales", "pipeline", "GrowingPains"), v1alpha1.OwnerSalesMarketing, tmpl("Build a CRM", v1alpha1.PriorityHigh))
	in := input(10, g)
	if _, ok := Plan(in).Apply[0].Labels[v1alpha1.ShardLabel]; ok {
		t.Error("an unsharded source's task has a shard label")
	}
	in.Shard = "shard1"
	if got := Plan(in).Apply[0].Labels[v1alpha1.ShardLabel]; got != "shard1" {
		t.Errorf("shard label %q, want shard1", got)
	}
}
