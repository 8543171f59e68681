package tasks

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

const (
	testKind   = "MaturityTarget"
	testSource = "acme"
	testDueIn  = 720 * time.Hour
)

// testNow has sub-second precision so the due date's truncation shows.
var testNow = time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.UTC)

func wantDue() *metav1.Time {
	d := metav1.NewTime(time.Date(2026, 4, 13, 15, 9, 26, 0, time.UTC))
	return &d
}

func key(stream, objective, level string) Key {
	return Key{Stream: stream, Objective: objective, Level: level}
}

func gap(k Key, owner v1alpha1.OwnerRole, templates ...Template) Gap {
	return Gap{Key: k, Owner: owner, Templates: templates}
}

func tmpl(title string, p v1alpha1.Priority) Template {
	return Template{Title: title, Description: "do " + title, Priority: p}
}

// allOpen is a Resolve for which no gap has closed.
func allOpen(k Key) Resolution {
	return Resolution{Reason: v1alpha1.ReasonGapOpen, Message: k.Stream + "/" + k.Objective + " is open"}
}

// resolving closes the given keys and leaves the others open.
func resolving(closed ...Key) func(Key) Resolution {
	return func(k Key) Resolution {
		if slices.Contains(closed, k) {
			return Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed, Message: k.Objective + " reached " + k.Level}
		}
		return allOpen(k)
	}
}

func input(maxOpen int, gaps ...Gap) Input {
	return Input{
		SourceKind: testKind, SourceName: testSource,
		Gaps:    gaps,
		Resolve: allOpen,
		Policy:  Policy{Mode: v1alpha1.TaskModeCreate, MaxOpen: maxOpen, DueIn: testDueIn},
		Now:     testNow,
	}
}

// asExisting is d as the cache would return it once applied, with the
// fields people set.
func asExisting(d Desired, assignee string, state v1alpha1.TaskState) Existing {
	spec := *d.Spec.DeepCopy()
	spec.Assignee, spec.State = assignee, state
	return Existing{Name: d.Name, Labels: maps.Clone(d.Labels), Spec: spec}
}

// planned is the single task Plan creates for g, as an Existing.
func planned(t *testing.T, g Gap, index int, assignee string, state v1alpha1.TaskState) Existing {
	t.Helper()
	out := Plan(input(100, g))
	if len(out.Apply) <= index {
		t.Fatalf("planning %v gave %d tasks, want more than %d", g.Key, len(out.Apply), index)
	}
	return asExisting(out.Apply[index], assignee, state)
}

func names(ds []Desired) []string {
	var ns []string
	for _, d := range ds {
		ns = append(ns, d.Name)
	}
	return ns
}

func TestPlanNewGap(t *testing.T) {
	k := key("sales", "pipeline", "GrowingPains")
	out := Plan(input(10, gap(k, v1alpha1.OwnerSalesMarketing, tmpl("Build a CRM", v1alpha1.PriorityHigh))))

	want := Desired{
		Name: "acme-sales-pipeline-growingpains",
		Labels: map[string]string{
			LabelSourceKind: testKind,
			LabelSourceName: testSource,
			LabelStream:     "sales",
			LabelObjective:  "pipeline",
			LabelLevel:      "GrowingPains",
			LabelOwnerRole:  "SalesMarketing",
		},
		Spec: v1alpha1.ProjectTaskSpec{
			Title:       "Build a CRM",
			Description: "do Build a CRM",
			OwnerRole:   v1alpha1.OwnerSalesMarketing,
			Priority:    v1alpha1.PriorityHigh,
			DueDate:     wantDue(),
			Source: v1alpha1.TaskSource{
				Kind: testKind, Name: testSource,
				Stream: "sales", Objective: "pipeline", Level: "GrowingPains",
			},
		},
	}
	if len(out.Apply) != 1 {
		t.Fatalf("Apply = %v, want one task", names(out.Apply))
	}
	got := out.Apply[0]
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Apply[0] =\n%+v\nwant\n%+v", got, want)
	}
	if got.Spec.DueDate == nil || !got.Spec.DueDate.Equal(wantDue()) || got.Spec.DueDate.Nanosecond() != 0 {
		t.Errorf("DueDate = %v, want %v (Now + DueIn, truncated to seconds)", got.Spec.DueDate, wantDue())
	}
	if got.Spec.Assignee != "" || got.Spec.State != "" {
		t.Errorf("new task sets assignee %q / state %q; those belong to people", got.Spec.Assignee, got.Spec.State)
	}
	if out.Open != 1 || out.Resolved != 0 || out.HeldBack != 0 {
		t.Errorf("counts open=%d resolved=%d heldBack=%d, want 1/0/0", out.Open, out.Resolved, out.HeldBack)
	}
	if len(out.Resolutions) != 0 {
		t.Errorf("Resolutions = %v, want none (no existing tasks)", out.Resolutions)
	}
}

