package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// FindObjective resolves an objective argument, "objective" or
// "stream/objective", against the target's status; a bare name must name
// one objective only.
func FindObjective(t *v1alpha1.MaturityTarget, arg string) (v1alpha1.ObjectiveResult, error) {
	stream, name, qualified := strings.Cut(arg, "/")
	if !qualified {
		stream, name = "", arg
	}
	var found []v1alpha1.ObjectiveResult
	for _, r := range t.Status.Objectives {
		if r.Objective == name && (stream == "" || r.Stream == stream) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return v1alpha1.ObjectiveResult{}, fmt.Errorf("MaturityTarget %s/%s has no objective %q in its status", t.Namespace, t.Name, arg)
	}
	var names []string
	for _, r := range found {
		names = append(names, r.Stream+"/"+r.Objective)
	}
	return v1alpha1.ObjectiveResult{}, fmt.Errorf("objective %q is ambiguous: name one of %s", arg, strings.Join(names, ", "))
}

// Explain writes, for each level of one objective, the rule, the values it
// read with their source and age, the outcome and why; then the tasks
// opened for the objective and their state.
func Explain(w io.Writer, b Business, objective string, o Options) error {
	r, err := FindObjective(b.Target, objective)
	if err != nil {
		return err
	}
	pb := prepare(b, o)
	p := pb.p
	var s strings.Builder
	pb.header(&s)
	fmt.Fprintf(&s, "\n%s  owner %s, reached %s, target %s: %s\n", p.bold(r.Stream+"/"+r.Objective), r.Owner,
		p.bold(orDash(r.ReachedLevel)), b.Target.Spec.TargetLevel, map[bool]string{true: p.green("meets it"), false: p.yellow("below it")}[r.MeetsTarget])
	if desc := pb.description(r); desc != "" {
		s.WriteString(p.dim(desc) + "\n")
	}
	pb.objectiveGovernance(&s, r)
	pb.objectiveCampaigns(&s, r)
	var local []maturity.LevelOutcome
	if pb.model != nil {
		local, _ = pb.model.EvaluateLevelsWithPrevious(pb.local, pb.previous, r.Stream, r.Objective)
	}
	if len(pb.levels) == 0 && r.Blocking != nil {
		// Without the model there are no levels to walk: the operator's
		// blocking rule is all there is to explain.
		s.WriteString("\n")
		pb.rule(&s, "", r.Blocking.Level, *r.Blocking)
		s.WriteString("why: " + why(maturity.Outcome(r.Blocking.Result), r.Blocking.Missing) + "\n")
	}
	reached := slices.Index(pb.levels, r.ReachedLevel)
	levelW := width(pb.levels...)
	for i, level := range pb.levels {
		s.WriteString("\n" + p.bold(pad(level, levelW)) + "  ")
		var lo maturity.LevelOutcome
		if i < len(local) {
			lo = local[i]
		}
		if i < len(local) && !lo.HasRule {
			s.WriteString(p.dim("no rule at this level: it passes") + "\n")
			continue
		}
		indent := strings.Repeat(" ", levelW+2)
		switch {
		case pb.shadowAt(r, i) && i < len(local):
			pb.levelRule(&s, indent, lo.Outcome, lo.Rule, lo.Values, lo.Missing, lo.Message)
			s.WriteString(indent + p.dim("why: "+why(lo.Outcome, lo.Missing)+"; a shadow rule: reported, never counted") + "\n")
		case i <= reached:
			pb.levelRule(&s, indent, maturity.Passed, lo.Rule, lo.Values, lo.Missing, "")
			s.WriteString(indent + p.dim("why: the rule holds on these values") + "\n")
		case r.Blocking != nil && level == r.Blocking.Level:
			bl := r.Blocking
			pb.levelRule(&s, indent, maturity.Outcome(bl.Result), bl.Rule, bl.Values, bl.Missing, bl.Message)
			s.WriteString(indent + "why: " + why(maturity.Outcome(bl.Result), bl.Missing) + "; the objective stops below " + level + "\n")
		case i < len(local):
			pb.levelRule(&s, indent, lo.Outcome, lo.Rule, lo.Values, lo.Missing, lo.Message)
			s.WriteString(indent + p.dim("why: "+why(lo.Outcome, lo.Missing)+"; not counted until "+pb.levels[reached+1]+" passes") + "\n")
		default:
			s.WriteString(p.dim("not evaluated (the model could not be read)") + "\n")
		}
	}
	pb.objectiveTasks(&s, r)
	_, err = io.WriteString(w, s.String())
	return err
}

