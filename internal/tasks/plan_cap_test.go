package tasks

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestPlanMaxOpen(t *testing.T) {
	p := func(objective string, pr v1alpha1.Priority) Gap {
		return gap(key("ops", objective, "Scale"), v1alpha1.OwnerIT, tmpl(objective, pr))
	}
	low, medium, crit, high := p("low", v1alpha1.PriorityLow), p("medium", v1alpha1.PriorityMedium),
		p("crit", v1alpha1.PriorityCritical), p("high", v1alpha1.PriorityHigh)
	n := func(objective string) string { return Name(testSource, key("ops", objective, "Scale"), 0, "") }
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
		if want := Name(testSource, key("ops", "first", "Scale"), i, fmt.Sprintf("step %d", i)); d.Name != want {
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
	if bySource[k1].Name != Name(testSource, k1, 0, "") {
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
