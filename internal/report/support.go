package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// chartCells is the width of the demand and heroes bars.
const chartCells = 30

// Support writes a SupportPlan's projection as a chart: demand and heroes
// needed now, at every peak and at the horizon, with the hire-by dates.
func Support(w io.Writer, plan *v1alpha1.SupportPlan, o Options) error {
	p, st := palette{o.Color}, plan.Status
	var s strings.Builder
	fmt.Fprintf(&s, "%s  %s\n", p.bold(plan.Spec.Business), p.dim(plan.Namespace+"/"+plan.Name))
	fmt.Fprintf(&s, "stage %s, target %s; heroes %d on the team, %d needed at the worst point\n",
		p.bold(orDash(st.CurrentStage)), p.bold(string(plan.Spec.TargetStage)), st.Heroes, st.RequiredHeroes)
	if ready := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady); ready == nil || ready.Status != "True" {
		msg := "not evaluated yet"
		if ready != nil {
			msg = ready.Reason + ": " + ready.Message
		}
		fmt.Fprintf(&s, "%s %s\n", p.red("not ready:"), msg)
	}
	pr := st.Projection
	if pr == nil {
		s.WriteString("no projection in the status yet\n")
		_, err := io.WriteString(w, s.String())
		return err
	}
	fmt.Fprintf(&s, "per hero now: %s contacts and %s hours a week; %s min a contact; %s of contacts reach a hero; phone and video %s\n",
		num(pr.VolumePerHero), num(pr.HoursPerHero), num(pr.MinutesPerContact), percent(pr.HeroContactShare), percent(pr.PhoneVideoShare))

	type row struct {
		when, what string
		demand     float64
		need       int32 // -1: not projected
		hire       string
		hireNow    bool
		peak       bool
	}
	rows := []row{{when: o.Now.UTC().Format("2006-01-02"), what: "now", demand: pr.DemandNow, need: pr.RequiredHeroesNow}}
	if gap := pr.RequiredHeroesNow - st.Heroes; gap > 0 {
		rows[0].hire, rows[0].hireNow = fmt.Sprintf("hire +%d now", gap), true
	}
	for _, pk := range pr.Peaks {
		r := row{when: date(pk.Start), what: pk.Name, demand: pk.WeeklyDemand, need: pk.RequiredHeroes, peak: true}
		switch {
		case pk.Gap > 0 && pk.HireNow:
			r.hire, r.hireNow = fmt.Sprintf("hire +%d NOW (hire-by %s passed)", pk.Gap, date(pk.HireBy)), true
		case pk.Gap > 0:
			r.hire = fmt.Sprintf("hire +%d by %s (%s)", pk.Gap, date(pk.HireBy), until(o.Now, pk.HireBy.Time))
		}
		rows = append(rows, r)
	}
	end := "horizon"
	if h := plan.Spec.Demand.Horizon; h != nil {
		end = o.Now.Add(h.Duration).UTC().Format("2006-01-02")
	}
	rows = append(rows, row{when: end, what: "horizon", demand: pr.DemandAtHorizon, need: -1})

	peakDemand, peakHeroes := 0.0, st.Heroes
	for _, r := range rows {
		peakDemand, peakHeroes = max(peakDemand, r.demand), max(peakHeroes, r.need)
	}
	whatW := width("WHAT")
	for _, r := range rows {
		whatW = max(whatW, width(r.what)+2)
	}
	fmt.Fprintf(&s, "\n%s\n", p.bold(fmt.Sprintf("%-10s  %s  %9s  %s  %s", "DATE", pad("WHAT", whatW), "DEMAND/WK",
		pad("", chartCells), "HEROES NEEDED (█ on the team, ░ missing)")))
	for _, r := range rows {
		what := "  " + r.what
		if r.peak {
			what = "▲ " + r.what
		}
		demand := pad(bar(r.demand, peakDemand, chartCells), chartCells)
		if r.peak {
			demand = padWith(bar(r.demand, peakDemand, chartCells), chartCells, p.yellow)
		}
		heroes := p.dim("not projected")
		if r.need >= 0 {
			heroes = heroBar(p, st.Heroes, r.need, peakHeroes) + " " + strconv.Itoa(int(r.need))
		}
		line := fmt.Sprintf("%-10s  %s  %9s  %s  %s", r.when, pad(what, whatW), num(r.demand), demand, heroes)
		if r.hire != "" {
			hire := r.hire
			if r.hireNow {
				hire = p.red(hire)
			} else {
				hire = p.yellow(hire)
			}
			line += "  " + hire
		}
		s.WriteString(line + "\n")
	}
	fmt.Fprintf(&s, "%s\n", p.dim(fmt.Sprintf("full bars: %s contacts a week, %d heroes", num(peakDemand), peakHeroes)))
	writeLevers(&s, p, pr)
	writeSupportConditions(&s, p, st.Conditions)
	_, err := io.WriteString(w, s.String())
	return err
}

// heroBar draws need heroes against the team: covered cells solid, missing
// ones light, scaled so that full heroes fill chartCells.
func heroBar(p palette, team, need, full int32) string {
	cells := func(n int32) int { return int((int64(n)*chartCells + int64(full) - 1) / int64(max(full, 1))) }
	covered := cells(min(team, need))
	missing := cells(need) - covered
	return p.green(strings.Repeat("█", covered)) + p.red(strings.Repeat("░", missing)) +
		strings.Repeat(" ", max(0, chartCells-covered-missing))
}

// writeSupportConditions lists the plan's domain conditions.
func writeSupportConditions(s *strings.Builder, p palette, conds []metav1.Condition) {
	s.WriteString("\n")
	for _, t := range []string{v1alpha1.ConditionCapacitySufficient, v1alpha1.ConditionChannelMixEfficient,
		v1alpha1.ConditionSelfServiceHealthy, v1alpha1.ConditionHumanHandoffConfigured, v1alpha1.ConditionTargetStageReached} {
		c := meta.FindStatusCondition(conds, t)
		if c == nil {
			continue
		}
		mark := p.green("✓")
		if c.Status != "True" {
			mark = p.red("✗")
		}
		fmt.Fprintf(s, "%s %s  %s\n", mark, pad(t, width(v1alpha1.ConditionHumanHandoffConfigured)), p.dim(c.Message))
	}
}
