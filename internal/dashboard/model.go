// Package dashboard is the page of `kubectl scaleup dashboard`: the
// executive view across every business the user may read. Build turns the
// objects and an instant into a View (pure, no client); Render writes it as
// HTML with inline SVG charts; Watch keeps the objects current from watches
// with the user's rights, and Server serves the page on 127.0.0.1 and
// pushes a Server-Sent Event on every change.
package dashboard

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// Objects are what the page shows, as read with the user's rights.
type Objects struct {
	// Namespace is the namespace watched; "" for every namespace.
	Namespace string
	Models    []v1alpha1.MaturityModel
	Targets   []v1alpha1.MaturityTarget
	Plans     []v1alpha1.SupportPlan
	Programs  []v1alpha1.PartnerProgram
	Tasks     []v1alpha1.ProjectTask
	// Denied are the kinds the user may not list, and where.
	Denied []Denied
}

// Denied is a kind the user may not list in a namespace ("": every
// namespace, or a cluster-scoped kind).
type Denied struct {
	Kind, Namespace string
}

func (d Denied) String() string {
	where := "in every namespace"
	switch {
	case d.Kind == "MaturityModels":
		where = "(cluster-scoped): levels show by name only"
	case d.Namespace != "":
		where = "in namespace " + d.Namespace
	}
	return fmt.Sprintf("%s %s: forbidden, you may not list them", d.Kind, where)
}

// View is the page: every section computed, ready for the template.
type View struct {
	Now    string
	Scope  string
	Denied []string
	// Previews say, for each model in Preview, what applying it would do.
	Previews    []string
	Businesses  []Business
	Heat        Heat
	StallCauses []Bar
	Support     []Plan
	Programs    []Program
	Roles       []Role
}

// Business is one MaturityTarget's line: level, target and trend.
type Business struct {
	ID, Namespace, Name, Business string
	Level, Target, Score, Trend   string
	TargetMet                     bool
	Ready                         string        // "" when Ready, else why not
	Chart                         template.HTML // the level over the history
	// Notes say what governs the level besides the numbers: a pending
	// level, key objectives, exemptions, shadow rules.
	Notes []string
}

// Heat is the objectives × businesses map at each business's target level.
type Heat struct {
	Columns []string // the businesses' namespace/name
	Rows    []HeatRow
}

// HeatRow is one objective across the businesses.
type HeatRow struct {
	Stream, Objective string
	Cells             []HeatCell
}

// HeatCell is one objective of one business at its target level.
type HeatCell struct {
	ID      string
	Outcome string // passed, failed, unknown, error or none (no such objective)
	Title   string
}

// Bar is a named count, drawn as a horizontal bar scaled to Max.
type Bar struct {
	Name   string
	Count  int32
	Max    int32
	Detail string
}

// Role is one owner role's tasks.
type Role struct {
	Role          string
	Open, Overdue int
	Max           int
}

// Build computes the page from the objects at now.
func Build(o Objects, now time.Time) View {
	v := View{Now: now.UTC().Format("2006-01-02 15:04 MST"), Scope: "every namespace"}
	if o.Namespace != "" {
		v.Scope = "namespace " + o.Namespace
	}
	for _, d := range o.Denied {
		v.Denied = append(v.Denied, d.String())
	}
	targets := slices.Clone(o.Targets)
	slices.SortFunc(targets, func(a, b v1alpha1.MaturityTarget) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	models := map[string]*v1alpha1.MaturityModel{}
	for i := range o.Models {
		models[o.Models[i].Name] = &o.Models[i]
	}
	for i := range targets {
		v.Businesses = append(v.Businesses, business(&targets[i], models[targets[i].Spec.ModelRef.Name]))
	}
	v.Previews = previews(o.Models)
	v.Heat = heat(targets)
	v.StallCauses = stallCauses(targets)
	v.Support = plans(o.Plans, now)
	v.Programs = programs(o.Programs)
	v.Roles = roles(o.Tasks, now)
	return v
}

// ID makes a DOM id from parts: letters, digits and dashes only.
func ID(parts ...string) string {
	b := []byte{}
	for i, p := range parts {
		if i > 0 {
			b = append(b, '_')
		}
		for _, c := range []byte(p) {
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-':
				b = append(b, c)
			default:
				b = append(b, '-')
			}
		}
	}
	return string(b)
}

// readyMessage is "" when Ready is True, else the reason and message.
func readyMessage(conds []metav1.Condition) string {
	c := meta.FindStatusCondition(conds, v1alpha1.ConditionReady)
	switch {
	case c == nil:
		return "not evaluated yet"
	case c.Status != "True":
		return c.Reason + ": " + c.Message
	}
	return ""
}

