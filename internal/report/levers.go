package report

import (
	"fmt"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// writeLevers lists, for each capacity gap the status works out levers for
// (today's and each peak's), the three ways to close it alone, the proposed
// one starred: seed 002's hiring, technology (deflection) or channels.
func writeLevers(s *strings.Builder, p palette, pr *v1alpha1.SupportProjection) {
	type gap struct {
		what   string
		levers *v1alpha1.CapacityLevers
	}
	var gaps []gap
	if pr.LeversNow != nil {
		gaps = append(gaps, gap{"now", pr.LeversNow})
	}
	for _, pk := range pr.Peaks {
		if pk.Levers != nil {
			gaps = append(gaps, gap{pk.Name, pk.Levers})
		}
	}
	if len(gaps) == 0 {
		return
	}
	whatW := width("GAP")
	for _, g := range gaps {
		whatW = max(whatW, width(g.what))
	}
	fmt.Fprintf(s, "\n%s\n", p.bold(fmt.Sprintf("%s  LEVERS, each closing the gap alone (* proposed)", pad("GAP", whatW))))
	for _, g := range gaps {
		l := g.levers
		cells := []string{
			lever(p, l.Proposed == v1alpha1.LeverHire, l.Hire.Possible, fmt.Sprintf("hire %d", l.Hire.Heroes), ""),
			lever(p, l.Proposed == v1alpha1.LeverDeflect, l.Deflect.Possible,
				fmt.Sprintf("deflect %s -> %s", percentOf(l.Deflect.FromPercent), percentOf(l.Deflect.ToPercent)), l.Deflect.Reason),
			lever(p, l.Proposed == v1alpha1.LeverShiftChannels, l.ShiftChannels.Possible,
				fmt.Sprintf("move %s of phone/video to async (%s min a contact)",
					percentOf(l.ShiftChannels.MovePercent), num(l.ShiftChannels.AsyncMinutesPerContact)), l.ShiftChannels.Reason),
		}
		fmt.Fprintf(s, "%s  %s\n", pad(g.what, whatW), strings.Join(cells, "; "))
	}
}

// lever is one lever's cell: what it takes, or why it cannot alone.
func lever(p palette, proposed, possible bool, what, why string) string {
	switch {
	case proposed:
		return p.green("*" + what)
	case !possible:
		name, _, _ := strings.Cut(what, " ")
		return p.dim(name + ": not alone (" + why + ")")
	}
	return what
}

// percentOf writes a share already in percent.
func percentOf(f float64) string { return num(f) + "%" }
