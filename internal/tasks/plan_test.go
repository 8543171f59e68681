package tasks

import (
	"maps"
	"reflect"
	"slices"
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
				title := ""
				if i < len(tt.templates) {
					title = tt.templates[i].Title
				}
				if n := Name(testSource, k, i, title); !seen[n] {
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