func TestPlanTemplates(t *testing.T) {
	k := key("support", "first-response", "Scale")
	tests := []struct {
		name       string
		templates  []Template
		wantTitles []string
		wantPrio   []v1alpha1.Priority
	}{
		{
			name:       "no template gets one generic task",
			wantTitles: []string{"Raise support/first-response to Scale"},
			wantPrio:   []v1alpha1.Priority{v1alpha1.PriorityMedium},
		},
		{
			name:       "empty priority becomes Medium",
			templates:  []Template{{Title: "Hire", Description: "do Hire"}},
			wantTitles: []string{"Hire"},
			wantPrio:   []v1alpha1.Priority{v1alpha1.PriorityMedium},
		},
		{
			name:       "several templates give several tasks",
			templates:  []Template{tmpl("Hire", v1alpha1.PriorityLow), tmpl("Train", v1alpha1.PriorityHigh), tmpl("Measure", v1alpha1.PriorityMedium)},
			wantTitles: []string{"Train", "Measure", "Hire"}, // by priority
			wantPrio:   []v1alpha1.Priority{v1alpha1.PriorityHigh, v1alpha1.PriorityMedium, v1alpha1.PriorityLow},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Plan(input(10, gap(k, v1alpha1.OwnerCustomerSupport, tt.templates...)))
			if len(out.Apply) != len(tt.wantTitles) {
				t.Fatalf("Apply = %v, want %d tasks", names(out.Apply), len(tt.wantTitles))
			}
			seen := map[string]bool{}
			for i, d := range out.Apply {
				if d.Spec.Title != tt.wantTitles[i] || d.Spec.Priority != tt.wantPrio[i] {
					t.Errorf("Apply[%d] = %q/%s, want %q/%s", i, d.Spec.Title, d.Spec.Priority, tt.wantTitles[i], tt.wantPrio[i])
				}
				if seen[d.Name] {
					t.Errorf("name %q used twice", d.Name)
				}
				seen[d.Name] = true
				if d.Spec.OwnerRole != v1alpha1.OwnerCustomerSupport || d.Labels[LabelOwnerRole] != "CustomerSupport" {
					t.Errorf("Apply[%d] owner = %s / label %q", i, d.Spec.OwnerRole, d.Labels[LabelOwnerRole])
				}
				if d.Spec.Description == "" {
					t.Errorf("Apply[%d] has no description", i)
				}
			}
			for i := range tt.wantTitles {
				if n := Name(testSource, k.Stream, k.Objective, k.Level, i); !seen[n] {
					t.Errorf("no task named %q (template %d); got %v", n, i, names(out.Apply))
				}
			}
		})
	}
}

