package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// Business is one MaturityTarget with what its report reads besides it.
type Business struct {
	Target *v1alpha1.MaturityTarget
	// Model is the target's MaturityModel; nil when it could not be read.
	Model *v1alpha1.MaturityModel
	// Sources are the target's MetricSources that could be read.
	Sources []v1alpha1.MetricSource
	// Tasks are the ProjectTasks generated for the target.
	Tasks []v1alpha1.ProjectTask
	// Campaigns are the Campaigns the target's status.campaigns names that
	// could be read: an explanation applies their rules.
	Campaigns []v1alpha1.Campaign
	// Notes say what could not be read, and why; they are printed first.
	Notes []string
}

// business is a Business prepared for rendering.
type business struct {
	Business
	p      palette
	now    time.Time
	levels []string
	model  *maturity.Model // nil without a readable, valid model
	values sourceValues
	local  maturity.Metrics
	// previous are the values the target recorded for rules over the
	// previous period.
	previous maturity.Metrics
}

func prepare(b Business, o Options) *business {
	pb := &business{Business: b, p: palette{o.Color}, now: o.Now, values: indexSources(b.Sources, o.Now)}
	if b.Model != nil {
		for _, l := range b.Model.Spec.Levels {
			pb.levels = append(pb.levels, l.Name)
		}
		if m, errs := maturity.Compile(&b.Model.Spec); len(errs) == 0 {
			pb.model = withCampaigns(m, b.Target, b.Campaigns)
			pb.local = metrics(b.Target, b.Sources)
			pb.previous = maturity.PreviousValues(b.Target.Status.PeriodSnapshots)
		}
	}
	return pb
}

// Report writes the report of one business: the maturity matrix, the
// ranked stall causes, the rules blocking the next level with the values
// they read, and the open tasks.
func Report(w io.Writer, b Business, o Options) error {
	pb := prepare(b, o)
	var s strings.Builder
	pb.header(&s)
	pb.matrix(&s)
	pb.governance(&s)
	pb.stallCauses(&s)
	pb.blocking(&s)
	pb.tasks(&s)
	_, err := io.WriteString(w, s.String())
	return err
}

func (b *business) header(s *strings.Builder) {
	t, p := b.Target, b.p
	fmt.Fprintf(s, "%s  %s\n", p.bold(t.Spec.Business), p.dim(t.Namespace+"/"+t.Name+", model "+t.Spec.ModelRef.Name))
	for _, n := range b.Notes {
		fmt.Fprintf(s, "%s %s\n", p.yellow("note:"), n)
	}
	st := t.Status
	score := scoreText(st.Score)
	met := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionTargetMet)
	verdict := p.yellow("target not met")
	if met != nil && met.Status == "True" {
		verdict = p.green("target met")
	}
	fmt.Fprintf(s, "level %s, target %s: %s; score %s at target; trend %s\n",
		p.bold(orDash(st.CurrentLevel)), p.bold(t.Spec.TargetLevel), verdict, score, orDash(st.Trend))
	if ready := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady); ready == nil || ready.Status != "True" {
		msg := "not evaluated yet"
		if ready != nil {
			msg = ready.Reason + ": " + ready.Message
		}
		fmt.Fprintf(s, "%s %s\n", p.red("not ready:"), msg)
	}
}

// cell is one objective at one level of the matrix.
type cell struct {
	outcome maturity.Outcome // "" when not evaluated
	// beyond marks a level above the objective's first gap: the rule on
	// its own, which does not count until the levels below pass.
	beyond bool
}

func (c cell) text() string {
	sym := map[maturity.Outcome]string{maturity.Passed: "✓", maturity.Failed: "✗",
		maturity.Unknown: "?", maturity.Error: "!", "": "·"}[c.outcome]
	if c.beyond {
		return "(" + sym + ")"
	}
	return " " + sym
}

func (c cell) paint(p palette, s string) string {
	if c.beyond {
		return p.dim(s)
	}
	switch c.outcome {
	case maturity.Passed:
		return p.green(s)
	case maturity.Failed, maturity.Error:
		return p.red(s)
	case maturity.Unknown:
		return p.yellow(s)
	}
	return s
}

// cells says where one objective stands at each level: passed up to its
// reached level and the operator's blocking outcome above it, from the
// status; the levels above that evaluated on their own, when the model is
// readable.
func (b *business) cells(r v1alpha1.ObjectiveResult) []cell {
	reached := slices.Index(b.levels, r.ReachedLevel) // -1 when empty
	var local []maturity.LevelOutcome
	if b.model != nil {
		local, _ = b.model.EvaluateLevelsWithPrevious(b.local, b.previous, r.Stream, r.Objective)
	}
	out := make([]cell, len(b.levels))
	for i := range out {
		switch {
		case i <= reached:
			out[i] = cell{outcome: maturity.Passed}
		case i == reached+1 && r.Blocking != nil:
			out[i] = cell{outcome: maturity.Outcome(r.Blocking.Result)}
		case i < len(local):
			out[i] = cell{outcome: local[i].Outcome, beyond: i > reached+1}
		}
	}
	return out
}

