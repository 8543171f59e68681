package tasks

import (
	"reflect"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Key identifies a gap: the objective and the level the task reaches.
type Key struct {
	Stream, Objective, Level string
}

// Template is the project a gap should open.
type Template struct {
	Title, Description string
	Priority           v1alpha1.Priority
}

// Policy is a source's task policy with its defaults resolved.
type Policy struct {
	Mode    v1alpha1.TaskMode
	MaxOpen int
	DueIn   time.Duration
}

// Gap is an objective below the level it must reach.
type Gap struct {
	Key       Key
	Owner     v1alpha1.OwnerRole
	Templates []Template
	// Due, when set, is the due date of the gap's new tasks (a hire-by
	// date); otherwise they are due Policy.DueIn from now.
	Due time.Time
}

// Existing is a task the source already owns, as read from the cache.
type Existing struct {
	Name   string
	Labels map[string]string
	Spec   v1alpha1.ProjectTaskSpec
	// Resolved is the task's current Resolved condition, if any.
	Resolved *metav1.Condition
}

// Resolution is the Resolved condition a task should carry.
type Resolution struct {
	Resolved bool
	// Unknown says the gap can be judged neither closed nor open (a metric
	// it needs is missing): the task keeps the Resolved condition it has,
	// so nothing is resolved or reopened on a number nobody measured. A
	// task without one is open, with Reason and Message.
	Unknown         bool
	Reason, Message string
}

// Input is everything Plan needs. Gaps are in model order; Resolve says, for
// the gap of any existing task, whether it has closed.
type Input struct {
	SourceKind, SourceName string
	// Shard is the source's v1alpha1.ShardLabel value (empty: none); its
	// tasks carry it, so the replica that reconciles the source caches
	// them.
	Shard    string
	Gaps     []Gap
	Resolve  func(Key) Resolution
	Policy   Policy
	Existing []Existing
	Now      time.Time
}

// Desired is a task as the source wants it: every field the controller owns,
// never assignee or state.
type Desired struct {
	Name   string
	Labels map[string]string
	Spec   v1alpha1.ProjectTaskSpec
}

// Output is the plan: tasks to apply (only those that differ from what
// exists), Resolved conditions by task name, and counts for the status.
type Output struct {
	Apply       []Desired
	Resolutions map[string]Resolution
	Open        int
	Resolved    int
	HeldBack    int
}

type candidate struct {
	desired Desired
	order   int
}

// Plan decides which tasks to create, update and resolve. It is a pure
// function of its input, so a restart re-plans to the same result.
func Plan(in Input) Output {
	out := Output{Resolutions: map[string]Resolution{}}
	existing := make(map[string]Existing, len(in.Existing))
	for _, e := range in.Existing {
		existing[e.Name] = e
		res := in.Resolve(Key{Stream: e.Spec.Source.Stream, Objective: e.Spec.Source.Objective, Level: e.Spec.Source.Level})
		if res.Unknown {
			res = hold(e, res)
		}
		out.Resolutions[e.Name] = res
		switch {
		case res.Resolved:
			out.Resolved++
		case e.Spec.State != v1alpha1.TaskDone:
			out.Open++
		}
	}

	// claimed holds the names this plan has given out, so two gaps whose
	// names coincide (stream "a" with objective "b-c" and stream "a-b" with
	// objective "c" both join to "a-b-c"), or two templates whose titles
	// share a slug, never share, and fight over, one task: the later one
	// takes a name with a hash of its key, and keeps it once its task exists
	// even if the plain name frees up.
	claimed := map[string]bool{}
	var fresh []candidate
	for _, gap := range in.Gaps {
		for ti, tmpl := range templatesOf(gap) {
			d := in.desired(gap, tmpl, ti)
			plain, alt := d.Name, disambiguate(d.Name, gap.Key, ti)
			if name, ok := kept(in.SourceName, gap.Key, ti, alt, d, claimed, existing); ok {
				d.Name = name
			} else {
				switch {
				case free(plain, d, claimed, existing):
				case free(alt, d, claimed, existing):
					d.Name = alt
				default:
					continue
				}
			}
			claimed[d.Name] = true
			if e, ok := existing[d.Name]; ok {
				if out.Resolutions[d.Name].Resolved {
					continue // a closed gap's task is left as it was
				}
				d.Spec.DueDate = e.Spec.DueDate
				if !sameControllerFields(e, d) {
					out.Apply = append(out.Apply, d)
				}
				continue
			}
			// fresh is filled in model order, so its index is that order.
			fresh = append(fresh, candidate{desired: d, order: len(fresh)})
		}
	}

	if in.Policy.Mode == v1alpha1.TaskModeOff {
		return out
	}
	// The most urgent gaps are opened first; model order breaks ties so the
	// choice is stable from one reconcile to the next.
	sort.SliceStable(fresh, func(i, j int) bool {
		ri, rj := fresh[i].desired.Spec.Priority.Rank(), fresh[j].desired.Spec.Priority.Rank()
		if ri != rj {
			return ri < rj
		}
		return fresh[i].order < fresh[j].order
	})
	room := in.Policy.MaxOpen - out.Open
	for i, c := range fresh {
		if i >= room {
			out.HeldBack = len(fresh) - max(room, 0)
			break
		}
		if c.desired.Spec.DueDate == nil {
			due := metav1.NewTime(in.Now.Add(in.Policy.DueIn).Truncate(time.Second))
			c.desired.Spec.DueDate = &due
		}
		out.Apply = append(out.Apply, c.desired)
		out.Open++
	}
	return out
}

// kept returns the name an existing task of d's gap already has other than
// the plain one: the hashed alt, or the numbered name earlier releases gave
// a later template (and its hashed form), so upgrading renames nothing and
// opens no duplicate.
func kept(source string, k Key, index int, alt string, d Desired, claimed map[string]bool, existing map[string]Existing) (string, bool) {
	names := []string{alt}
	if index > 0 {
		legacy := legacyName(source, k, index)
		names = append(names, legacy, disambiguate(legacy, k, index))
	}
	for _, n := range names {
		if e, ok := existing[n]; ok && e.Spec.Source == d.Spec.Source && !claimed[n] {
			return n, true
		}
	}
	return "", false
}

// hold is the resolution of a task whose gap cannot be judged now: the
// Resolved condition it carries, or open for unknown's reason when it
// carries none.
func hold(e Existing, unknown Resolution) Resolution {
	if e.Resolved == nil {
		return Resolution{Reason: unknown.Reason, Message: unknown.Message}
	}
	return Resolution{Resolved: e.Resolved.Status == metav1.ConditionTrue, Reason: e.Resolved.Reason, Message: e.Resolved.Message}
}

// free says whether d may take name: no other gap of this plan has it, and
// no existing task of another gap carries it.
func free(name string, d Desired, claimed map[string]bool, existing map[string]Existing) bool {
	if claimed[name] {
		return false
	}
	e, ok := existing[name]
	return !ok || e.Spec.Source == d.Spec.Source
}

// templatesOf returns the gap's templates, or one generic project when the
// model has none for that level: every gap gets a task.
func templatesOf(g Gap) []Template {
	if len(g.Templates) > 0 {
		return g.Templates
	}
	return []Template{{
		Title:       "Raise " + g.Key.Stream + "/" + g.Key.Objective + " to " + g.Key.Level,
		Description: "The objective " + g.Key.Objective + " of stream " + g.Key.Stream + " is below " + g.Key.Level + "; see the target's status.objectives for the rules that fail.",
		Priority:    v1alpha1.PriorityMedium,
	}}
}

func (in Input) desired(g Gap, t Template, index int) Desired {
	priority := t.Priority
	if priority == "" {
		priority = v1alpha1.PriorityMedium
	}
	var due *metav1.Time
	if !g.Due.IsZero() {
		t := metav1.NewTime(g.Due.Truncate(time.Second))
		due = &t
	}
	name := Name(in.SourceName, g.Key, index, t.Title)
	if g.Key == MeasurementKey {
		name = MeasurementName(in.SourceName)
	}
	labels := map[string]string{
		LabelSourceKind: in.SourceKind,
		LabelSourceName: LabelValue(in.SourceName),
		LabelOwnerRole:  string(g.Owner),
	}
	if in.Shard != "" {
		labels[v1alpha1.ShardLabel] = in.Shard
	}
	for k, v := range map[string]string{LabelStream: g.Key.Stream, LabelObjective: g.Key.Objective, LabelLevel: g.Key.Level} {
		if v != "" {
			labels[k] = v
		}
	}
	return Desired{
		Name:   name,
		Labels: labels,
		Spec: v1alpha1.ProjectTaskSpec{
			Title:       t.Title,
			Description: t.Description,
			OwnerRole:   g.Owner,
			Priority:    priority,
			DueDate:     due,
			Source: v1alpha1.TaskSource{
				Kind: in.SourceKind, Name: in.SourceName,
				Stream: g.Key.Stream, Objective: g.Key.Objective, Level: g.Key.Level,
			},
		},
	}
}

// sameControllerFields compares only what the controller owns, so a
// person's assignee or state never causes a write.
func sameControllerFields(e Existing, d Desired) bool {
	for k, v := range d.Labels {
		if e.Labels[k] != v {
			return false
		}
	}
	a, b := e.Spec, d.Spec
	a.Assignee, a.State = "", ""
	return reflect.DeepEqual(a, b)
}