func TestPlanExisting(t *testing.T) {
	k := key("sales", "pipeline", "GrowingPains")
	g := gap(k, v1alpha1.OwnerSalesMarketing, tmpl("Build a CRM", v1alpha1.PriorityHigh))
	// A task created a week ago, due earlier than a new one would be.
	oldDue := metav1.NewTime(time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC))
	base := func(t *testing.T, assignee string, state v1alpha1.TaskState) Existing {
		e := planned(t, g, 0, assignee, state)
		e.Spec.DueDate = &oldDue
		return e
	}

	tests := []struct {
		name      string
		existing  func(t *testing.T) Existing
		gap       Gap
		wantApply bool
		wantOpen  int
	}{
		{
			name:     "same fields: no write",
			existing: func(t *testing.T) Existing { return base(t, "", v1alpha1.TaskOpen) },
			gap:      g, wantOpen: 1,
		},
		{
			name:     "assignee and InProgress: no write",
			existing: func(t *testing.T) Existing { return base(t, "ana@example.com", v1alpha1.TaskInProgress) },
			gap:      g, wantOpen: 1,
		},
		{
			name:     "assignee and Done: no write, not open",
			existing: func(t *testing.T) Existing { return base(t, "ana@example.com", v1alpha1.TaskDone) },
			gap:      g, wantOpen: 0,
		},
		{
			name: "extra labels on the task: no write",
			existing: func(t *testing.T) Existing {
				e := base(t, "", "")
				e.Labels["team"] = "north"
				return e
			},
			gap: g, wantOpen: 1,
		},
		{
			name:      "template title changed: write",
			existing:  func(t *testing.T) Existing { return base(t, "ana@example.com", v1alpha1.TaskInProgress) },
			gap:       gap(k, v1alpha1.OwnerSalesMarketing, tmpl("Adopt a CRM", v1alpha1.PriorityHigh)),
			wantApply: true, wantOpen: 1,
		},
		{
			name:      "template priority changed: write",
			existing:  func(t *testing.T) Existing { return base(t, "", v1alpha1.TaskOpen) },
			gap:       gap(k, v1alpha1.OwnerSalesMarketing, tmpl("Build a CRM", v1alpha1.PriorityCritical)),
			wantApply: true, wantOpen: 1,
		},
		{
			name:      "owner changed: write",
			existing:  func(t *testing.T) Existing { return base(t, "", v1alpha1.TaskOpen) },
			gap:       gap(k, v1alpha1.OwnerProductManager, tmpl("Build a CRM", v1alpha1.PriorityHigh)),
			wantApply: true, wantOpen: 1,
		},
		{
			name: "a label was removed: write",
			existing: func(t *testing.T) Existing {
				e := base(t, "", v1alpha1.TaskOpen)
				delete(e.Labels, LabelStream)
				return e
			},
			gap: g, wantApply: true, wantOpen: 1,
		},
		{
			name: "a label was edited: write",
			existing: func(t *testing.T) Existing {
				e := base(t, "", v1alpha1.TaskOpen)
				e.Labels[LabelOwnerRole] = "IT"
				return e
			},
			gap: g, wantApply: true, wantOpen: 1,
		},
		{
			name:      "Done and the title changed: write, still not open",
			existing:  func(t *testing.T) Existing { return base(t, "ana@example.com", v1alpha1.TaskDone) },
			gap:       gap(k, v1alpha1.OwnerSalesMarketing, tmpl("Adopt a CRM", v1alpha1.PriorityHigh)),
			wantApply: true, wantOpen: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.existing(t)
			in := input(10, tt.gap)
			in.Existing = []Existing{e}
			out := Plan(in)

			if !tt.wantApply {
				if len(out.Apply) != 0 {
					t.Fatalf("Apply = %+v, want no write", out.Apply)
				}
			} else {
				if len(out.Apply) != 1 {
					t.Fatalf("Apply = %v, want one write", names(out.Apply))
				}
				d := out.Apply[0]
				if d.Name != e.Name {
					t.Errorf("Apply[0].Name = %q, want the existing %q", d.Name, e.Name)
				}
				if d.Spec.DueDate == nil || !d.Spec.DueDate.Equal(&oldDue) {
					t.Errorf("DueDate = %v, want the existing %v kept", d.Spec.DueDate, oldDue)
				}
				if d.Spec.Assignee != "" || d.Spec.State != "" {
					t.Errorf("Desired carries assignee %q / state %q; those belong to people", d.Spec.Assignee, d.Spec.State)
				}
				if d.Spec.Title != tt.gap.Templates[0].Title || d.Spec.Priority != tt.gap.Templates[0].Priority || d.Spec.OwnerRole != tt.gap.Owner {
					t.Errorf("Desired spec %+v does not follow the template", d.Spec)
				}
				if d.Labels[LabelOwnerRole] != string(tt.gap.Owner) || d.Labels[LabelStream] != k.Stream {
					t.Errorf("Desired labels %v", d.Labels)
				}
			}
			if out.Open != tt.wantOpen || out.Resolved != 0 || out.HeldBack != 0 {
				t.Errorf("counts open=%d resolved=%d heldBack=%d, want %d/0/0", out.Open, out.Resolved, out.HeldBack, tt.wantOpen)
			}
			if r, ok := out.Resolutions[e.Name]; !ok || r.Resolved || r.Reason != v1alpha1.ReasonGapOpen {
				t.Errorf("Resolutions[%q] = %+v (present %v), want open", e.Name, r, ok)
			}
		})
	}
}

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