func (b *business) description(r v1alpha1.ObjectiveResult) string {
	if b.Model == nil {
		return ""
	}
	for _, st := range b.Model.Spec.Streams {
		for _, ob := range st.Objectives {
			if st.Name == r.Stream && ob.Name == r.Objective {
				return ob.Description
			}
		}
	}
	return ""
}

// levelRule writes a rule's outcome, the rule and the values it read.
func (b *business) levelRule(s *strings.Builder, indent string, o maturity.Outcome, rule string, values, missing []string, msg string) {
	p := b.p
	word := outcomeWordPlain(o)
	s.WriteString(outcomeWord(p, o) + strings.Repeat(" ", max(1, 9-len(word))) + p.cyan(rule) + "\n")
	for _, v := range values {
		s.WriteString(indent + "  " + valueLine(p, b.values, b.now, v) + "\n")
	}
	for _, m := range missing {
		s.WriteString(indent + "  " + missingLine(p, m) + "\n")
	}
	if msg != "" {
		s.WriteString(indent + "  " + p.red(msg) + "\n")
	}
}

func outcomeWordPlain(o maturity.Outcome) string { return outcomeWord(palette{}, o) }

// why explains an outcome in words.
func why(o maturity.Outcome, missing []string) string {
	switch o {
	case maturity.Passed:
		return "the rule holds on these values"
	case maturity.Failed:
		return "the rule is false on these values"
	case maturity.Unknown:
		return "no source provides " + strings.Join(missing, ", ") + ", and a missing number never passes"
	case maturity.Error:
		return "the rule cannot run on these values"
	}
	return string(o)
}

// objectiveTasks writes the tasks opened for one objective, open or not.
func (b *business) objectiveTasks(s *strings.Builder, r v1alpha1.ObjectiveResult) {
	p := b.p
	var mine []v1alpha1.ProjectTask
	for _, t := range b.Tasks {
		if t.Spec.Source.Stream == r.Stream && t.Spec.Source.Objective == r.Objective {
			mine = append(mine, t)
		}
	}
	s.WriteString("\n" + p.bold(fmt.Sprintf("Tasks (%d)", len(mine))) + "\n")
	if len(mine) == 0 {
		s.WriteString("  " + p.dim("none opened for this objective") + "\n")
	}
	slices.SortFunc(mine, func(a, c v1alpha1.ProjectTask) int { return strings.Compare(a.Name, c.Name) })
	for i := range mine {
		t := &mine[i]
		state := string(orState(t.Spec.State))
		if meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionResolved) {
			state += ", " + p.green("resolved (gap closed)")
		}
		due := "no due date"
		if t.Spec.DueDate != nil {
			due = "due " + date(*t.Spec.DueDate) + " (" + until(b.now, t.Spec.DueDate.Time) + ")"
			if overdue(t, b.now) {
				due = p.red(due + " OVERDUE")
			}
		}
		fmt.Fprintf(s, "  %s  %s\n    for %s, owner %s, assignee %s, %s, state %s\n",
			t.Name, p.bold(t.Spec.Title), orDash(t.Spec.Source.Level), t.Spec.OwnerRole, orDash(t.Spec.Assignee), due, state)
	}
}