func business(t *v1alpha1.MaturityTarget, m *v1alpha1.MaturityModel) Business {
	st := t.Status
	b := Business{
		ID: ID("biz", t.Namespace, t.Name), Namespace: t.Namespace, Name: t.Name, Business: t.Spec.Business,
		Level: orDash(st.CurrentLevel), Target: t.Spec.TargetLevel, Trend: orDash(st.Trend), Score: "-",
		TargetMet: meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionTargetMet),
		Ready:     readyMessage(st.Conditions),
		Notes:     governanceNotes(&st),
	}
	if st.Score != nil {
		b.Score = st.Score.Summary
	}
	var levels []string
	if m != nil {
		for _, l := range m.Spec.Levels {
			levels = append(levels, l.Name)
		}
	}
	b.Chart = levelChart(levels, t)
	return b
}

// outcome is where an objective stands at the target level: passed when it
// meets it, else the blocking rule's result (unknown when a metric is
// missing), failed when the status holds no rule.
func outcome(r v1alpha1.ObjectiveResult) string {
	switch {
	case r.MeetsTarget:
		return "passed"
	case r.Blocking == nil:
		return "failed"
	}
	switch maturity.Outcome(r.Blocking.Result) {
	case maturity.Unknown:
		return "unknown"
	case maturity.Error:
		return "error"
	}
	return "failed"
}

func heat(targets []v1alpha1.MaturityTarget) Heat {
	var h Heat
	index := map[string]int{}
	for ti := range targets {
		t := &targets[ti]
		h.Columns = append(h.Columns, t.Namespace+"/"+t.Name)
		for _, r := range t.Status.Objectives {
			key := r.Stream + "/" + r.Objective
			i, ok := index[key]
			if !ok {
				i = len(h.Rows)
				index[key] = i
				h.Rows = append(h.Rows, HeatRow{Stream: r.Stream, Objective: r.Objective})
			}
			row := &h.Rows[i]
			for len(row.Cells) < ti {
				row.Cells = append(row.Cells, HeatCell{Outcome: "none"})
			}
			c := HeatCell{ID: ID("cell", t.Namespace, t.Name, r.Stream, r.Objective), Outcome: outcome(r)}
			c.Title = fmt.Sprintf("%s/%s in %s/%s at %s: %s", r.Stream, r.Objective, t.Namespace, t.Name, t.Spec.TargetLevel, c.Outcome)
			if r.Blocking != nil && !r.MeetsTarget {
				c.Title += fmt.Sprintf(" (%s at %s: %s)", r.Blocking.Result, r.Blocking.Level, r.Blocking.Rule)
			}
			row.Cells = append(row.Cells, c)
		}
	}
	for i := range h.Rows {
		for len(h.Rows[i].Cells) < len(targets) {
			h.Rows[i].Cells = append(h.Rows[i].Cells, HeatCell{Outcome: "none"})
		}
	}
	return h
}

// stallCauses sums the failing objectives of each cause across the
// businesses, the most first.
func stallCauses(targets []v1alpha1.MaturityTarget) []Bar {
	sum, in := map[string]int32{}, map[string]int{}
	for _, t := range targets {
		for _, c := range t.Status.StallCauses {
			sum[c.Name] += c.FailingObjectives
			in[c.Name]++
		}
	}
	out := make([]Bar, 0, len(sum))
	var top int32
	for name, n := range sum {
		out = append(out, Bar{Name: name, Count: n, Detail: plural(in[name], "business", "businesses")})
		top = max(top, n)
	}
	slices.SortFunc(out, func(a, b Bar) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name)) })
	for i := range out {
		out[i].Max = top
	}
	return out
}

// roles counts open and overdue tasks per owner role, every role listed.
func roles(tasks []v1alpha1.ProjectTask, now time.Time) []Role {
	all := []v1alpha1.OwnerRole{v1alpha1.OwnerProductManager, v1alpha1.OwnerMarketing, v1alpha1.OwnerIT,
		v1alpha1.OwnerSalesMarketing, v1alpha1.OwnerCustomerSupport, v1alpha1.OwnerPartnerManager}
	byRole := map[v1alpha1.OwnerRole]*Role{}
	out := make([]Role, len(all))
	for i, r := range all {
		out[i].Role = string(r)
		byRole[r] = &out[i]
	}
	top := 0
	for i := range tasks {
		t := &tasks[i]
		r := byRole[t.Spec.OwnerRole]
		if r == nil || meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionResolved) || t.Spec.State == v1alpha1.TaskDone {
			continue
		}
		r.Open++
		if t.Spec.DueDate != nil && t.Spec.DueDate.Time.Before(now) {
			r.Overdue++
		}
		top = max(top, r.Open)
	}
	for i := range out {
		out[i].Max = top
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
