package dashboard

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Plan is one SupportPlan: the team against the coming peaks.
type Plan struct {
	ID, Namespace, Name, Business string
	Stage, TargetStage            string
	Heroes, RequiredNow           int32
	Peaks                         []Peak
	Chart                         template.HTML
	Ready                         string
}

// Peak is one coming peak with its hire-by date.
type Peak struct {
	Name, Start, HireBy, Hire string
	Required, Gap             int32
	HireNow                   bool
}

// Program is one PartnerProgram: the funnel and the metrics.
type Program struct {
	ID, Namespace, Name, Business string
	Partners, Active              int32
	Funnel                        []Bar
	Metrics                       []Metric
	Stage, Expansion              string
	Risks                         []string
	Ready                         string
}

// Metric is a program metric against its target.
type Metric struct {
	Name, Value, Target, Met string
	Sample                   int32
}

func plans(items []v1alpha1.SupportPlan, now time.Time) []Plan {
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b v1alpha1.SupportPlan) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	out := make([]Plan, 0, len(items))
	for i := range items {
		p, st := &items[i], items[i].Status
		v := Plan{ID: ID("plan", p.Namespace, p.Name), Namespace: p.Namespace, Name: p.Name, Business: p.Spec.Business,
			Stage: orDash(st.CurrentStage), TargetStage: string(p.Spec.TargetStage), Heroes: st.Heroes,
			Ready: readyMessage(st.Conditions)}
		if pr := st.Projection; pr != nil {
			v.RequiredNow = pr.RequiredHeroesNow
			for _, pk := range pr.Peaks {
				if pk.End.Time.Before(now) {
					continue
				}
				v.Peaks = append(v.Peaks, peak(pk, now))
			}
		}
		v.Chart = capacityChart(v)
		out = append(out, v)
	}
	return out
}

func peak(pk v1alpha1.PeakProjection, now time.Time) Peak {
	p := Peak{Name: pk.Name, Start: day(pk.Start.Time), HireBy: day(pk.HireBy.Time), Required: pk.RequiredHeroes,
		Gap: pk.Gap, HireNow: pk.Gap > 0 && pk.HireNow, Hire: "covered"}
	switch {
	case p.HireNow:
		p.Hire = fmt.Sprintf("hire +%d now (hire-by %s passed)", pk.Gap, p.HireBy)
	case pk.Gap > 0:
		p.Hire = fmt.Sprintf("hire +%d by %s (%s)", pk.Gap, p.HireBy, until(now, pk.HireBy.Time))
	}
	return p
}

// funnelPhases is the order of the phases, from the first contact to the exit.
var funnelPhases = []v1alpha1.PartnerPhase{v1alpha1.PhaseWaitlisted, v1alpha1.PhaseOnboarding,
	v1alpha1.PhaseActive, v1alpha1.PhaseInactive, v1alpha1.PhaseChurned}

func programs(items []v1alpha1.PartnerProgram) []Program {
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b v1alpha1.PartnerProgram) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	out := make([]Program, 0, len(items))
	for i := range items {
		p, st := &items[i], items[i].Status
		v := Program{ID: ID("prog", p.Namespace, p.Name), Namespace: p.Namespace, Name: p.Name, Business: p.Spec.Business,
			Partners: st.Partners, Active: st.Active, Stage: orDash(st.Stage), Expansion: orDash(st.Expansion),
			Ready: readyMessage(st.Conditions)}
		for _, ph := range funnelPhases {
			b := Bar{Name: string(ph), Max: st.Partners}
			for _, c := range st.ByPhase {
				if c.Name == string(ph) {
					b.Count = c.Count
				}
			}
			v.Funnel = append(v.Funnel, b)
		}
		for _, m := range st.Metrics {
			mv := Metric{Name: m.Name, Value: "-", Target: orDash(m.Target), Met: "-", Sample: m.Sample}
			switch {
			case m.Duration != nil:
				mv.Value = m.Duration.Duration.String()
			case m.Value != nil:
				mv.Value = strconv.FormatFloat(*m.Value, 'f', -1, 64)
			}
			if m.Met != nil {
				mv.Met = map[bool]string{true: "yes", false: "no"}[*m.Met]
			}
			v.Metrics = append(v.Metrics, mv)
		}
		for _, r := range st.Risks {
			v.Risks = append(v.Risks, r.Name+": "+r.Message)
		}
		out = append(out, v)
	}
	return out
}

// day renders a day in UTC.
func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateOnly)
}

// until says how far t is from now in whole days: "today", "in 3d", "2d ago".
func until(now, t time.Time) string {
	days := int(math.Floor(t.Sub(now).Hours() / 24))
	switch {
	case t.Sub(now) >= 0 && days == 0:
		return "today"
	case days > 0:
		return "in " + strconv.Itoa(days) + "d"
	}
	return strconv.Itoa(-days) + "d ago"
}