func TestPlanMaxOpen(t *testing.T) {
	p := func(objective string, pr v1alpha1.Priority) Gap {
		return gap(key("ops", objective, "Scale"), v1alpha1.OwnerIT, tmpl(objective, pr))
	}
	low, medium, crit, high := p("low", v1alpha1.PriorityLow), p("medium", v1alpha1.PriorityMedium),
		p("crit", v1alpha1.PriorityCritical), p("high", v1alpha1.PriorityHigh)
	n := func(objective string) string { return Name(testSource, "ops", objective, "Scale", 0) }
	existingOpen := func(t *testing.T, objectives ...string) []Existing {
		var es []Existing
		for _, o := range objectives {
			es = append(es, planned(t, p(o, v1alpha1.PriorityLow), 0, "", v1alpha1.TaskOpen))
		}
		return es
	}

	tests := []struct {
		name         string
		maxOpen      int
		gaps         []Gap
		existing     []string // objectives of existing open tasks, not among gaps
		wantApply    []string
		wantOpen     int
		wantHeldBack int
	}{
		{"room for all", 10, []Gap{low, medium, crit, high}, nil,
			[]string{n("crit"), n("high"), n("medium"), n("low")}, 4, 0},
		{"Critical before Low whatever the gap order", 1, []Gap{low, crit}, nil,
			[]string{n("crit")}, 1, 1},
		{"two most urgent of four", 2, []Gap{low, medium, crit, high}, nil,
			[]string{n("crit"), n("high")}, 2, 2},
		{"model order breaks ties", 2, []Gap{p("b", v1alpha1.PriorityMedium), p("a", v1alpha1.PriorityMedium), p("c", v1alpha1.PriorityMedium)}, nil,
			[]string{n("b"), n("a")}, 2, 1},
		{"unknown priority goes last", 1, []Gap{p("odd", "Urgent"), low}, nil,
			[]string{n("low")}, 1, 1},
		{"maxOpen 0 holds everything back", 0, []Gap{low, crit}, nil,
			nil, 0, 2},
		{"existing open tasks use the cap", 3, []Gap{low, medium, crit, high}, []string{"x", "y"},
			[]string{n("crit")}, 3, 3},
		{"existing open tasks fill the cap", 2, []Gap{crit}, []string{"x", "y"},
			nil, 2, 1},
		{"existing open tasks over the cap", 1, []Gap{crit, high}, []string{"x", "y", "z"},
			nil, 3, 2},
		{"no gaps, nothing held back", 0, nil, []string{"x"},
			nil, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(tt.maxOpen, tt.gaps...)
			in.Existing = existingOpen(t, tt.existing...)
			out := Plan(in)
			if got := names(out.Apply); !slices.Equal(got, tt.wantApply) {
				t.Errorf("Apply = %v, want %v", got, tt.wantApply)
			}
			if out.Open != tt.wantOpen || out.HeldBack != tt.wantHeldBack {
				t.Errorf("open=%d heldBack=%d, want %d/%d", out.Open, out.HeldBack, tt.wantOpen, tt.wantHeldBack)
			}
			for _, d := range out.Apply {
				if d.Spec.DueDate == nil || !d.Spec.DueDate.Equal(wantDue()) {
					t.Errorf("%s: DueDate = %v, want %v", d.Name, d.Spec.DueDate, wantDue())
				}
			}
		})
	}
}

