// Package supportplan maps a SupportPlan onto the pure projection of
// internal/support and back: the projection's input from the spec and the
// metrics, the plan's own figures as metrics for the stage rules, the stage
// rules as a maturity model, the findings (conditions and task gaps) and the
// status. It is pure: no client, no clock.
package supportplan

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

// PlanSource is the source name of the plan's own figures in rule outcomes:
// "requiredHeroes=12 (plan)".
const PlanSource = "plan"

// Input builds the projection input from the spec, replacing the numbers
// that spec.metricInputs take from metrics present in the sources.
func Input(spec *v1alpha1.SupportPlanSpec, metrics maturity.Metrics, now time.Time) (support.Input, error) {
	in := support.Input{
		Now:             now,
		Heroes:          int(spec.Team.Heroes),
		ContactsPerWeek: spec.Demand.ContactsPerWeek,
		YearlyGrowth:    spec.Demand.YearlyGrowth,
	}
	if v := spec.Team.HoursPerHeroPerWeek; v != nil {
		in.HoursPerHeroPerWeek = *v
	} else {
		in.HoursPerHeroPerWeek = 40
	}
	if v := spec.Team.TargetUtilisation; v != nil {
		in.TargetUtilisation = *v
	}
	if v := spec.Team.RampUp; v != nil {
		in.RampUp = v.Duration
	}
	if v := spec.Demand.Horizon; v != nil {
		in.Horizon = v.Duration
	}
	for i, p := range spec.PeakSeasons {
		pk, err := peakOf(p)
		if err != nil {
			return in, fmt.Errorf("spec.peakSeasons[%d].%w", i, err)
		}
		in.Peaks = append(in.Peaks, pk)
	}
	for _, c := range spec.Channels {
		mix := support.ChannelMix{Channel: support.Channel(c.Channel), Share: c.Share, HandlingMinutes: c.HandlingMinutes, Concurrency: 1}
		if c.Concurrency != nil {
			mix.Concurrency = *c.Concurrency
		}
		in.Channels = append(in.Channels, mix)
	}
	for _, lv := range spec.Levers {
		in.Levers = append(in.Levers, support.Lever(lv))
	}
	if ss := spec.SelfService; ss != nil {
		in.Deflection = ss.Deflection
	}
	if ai := spec.AI; ai != nil {
		in.AIEnabled = ai.Enabled
		in.AIContainment = ai.Containment
	}
	// The hand-off is judged by a condition and a task, not by rejecting
	// the projection: the numbers are still worth showing.
	in.HandoffConfigured = true

	for _, mi := range spec.MetricInputs {
		m, ok := metrics[mi.Metric]
		if !ok {
			continue // the spec's own number stands
		}
		switch mi.Field {
		case "team.heroes":
			// Capped like every head count, so status.heroes (int32)
			// cannot wrap; a negative count is left to support.Validate.
			in.Heroes = int(min(m.Value, support.MaxHeroes))
		case "team.hoursPerHeroPerWeek":
			in.HoursPerHeroPerWeek = m.Value
		case "demand.contactsPerWeek":
			in.ContactsPerWeek = m.Value
		case "demand.yearlyGrowth":
			in.YearlyGrowth = m.Value
		case "selfService.deflection":
			in.Deflection = m.Value
		case "ai.containment":
			in.AIContainment = m.Value
		}
	}
	return in, nil
}

// parseMonthDay reads "MM-DD"; the CRD pattern has checked the shape, this
// checks the day exists in the month (Feb 29 is allowed).
func parseMonthDay(s string) (support.MonthDay, error) {
	mm, dd, ok := strings.Cut(s, "-")
	m, err1 := strconv.Atoi(mm)
	d, err2 := strconv.Atoi(dd)
	if !ok || err1 != nil || err2 != nil || m < 1 || m > 12 {
		return support.MonthDay{}, fmt.Errorf("%q is not a MM-DD day", s)
	}
	md := support.MonthDay{Month: time.Month(m), Day: d}
	if d < 1 || d > daysInMonth(md.Month) {
		return md, fmt.Errorf("%q is not a day of %s", s, md.Month)
	}
	return md, nil
}

func daysInMonth(m time.Month) int {
	if m == time.February {
		return 29
	}
	return time.Date(2001, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Figures are the plan's own numbers, published to the stage rules as
// metrics next to those of the sources (the plan's win on a name clash).
func Figures(in support.Input, p support.Projection, spec *v1alpha1.SupportPlanSpec) maturity.Metrics {
	required := p.RequiredHeroesNow
	for _, pk := range p.Peaks {
		required = max(required, pk.RequiredHeroes)
	}
	aiWithoutHandoff := 0.0
	if spec.AI != nil && spec.AI.Enabled && spec.AI.Handoff == nil {
		aiWithoutHandoff = 1
	}
	figures := map[string]float64{
		"heroes":            float64(in.Heroes),
		"requiredHeroes":    float64(required),
		"requiredHeroesNow": float64(p.RequiredHeroesNow),
		"capacityGap":       float64(p.CapacityGap),
		"phoneVideoShare":   round2(p.PhoneVideoShare),
		"deflection":        round2(in.Deflection),
		"targetDeflection":  round2(targetDeflection(spec, in)),
		"aiContainment":     round2(in.AIContainment),
		"aiWithoutHandoff":  aiWithoutHandoff,
		"heroContactShare":  round2(p.HeroContactShare),
		"minutesPerContact": round2(p.MinutesPerContact),
		"volumePerHero":     round2(p.VolumePerHero),
		"hoursPerHero":      round2(p.HoursPerHero),
		"demandNow":         round0(p.DemandNow),
		"demandAtHorizon":   round0(p.DemandAtHorizon),
	}
	out := make(maturity.Metrics, len(figures))
	for k, v := range figures {
		out[k] = maturity.Metric{Value: v, Source: PlanSource}
	}
	return out
}

func targetDeflection(spec *v1alpha1.SupportPlanSpec, in support.Input) float64 {
	if spec.SelfService != nil && spec.SelfService.TargetDeflection != nil {
		return *spec.SelfService.TargetDeflection
	}
	return in.Deflection
}
