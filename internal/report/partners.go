package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// funnel is the order of the phases, from the first contact to the exit.
var funnel = []v1alpha1.PartnerPhase{v1alpha1.PhaseWaitlisted, v1alpha1.PhaseOnboarding,
	v1alpha1.PhaseActive, v1alpha1.PhaseInactive, v1alpha1.PhaseChurned}

// Partners writes a PartnerProgram: the funnel by phase (naming the
// program's partners in each), every metric against its target with its
// sample, the expansion stage and what it waits for, and the risks.
func Partners(w io.Writer, prog *v1alpha1.PartnerProgram, partners []v1alpha1.Partner, o Options) error {
	p, st := palette{o.Color}, prog.Status
	var s strings.Builder
	fmt.Fprintf(&s, "%s  %s\n", p.bold(prog.Spec.Business), p.dim(prog.Namespace+"/"+prog.Name))
	fmt.Fprintf(&s, "%d partners, %d active; activation %s, retention %s\n", st.Partners, st.Active, orDash(st.Activation), orDash(st.Retention))
	if ready := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady); ready == nil || ready.Status != "True" {
		msg := "not evaluated yet"
		if ready != nil {
			msg = ready.Reason + ": " + ready.Message
		}
		fmt.Fprintf(&s, "%s %s\n", p.red("not ready:"), msg)
	}

	names := map[v1alpha1.PartnerPhase][]string{}
	for _, pt := range partners {
		if pt.Spec.ProgramRef.Name == prog.Name {
			names[pt.Status.Phase] = append(names[pt.Status.Phase], pt.Name)
		}
	}
	s.WriteString("\n" + p.bold("Funnel") + "\n")
	phaseW := width(string(v1alpha1.PhaseWaitlisted))
	for _, ph := range funnel {
		n := int32(0)
		for _, c := range st.ByPhase {
			if c.Name == string(ph) {
				n = c.Count
			}
		}
		slices.Sort(names[ph])
		fmt.Fprintf(&s, "  %s %3d  %s  %s\n", pad(string(ph), phaseW), n,
			padWith(bar(float64(n), float64(st.Partners), 20), 20, p.cyan),
			p.dim(strings.Join(names[ph], ", ")))
	}

	writeProgramMetrics(&s, p, st.Metrics)
	writeExpansion(&s, p, prog, o)
	s.WriteString("\n" + p.bold(fmt.Sprintf("Risks (%d)", len(st.Risks))) + "\n")
	if len(st.Risks) == 0 {
		s.WriteString("  " + p.dim("none found") + "\n")
	}
	for _, r := range st.Risks {
		fmt.Fprintf(&s, "  %s %s: %s\n", p.yellow("!"), p.bold(r.Name), r.Message)
	}
	out := strings.ReplaceAll(s.String(), " \n", "\n")
	for strings.Contains(out, " \n") {
		out = strings.ReplaceAll(out, " \n", "\n")
	}
	_, err := io.WriteString(w, out)
	return err
}

func writeProgramMetrics(s *strings.Builder, p palette, ms []v1alpha1.ProgramMetric) {
	s.WriteString("\n" + p.bold("Metrics") + "\n")
	rows := make([][]string, 0, 1+len(ms))
	rows = append(rows, []string{"METRIC", "VALUE", "TARGET", "MET", "SAMPLE", "NOTE"})
	for _, m := range ms {
		value := "-"
		switch {
		case m.Duration != nil:
			value = m.Duration.Duration.String()
		case m.Value != nil:
			value = num(*m.Value)
		}
		met := "-"
		if m.Met != nil {
			met = map[bool]string{true: "yes", false: "no"}[*m.Met]
		}
		rows = append(rows, []string{m.Name, value, orDash(m.Target), met, strconv.Itoa(int(m.Sample)), m.Note})
	}
	writeTable(s, p, rows, "  ", "  ", func(n, i int) func(string) string {
		switch {
		case i == 3 && rows[n][3] == "yes":
			return p.green
		case i == 3 && rows[n][3] == "no":
			return p.red
		case i == 5:
			return p.dim
		}
		return nil
	})
}

func writeExpansion(s *strings.Builder, p palette, prog *v1alpha1.PartnerProgram, o Options) {
	st, ex := prog.Status, prog.Spec.Expansion
	s.WriteString("\n" + p.bold("Expansion") + "\n")
	if ex.Mode != v1alpha1.ExpansionGradual {
		fmt.Fprintf(s, "  open: every partner is admitted\n")
		return
	}
	var stageNames []string
	for _, sg := range ex.Stages {
		mark := sg.Name + " (" + strconv.Itoa(int(sg.MaxPartners)) + ")"
		if sg.Name == st.Stage {
			mark = p.bold("[" + mark + "]")
		}
		stageNames = append(stageNames, mark)
	}
	fmt.Fprintf(s, "  stages %s\n", strings.Join(stageNames, " → "))
	admissions := p.green(orDash(st.Expansion))
	if st.Expansion != "Open" {
		admissions = p.yellow(orDash(st.Expansion))
	}
	fmt.Fprintf(s, "  stage %s admits %d partners; admissions %s\n", p.bold(orDash(st.Stage)), st.Capacity, admissions)
	if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionExpansionOpen); c != nil && c.Message != "" {
		fmt.Fprintf(s, "  %s\n", p.dim(c.Message))
	}
	i := slices.IndexFunc(ex.Stages, func(sg v1alpha1.ExpansionStage) bool { return sg.Name == st.Stage })
	if i < 0 || i == len(ex.Stages)-1 {
		fmt.Fprintf(s, "  waits for: nothing, %s is the last stage\n", orDash(st.Stage))
		return
	}
	next := ex.Stages[i+1].Name
	var missed []string
	for _, m := range st.Metrics {
		if m.Met != nil && !*m.Met {
			missed = append(missed, m.Name)
		}
	}
	switch {
	case len(missed) > 0 || st.TargetsHeldSince == nil:
		why := "every target to hold"
		if len(missed) > 0 {
			why += " (missed: " + strings.Join(missed, ", ") + ")"
		}
		fmt.Fprintf(s, "  waits for: %s, then %s of validation, before %s opens\n", p.yellow(why), windowText(ex), next)
	default:
		opens := st.TargetsHeldSince.Time
		if ex.ValidationWindow != nil {
			opens = opens.Add(ex.ValidationWindow.Duration)
		}
		fmt.Fprintf(s, "  waits for: the validation window; targets held since %s, %s opens %s (%s) if they keep holding\n",
			date(*st.TargetsHeldSince), next, opens.UTC().Format("2006-01-02"), until(o.Now, opens))
	}
}

func windowText(ex v1alpha1.Expansion) string {
	if ex.ValidationWindow == nil {
		return "the validation window"
	}
	h := ex.ValidationWindow.Hours()
	if h >= 48 && int(h)%24 == 0 {
		return strconv.Itoa(int(h)/24) + " days"
	}
	return ex.ValidationWindow.Duration.String()
}