// TestPlanModelOrderManyTemplates: a gap with more templates than the old
// gi*100+ti ordering allowed for still comes before the next gap.
func TestPlanModelOrderManyTemplates(t *testing.T) {
	var many []Template
	for i := range 150 {
		many = append(many, tmpl(fmt.Sprintf("step %d", i), v1alpha1.PriorityLow))
	}
	first := gap(key("ops", "first", "Scale"), v1alpha1.OwnerIT, many...)
	second := gap(key("ops", "second", "Scale"), v1alpha1.OwnerIT, tmpl("other", v1alpha1.PriorityLow))
	out := Plan(input(150, first, second))
	if len(out.Apply) != 150 || out.HeldBack != 1 {
		t.Fatalf("Apply %d tasks, held back %d; want 150 and 1", len(out.Apply), out.HeldBack)
	}
	for i, d := range out.Apply {
		if want := Name(testSource, "ops", "first", "Scale", i); d.Name != want {
			t.Fatalf("Apply[%d] = %q, want %q (model order)", i, d.Name, want)
		}
	}
}

func TestPlanModeOff(t *testing.T) {
	closed := key("sales", "pipeline", "GrowingPains")
	stillOpen := key("support", "first-response", "GrowingPains")
	closedGap := gap(closed, v1alpha1.OwnerSalesMarketing, tmpl("CRM", v1alpha1.PriorityHigh))
	openGap := gap(stillOpen, v1alpha1.OwnerCustomerSupport, tmpl("Hire", v1alpha1.PriorityMedium))
	newGap := gap(key("it-ops", "uptime", "Scale"), v1alpha1.OwnerIT, tmpl("On-call", v1alpha1.PriorityCritical))

	for _, maxOpen := range []int{0, 1, 20} {
		t.Run(fmt.Sprint("maxOpen ", maxOpen), func(t *testing.T) {
			done := planned(t, closedGap, 0, "", v1alpha1.TaskOpen)
			open := planned(t, openGap, 0, "", v1alpha1.TaskInProgress)
			in := input(maxOpen, openGap, newGap)
			in.Policy.Mode = v1alpha1.TaskModeOff
			in.Existing = []Existing{done, open}
			in.Resolve = resolving(closed)
			out := Plan(in)
			if len(out.Apply) != 0 {
				t.Errorf("Apply = %v, want no new task with mode Off", names(out.Apply))
			}
			if out.HeldBack != 0 {
				t.Errorf("HeldBack = %d, want 0 with mode Off", out.HeldBack)
			}
			if !out.Resolutions[done.Name].Resolved || out.Resolutions[open.Name].Resolved || len(out.Resolutions) != 2 {
				t.Errorf("Resolutions = %+v, want %s resolved and %s open", out.Resolutions, done.Name, open.Name)
			}
			if out.Open != 1 || out.Resolved != 1 {
				t.Errorf("open=%d resolved=%d, want 1/1", out.Open, out.Resolved)
			}
		})
	}
}

