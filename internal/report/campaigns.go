package report

import (
	"fmt"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// campaigns writes where the business stands in each Campaign selecting
// it: the phase, the target date, and the campaign's objectives it does
// not meet yet.
func (b *business) campaigns(s *strings.Builder) {
	p, cs := b.p, b.Target.Status.Campaigns
	if len(cs) == 0 {
		return
	}
	fmt.Fprintf(s, "\n%s\n", p.bold(fmt.Sprintf("Campaigns (%d)", len(cs))))
	for _, c := range cs {
		total := int(c.Passing) + len(c.Failing)
		line := fmt.Sprintf("  %s  %s  due %s (%s)  %d/%d objectives met", c.Name, phaseText(p, c.Phase),
			date(c.TargetDate), until(b.now, c.TargetDate.Time), c.Passing, total)
		if c.Message != "" {
			line = fmt.Sprintf("  %s  %s  %s", c.Name, phaseText(p, c.Phase), p.yellow(c.Message))
		}
		s.WriteString(line + "\n")
		for _, f := range c.Failing {
			s.WriteString("      " + p.red("not met: ") + f.Stream + "/" + f.Objective + "\n")
		}
	}
}

// phaseText says what a campaign's phase does to the level, in a word.
func phaseText(p palette, phase string) string {
	switch phase {
	case v1alpha1.CampaignScheduled:
		return p.dim("Scheduled (shadow)")
	case v1alpha1.CampaignActive:
		return p.yellow("Active (tasks open, level unchanged)")
	}
	return p.bold(phase + " (counts in the level)")
}

// withCampaigns merges into m the Campaigns the target's status names, each
// in the phase the target was last evaluated with and in the same order,
// so that an explanation walks the rules the operator applied. A campaign
// that could not be read or compiled is left out, as the operator leaves
// out one it could not apply (its status entry says why).
func withCampaigns(m *maturity.Model, t *v1alpha1.MaturityTarget, campaigns []v1alpha1.Campaign) *maturity.Model {
	var phased []maturity.PhasedCampaign
	for _, entry := range t.Status.Campaigns {
		c := campaignNamed(campaigns, entry.Name)
		if c == nil || entry.Message != "" {
			continue
		}
		compiled, errs := maturity.CompileCampaign(&c.Spec)
		if len(errs) > 0 {
			continue
		}
		phased = append(phased, maturity.PhasedCampaign{Name: c.Name, Phase: entry.Phase, Due: c.Spec.TargetDate.Time, Campaign: compiled})
	}
	merged, _ := m.WithCampaigns(phased)
	return merged
}

func campaignNamed(cs []v1alpha1.Campaign, name string) *v1alpha1.Campaign {
	for i := range cs {
		if cs[i].Name == name {
			return &cs[i]
		}
	}
	return nil
}

// objectiveCampaigns writes, for one objective, each campaign that adds or
// tightens it: its phase, its target date and its rules.
func (b *business) objectiveCampaigns(s *strings.Builder, r v1alpha1.ObjectiveResult) {
	p := b.p
	for _, entry := range b.Target.Status.Campaigns {
		c := campaignNamed(b.Campaigns, entry.Name)
		if c == nil {
			continue
		}
		for _, o := range c.Spec.Objectives {
			var verb string
			var criteria []v1alpha1.Criterion
			switch {
			case o.Stream != r.Stream:
				continue
			case o.Tighten != nil && o.Tighten.Objective == r.Objective:
				verb, criteria = "tightens", o.Tighten.Criteria
			case o.Add != nil && o.Add.Name == r.Objective:
				verb, criteria = "adds", o.Add.Criteria
			default:
				continue
			}
			fmt.Fprintf(s, "%s %s %s (due %s): %s\n", p.yellow("campaign"), c.Name, phaseText(p, entry.Phase), date(c.Spec.TargetDate), verb+" this objective")
			if entry.Message != "" {
				// The operator did not apply it, and the walk below leaves it out.
				s.WriteString("  " + p.yellow(entry.Message) + "\n")
				continue
			}
			for _, cr := range criteria {
				fmt.Fprintf(s, "  %s  %s\n", cr.Level, p.cyan(cr.Rule))
			}
		}
	}
}
