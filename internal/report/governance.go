package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// scoreText is status.score for the header: "14/21", with the weighted
// percent when the model sets weights or keys.
func scoreText(sc *v1alpha1.Score) string {
	if sc == nil {
		return "-"
	}
	if sc.Percent == nil {
		return sc.Summary
	}
	return sc.Summary + " (" + strconv.Itoa(int(*sc.Percent)) + "% weighted)"
}

// governance writes what the platform team decided for this target and
// what it holds back: a level change waiting out stabilization, key
// objectives below target, exemptions, and the rules in shadow. Nothing is
// written for a target that uses none of them.
func (b *business) governance(s *strings.Builder) {
	p, t := b.p, b.Target
	st := t.Status
	var lines []string
	if pl := st.PendingLevel; pl != nil {
		lines = append(lines, fmt.Sprintf("  level %s pending since %s (%d evaluations), held at %s by spec.stabilization",
			p.bold(orDash(pl.Level)), date(pl.Since), pl.Evaluations, orDash(st.CurrentLevel)))
	}
	if st.Score != nil && len(st.Score.KeyFailing) > 0 {
		keys := make([]string, len(st.Score.KeyFailing))
		for i, k := range st.Score.KeyFailing {
			keys[i] = k.Stream + "/" + k.Objective
		}
		lines = append(lines, "  "+p.red("key objectives below target: ")+strings.Join(keys, ", "))
	}
	for _, e := range st.Exemptions {
		state := p.green(e.State)
		if e.State != v1alpha1.ExemptionActive {
			state = p.yellow(e.State)
		}
		lines = append(lines, fmt.Sprintf("  %s/%s  exemption %s  %s", e.Stream, e.Objective, state, p.dim(e.Message)))
		for _, o := range st.Objectives {
			if o.Stream == e.Stream && o.Objective == e.Objective && o.Exemption != nil {
				lines = append(lines, "      "+p.dim("reason: "+o.Exemption.Reason+" (expires "+until(b.now, o.Exemption.ExpiresAt.Time)+")"))
			}
		}
	}
	if mp := st.ModelPreview; mp != nil {
		lines = append(lines, "  "+modelPreviewLine(p, t.Spec.ModelRef.Name, mp))
	}
	if len(lines) > 0 {
		s.WriteString("\n" + p.bold("Governance") + "\n" + strings.Join(lines, "\n") + "\n")
	}
	b.shadow(s)
	b.campaigns(s)
}

// shadow writes what the model's shadow rules would change if they counted.
func (b *business) shadow(s *strings.Builder) {
	p, st := b.p, b.Target.Status
	if st.Shadow == nil || st.Shadow.Objectives == 0 {
		return
	}
	fmt.Fprintf(s, "\n%s %s\n", p.bold(fmt.Sprintf("Shadow rules (%d)", st.Shadow.Objectives)),
		p.dim("evaluated, not counted: the level would be "+orDash(st.Shadow.CurrentLevel)))
	for _, o := range st.Objectives {
		if o.ShadowBlocking != nil {
			b.rule(s, "  ", o.Stream+"/"+o.Objective+" at "+o.ShadowBlocking.Level, *o.ShadowBlocking)
		}
	}
}

// objectiveGovernance writes, under an objective's headline, the exemption
// that makes it meet the target and whether it is in shadow.
func (b *business) objectiveGovernance(s *strings.Builder, r v1alpha1.ObjectiveResult) {
	p := b.p
	if e := r.Exemption; e != nil {
		fmt.Fprintf(s, "%s until %s (%s), approved by %s: %s\n", p.yellow("exempted"), date(e.ExpiresAt),
			until(b.now, e.ExpiresAt.Time), e.Approver, e.Reason)
	}
	if r.Shadow {
		s.WriteString(p.yellow("shadow objective") + p.dim(": evaluated and reported, counted in neither the level nor the score") + "\n")
	}
}

// shadowAt says whether the objective's rule at level i is a shadow rule:
// the criterion, the objective or the level is marked shadow.
func (b *business) shadowAt(r v1alpha1.ObjectiveResult, i int) bool {
	if b.Model == nil || i >= len(b.Model.Spec.Levels) {
		return false
	}
	level := b.Model.Spec.Levels[i]
	if level.Shadow || r.Shadow {
		return true
	}
	for _, st := range b.Model.Spec.Streams {
		for _, ob := range st.Objectives {
			if st.Name != r.Stream || ob.Name != r.Objective {
				continue
			}
			for _, c := range ob.Criteria {
				if c.Level == level.Name {
					return c.Shadow
				}
			}
		}
	}
	return false
}

// modelPreviewLine says what the model's generation in Preview would make
// of the business, from its status.modelPreview.
func modelPreviewLine(p palette, model string, mp *v1alpha1.TargetModelPreview) string {
	head := fmt.Sprintf("model %s generation %d in preview: ", model, mp.Generation)
	if mp.NotEvaluated != "" {
		return head + p.yellow("not evaluated: ") + mp.NotEvaluated
	}
	return head + fmt.Sprintf("would be at %s; %d tasks would open, %d resolve", p.bold(orDash(mp.Level)), mp.TasksToOpen, mp.TasksToResolve)
}
