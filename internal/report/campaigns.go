package report

import (
	"fmt"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
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
