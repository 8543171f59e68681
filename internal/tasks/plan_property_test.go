package tasks

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

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

	// Each gap is open, closed, or cannot be judged (a metric is missing).
	judged := map[Key]int{}
	var allGaps []Gap
	for _, s := range streams {
		for _, o := range objectives {
			k := key(s, o, levels[r.IntN(len(levels))])
			judged[k] = []int{0, 0, 1, 2}[r.IntN(4)]
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
		switch judged[k] {
		case 1:
			return Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed}
		case 2:
			return Resolution{Unknown: true, Reason: v1alpha1.ReasonMetricsMissing, Message: "no value"}
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
		// The Resolved condition an earlier reconcile set, if any.
		switch r.IntN(3) {
		case 0:
			e.Resolved = &metav1.Condition{Type: v1alpha1.ConditionResolved, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonGapClosed, Message: "closed"}
		case 1:
			e.Resolved = &metav1.Condition{Type: v1alpha1.ConditionResolved, Status: metav1.ConditionFalse, Reason: v1alpha1.ReasonGapOpen, Message: "open"}
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
		res := in.Resolve(Key{e.Spec.Source.Stream, e.Spec.Source.Objective, e.Spec.Source.Level})
		resolved := res.Resolved
		if res.Unknown {
			// Nothing is resolved or reopened on an unknown: the task
			// keeps the condition it has, or is open without one.
			resolved = e.Resolved != nil && e.Resolved.Status == metav1.ConditionTrue
			got := out.Resolutions[e.Name]
			if e.Resolved != nil && (got.Resolved != resolved || got.Reason != e.Resolved.Reason || got.Message != e.Resolved.Message) {
				t.Errorf("%s: unknown gap changes Resolved %+v to %+v", e.Name, *e.Resolved, got)
			}
			if e.Resolved == nil && (got.Resolved || got.Reason != res.Reason) {
				t.Errorf("%s: unknown gap without a condition gets %+v, want open for %s", e.Name, got, res.Reason)
			}
		}
		switch {
		case resolved:
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