// TestPlanNameCollision: two gaps whose plain names coincide get two tasks,
// and re-planning them writes nothing.
func TestPlanNameCollision(t *testing.T) {
	k1, k2 := key("a", "b-c", "Scale"), key("a-b", "c", "Scale")
	g1 := gap(k1, v1alpha1.OwnerIT, tmpl("one", v1alpha1.PriorityLow))
	g2 := gap(k2, v1alpha1.OwnerMarketing, tmpl("two", v1alpha1.PriorityHigh))

	first := Plan(input(10, g1, g2))
	if len(first.Apply) != 2 || first.Apply[0].Name == first.Apply[1].Name {
		t.Fatalf("Apply = %v, want two tasks with distinct names", names(first.Apply))
	}
	if first.Open != 2 {
		t.Errorf("Open = %d, want 2", first.Open)
	}
	bySource := map[Key]Desired{}
	for _, d := range first.Apply {
		bySource[Key{d.Spec.Source.Stream, d.Spec.Source.Objective, d.Spec.Source.Level}] = d
	}
	if bySource[k1].Spec.Title != "one" || bySource[k2].Spec.Title != "two" {
		t.Errorf("tasks by source: %+v", bySource)
	}
	if bySource[k1].Name != Name(testSource, "a", "b-c", "Scale", 0) {
		t.Errorf("first gap in model order should keep the plain name, got %q", bySource[k1].Name)
	}

	// existing[0] is the first gap's task, existing[1] the second's.
	existing := []Existing{asExisting(bySource[k1], "", v1alpha1.TaskOpen), asExisting(bySource[k2], "", v1alpha1.TaskOpen)}
	in := input(10, g1, g2)
	in.Existing = existing
	if again := Plan(in); len(again.Apply) != 0 || again.Open != 2 {
		t.Errorf("re-plan: Apply = %v, Open = %d; want nothing written, 2 open", names(again.Apply), again.Open)
	}

	// The first gap closed, its task stays; the second still must not take
	// over that task.
	in = input(10, g2)
	in.Existing = existing
	in.Resolve = resolving(k1)
	if out := Plan(in); len(out.Apply) != 0 || out.Open != 1 || out.Resolved != 1 {
		t.Errorf("after the first closed: Apply = %v, open=%d resolved=%d; want nothing, 1/1", names(out.Apply), out.Open, out.Resolved)
	}

	// The first gap's task is gone: the second keeps the task it has.
	in = input(10, g2)
	in.Existing = existing[1:]
	in.Resolve = resolving(k1)
	if out := Plan(in); len(out.Apply) != 0 || out.Open != 1 {
		t.Errorf("after the first task went: Apply = %v, open=%d; want nothing, 1", names(out.Apply), out.Open)
	}

	// A task of another gap holds the plain name before the second gap
	// ever had one: the second gap still gets its own task.
	in = input(10, g2)
	in.Existing = existing[:1]
	in.Resolve = resolving(k1)
	out := Plan(in)
	if len(out.Apply) != 1 || out.Apply[0].Name == existing[0].Name || out.Apply[0].Spec.Title != "two" {
		t.Errorf("Apply = %+v, want one new task for the second gap under another name", out.Apply)
	}
}

func TestPlanLongSourceName(t *testing.T) {
	in := input(10, gap(key("sales", "pipeline", "Scale"), v1alpha1.OwnerSalesMarketing))
	in.SourceName = strings.Repeat("a", 200) + "." + strings.Repeat("b", 52)
	out := Plan(in)
	if len(out.Apply) != 1 {
		t.Fatalf("Apply = %v, want one task", names(out.Apply))
	}
	d := out.Apply[0]
	if len(d.Name) > maxNameLength {
		t.Errorf("name is %d long", len(d.Name))
	}
	if v := d.Labels[LabelSourceName]; len(v) > maxLabelLength || v != LabelValue(in.SourceName) {
		t.Errorf("source-name label %q (%d)", v, len(v))
	}
	if d.Spec.Source.Name != in.SourceName {
		t.Errorf("spec.source.name = %q, want the full name", d.Spec.Source.Name)
	}
}

func TestPlanDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := range 50 {
		in := randomInput(r)
		a, b := Plan(in), Plan(in)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("input %d: two plans differ:\n%+v\n%+v", i, a, b)
		}
	}
}