func (b *business) matrix(s *strings.Builder) {
	p, st := b.p, b.Target.Status
	if len(b.levels) == 0 {
		return
	}
	names := []string{"STREAM / OBJECTIVE"}
	for _, r := range st.Objectives {
		names = append(names, r.Stream, "  "+r.Objective)
	}
	nameW := width(names...)
	ownerW := width("OWNER", string(v1alpha1.OwnerCustomerSupport))
	colW := make([]int, len(b.levels))
	var head, marks strings.Builder
	head.WriteString(pad("STREAM / OBJECTIVE", nameW) + "  " + pad("OWNER", ownerW))
	marks.WriteString(strings.Repeat(" ", nameW+2+ownerW))
	for i, l := range b.levels {
		colW[i] = width(l, "▲ current", "◆ target")
		head.WriteString("  " + pad(l, colW[i]))
		mark := ""
		switch {
		case l == st.CurrentLevel && l == b.Target.Spec.TargetLevel:
			mark = "▲◆"
		case l == st.CurrentLevel:
			mark = "▲ current"
		case l == b.Target.Spec.TargetLevel:
			mark = "◆ target"
		}
		marks.WriteString("  " + padWith(mark, colW[i], p.cyan))
	}
	fmt.Fprintf(s, "\n%s\n%s\n", p.bold(strings.TrimRight(head.String(), " ")), strings.TrimRight(marks.String(), " "))
	stream := ""
	for _, r := range st.Objectives {
		if r.Stream != stream {
			stream = r.Stream
			s.WriteString(p.bold(stream) + "\n")
		}
		line := pad("  "+r.Objective, nameW) + "  " + pad(string(r.Owner), ownerW)
		for i, c := range b.cells(r) {
			line += "  " + padWith(c.text(), colW[i], func(s string) string { return c.paint(p, s) })
		}
		s.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	s.WriteString(p.dim("✓ passed  ✗ failed  ? unknown (a metric is missing)  ! error  · not evaluated  (…) above the first gap: the rule on its own, not counted") + "\n")
}

func (b *business) stallCauses(s *strings.Builder) {
	p, causes := b.p, b.Target.Status.StallCauses
	if len(causes) == 0 {
		return
	}
	desc := map[string]string{}
	if b.Model != nil {
		for _, c := range b.Model.Spec.StallCauses {
			desc[c.Name] = c.Description
		}
	}
	s.WriteString("\n" + p.bold("Stall causes") + p.dim(" (objectives below target that point to each)") + "\n")
	nameW := 0
	for _, c := range causes {
		nameW = max(nameW, width(c.Name))
	}
	for i, c := range causes {
		line := fmt.Sprintf("%2d. %s %3d  %s", i+1, pad(c.Name, nameW), c.FailingObjectives, p.dim(desc[c.Name]))
		s.WriteString(strings.TrimRight(line, " ") + "\n")
	}
}

func (b *business) blocking(s *strings.Builder) {
	p, st := b.p, b.Target.Status
	if st.NextLevel == "" || len(st.BlockedBy) == 0 {
		return
	}
	fmt.Fprintf(s, "\n%s\n", p.bold(fmt.Sprintf("Blocking %s (%d)", st.NextLevel, len(st.BlockedBy))))
	for _, ref := range st.BlockedBy {
		i := slices.IndexFunc(st.Objectives, func(r v1alpha1.ObjectiveResult) bool {
			return r.Stream == ref.Stream && r.Objective == ref.Objective
		})
		if i < 0 || st.Objectives[i].Blocking == nil {
			fmt.Fprintf(s, "  %s/%s %s\n", ref.Stream, ref.Objective, p.dim("(rule details left out of the status)"))
			continue
		}
		b.rule(s, "  ", ref.Stream+"/"+ref.Objective, *st.Objectives[i].Blocking)
	}
	if st.BlockingOmitted > 0 {
		fmt.Fprintf(s, "  %s\n", p.dim(fmt.Sprintf("… %d more objectives' rules left out of the status", st.BlockingOmitted)))
	}
	if st.ObjectivesOmitted > 0 {
		fmt.Fprintf(s, "  %s\n", p.dim(fmt.Sprintf("… %d more objectives evaluated, beyond the 200 the status lists", st.ObjectivesOmitted)))
	}
}

// rule writes one rule outcome with the values it read.
func (b *business) rule(s *strings.Builder, indent, title string, r v1alpha1.RuleOutcome) {
	p := b.p
	fmt.Fprintf(s, "%s%s  %s  %s\n", indent, p.bold(title), outcomeWord(p, maturity.Outcome(r.Result)), p.cyan(r.Rule))
	for _, v := range r.Values {
		s.WriteString(indent + "    " + valueLine(p, b.values, b.now, v) + "\n")
	}
	for _, m := range r.Missing {
		s.WriteString(indent + "    " + missingLine(p, m) + "\n")
	}
	if r.Message != "" {
		s.WriteString(indent + "    " + p.red(r.Message) + "\n")
	}
}

func outcomeWord(p palette, o maturity.Outcome) string {
	switch o {
	case maturity.Passed:
		return p.green("passed")
	case maturity.Failed:
		return p.red("failed")
	case maturity.Unknown:
		return p.yellow("unknown")
	case maturity.Error:
		return p.red("error")
	}
	return string(o)
}