// randomInput builds an input from a small world of streams, objectives and
// levels, so gaps and existing tasks meet often.
func randomInput(r *rand.Rand) Input {
	// "a"+"b-c" and "a-b"+"c" share a plain task name.
	streams := []string{"sales", "it-ops", "a", "a-b"}
	objectives := []string{"pipeline", "first-response", "b-c", "c"}
	levels := []string{"Startup", "GrowingPains", "Scale"}
	priorities := []v1alpha1.Priority{"", v1alpha1.PriorityCritical, v1alpha1.PriorityHigh, v1alpha1.PriorityMedium, v1alpha1.PriorityLow}
	owners := []v1alpha1.OwnerRole{v1alpha1.OwnerIT, v1alpha1.OwnerMarketing, v1alpha1.OwnerCustomerSupport}
	states := []v1alpha1.TaskState{"", v1alpha1.TaskOpen, v1alpha1.TaskInProgress, v1alpha1.TaskDone}
	modes := []v1alpha1.TaskMode{v1alpha1.TaskModeCreate, v1alpha1.TaskModeCreate, v1alpha1.TaskModeOff, ""}

	// Small caps (-1 holds everything back) and caps with room to spare.
	in := input([]int{r.IntN(8) - 1, r.IntN(60)}[r.IntN(2)])
	in.Policy.Mode = modes[r.IntN(len(modes))]
	in.Policy.DueIn = time.Duration(r.IntN(1000)) * time.Hour
	in.Now = testNow.Add(time.Duration(r.Int64N(int64(1000 * time.Hour))))

	resolved := map[Key]bool{}
	var allGaps []Gap
	for _, s := range streams {
		for _, o := range objectives {
			k := key(s, o, levels[r.IntN(len(levels))])
			resolved[k] = r.IntN(4) == 0
			g := gap(k, owners[r.IntN(len(owners))])
			for j := range r.IntN(4) {
				g.Templates = append(g.Templates, tmpl(fmt.Sprint("t", j), priorities[r.IntN(len(priorities))]))
			}
			allGaps = append(allGaps, g)
			if r.IntN(3) > 0 {
				in.Gaps = append(in.Gaps, g)
			}
		}
	}
	in.Resolve = func(k Key) Resolution {
		if resolved[k] {
			return Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed}
		}
		return allOpen(k)
	}

	// Existing tasks: some for listed gaps, some for gaps that left the
	// list, as earlier plans made them and people changed them since.
	keep := r.Float64()
	for _, d := range Plan(input(1000, allGaps...)).Apply {
		if r.Float64() >= keep {
			continue
		}
		e := asExisting(d, []string{"", "ana"}[r.IntN(2)], states[r.IntN(len(states))])
		switch r.IntN(5) {
		case 0:
			e.Spec.Title += " (old)"
		case 1:
			due := metav1.NewTime(testNow.Add(-time.Duration(r.IntN(100)) * time.Hour))
			e.Spec.DueDate = &due
		}
		in.Existing = append(in.Existing, e)
	}
	r.Shuffle(len(in.Existing), func(i, j int) { in.Existing[i], in.Existing[j] = in.Existing[j], in.Existing[i] })
	return in
}

// checkInvariants asserts what every plan must satisfy, whatever its input.
func checkInvariants(t *testing.T, in Input, out Output) {
	t.Helper()
	existing := map[string]Existing{}
	openExisting, resolvedExisting := 0, 0
	for _, e := range in.Existing {
		existing[e.Name] = e
		switch res := in.Resolve(Key{e.Spec.Source.Stream, e.Spec.Source.Objective, e.Spec.Source.Level}); {
		case res.Resolved:
			resolvedExisting++
		case e.Spec.State != v1alpha1.TaskDone:
			openExisting++
		}
	}
	maxOpen := in.Policy.MaxOpen

	newTasks := 0
	seen := map[string]bool{}
	for _, d := range out.Apply {
		if seen[d.Name] {
			t.Errorf("%s applied twice", d.Name)
		}
		seen[d.Name] = true
		if len(d.Name) > maxNameLength {
			t.Errorf("%s: name longer than %d", d.Name, maxNameLength)
		}
		if d.Spec.Assignee != "" || d.Spec.State != "" {
			t.Errorf("%s: Desired has assignee %q / state %q", d.Name, d.Spec.Assignee, d.Spec.State)
		}
		e, ok := existing[d.Name]
		if !ok {
			newTasks++
			due := metav1.NewTime(in.Now.Add(in.Policy.DueIn).Truncate(time.Second))
			if d.Spec.DueDate == nil || !d.Spec.DueDate.Equal(&due) {
				t.Errorf("%s: new task due %v, want %v", d.Name, d.Spec.DueDate, due)
			}
			continue
		}
		if out.Resolutions[d.Name].Resolved {
			t.Errorf("%s: resolved task re-applied", d.Name)
		}
		if !reflect.DeepEqual(d.Spec.DueDate, e.Spec.DueDate) {
			t.Errorf("%s: due date %v, want the existing %v", d.Name, d.Spec.DueDate, e.Spec.DueDate)
		}
		if sameControllerFields(e, d) {
			t.Errorf("%s: applied without a change", d.Name)
		}
	}

	// A task a gap already has, under whichever name, is never duplicated:
	// no new task has the source and template title of an existing one
	// (randomInput marks an outdated title with " (old)").
	type task struct {
		source v1alpha1.TaskSource
		title  string
	}
	had := map[task]string{}
	for _, e := range in.Existing {
		had[task{e.Spec.Source, strings.TrimSuffix(e.Spec.Title, " (old)")}] = e.Name
	}
	for _, d := range out.Apply {
		if _, ok := existing[d.Name]; ok {
			continue
		}
		if prev, ok := had[task{d.Spec.Source, d.Spec.Title}]; ok {
			t.Errorf("%s: new task duplicates the existing %s", d.Name, prev)
		}
	}

	if room := max(0, maxOpen-openExisting); newTasks > room {
		t.Errorf("%d new tasks, room for %d (maxOpen %d, %d open)", newTasks, room, maxOpen, openExisting)
	}
	if in.Policy.Mode == v1alpha1.TaskModeOff && (newTasks != 0 || out.HeldBack != 0) {
		t.Errorf("mode Off: %d new tasks, %d held back", newTasks, out.HeldBack)
	}
	if limit := max(maxOpen, openExisting); out.Open > limit {
		t.Errorf("Open = %d > max(maxOpen %d, open existing %d)", out.Open, maxOpen, openExisting)
	}
	if out.Open != openExisting+newTasks {
		t.Errorf("Open = %d, want %d existing + %d new", out.Open, openExisting, newTasks)
	}
	if out.Resolved != resolvedExisting {
		t.Errorf("Resolved = %d, want %d", out.Resolved, resolvedExisting)
	}
	if out.HeldBack < 0 || (out.HeldBack > 0 && newTasks < max(0, maxOpen-openExisting)) {
		t.Errorf("HeldBack = %d with %d new tasks and room %d", out.HeldBack, newTasks, maxOpen-openExisting)
	}
	if len(out.Resolutions) != len(existing) {
		t.Errorf("%d resolutions for %d existing tasks", len(out.Resolutions), len(existing))
	}
	for name := range existing {
		if _, ok := out.Resolutions[name]; !ok {
			t.Errorf("%s: no resolution", name)
		}
	}
	if again := Plan(in); !reflect.DeepEqual(out, again) {
		t.Errorf("Plan is not deterministic")
	}

	// Applying the plan and planning again writes none of the same tasks:
	// the plan converges.
	next := in
	next.Existing = nil
	applied := map[string]Desired{}
	for _, d := range out.Apply {
		applied[d.Name] = d
	}
	for _, e := range in.Existing {
		if d, ok := applied[e.Name]; ok {
			e = asExisting(d, e.Spec.Assignee, e.Spec.State)
			delete(applied, e.Name)
		}
		next.Existing = append(next.Existing, e)
	}
	for _, d := range out.Apply {
		if _, ok := applied[d.Name]; ok {
			next.Existing = append(next.Existing, asExisting(d, "", ""))
		}
	}
	for _, d := range Plan(next).Apply {
		if _, ok := existing[d.Name]; ok || seen[d.Name] {
			t.Errorf("%s: written again after the plan was applied", d.Name)
		}
	}
}

func TestPlanProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 314))
	for i := range 2000 {
		in := randomInput(r)
		out := Plan(in)
		t.Run(fmt.Sprint(i), func(t *testing.T) { checkInvariants(t, in, out) })
		if t.Failed() {
			return
		}
	}
}

func FuzzPlan(f *testing.F) {
	for _, seed := range []uint64{0, 1, 42, 2026, 1 << 40} {
		f.Add(seed, seed*31+7)
	}
	f.Fuzz(func(t *testing.T, s1, s2 uint64) {
		in := randomInput(rand.New(rand.NewPCG(s1, s2)))
		checkInvariants(t, in, Plan(in))
	})
}
