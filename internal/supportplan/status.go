package supportplan

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

// maxPeaks and maxBlocking are the API limits of status.projection.peaks
// and status.blocking.
const (
	maxPeaks    = 30
	maxBlocking = 30
)

// ApplyStages writes the evaluation of the stage rules: the current stage
// ("" when PreRevenue's rules fail) and the rules that block the next one,
// as many as fit maturity.PlanDetailBudget, with the count of the others.
func ApplyStages(st *v1alpha1.SupportPlanStatus, m *maturity.Model, r maturity.Result) {
	st.CurrentStage = ""
	if levels := m.Levels(); r.CurrentLevel >= 0 && r.CurrentLevel < len(levels) {
		st.CurrentStage = levels[r.CurrentLevel]
	}
	st.Blocking, st.BlockingOmitted = maturity.Outcomes(m, r.Blocking, maxBlocking, maturity.PlanDetailBudget)
}

// ApplyStatus writes the projection into the status fields it owns. Numbers
// are rounded (rates to 0.01, volumes to whole contacts) so that a
// re-projection a moment later, with demand grown by a hair, writes nothing.
func ApplyStatus(st *v1alpha1.SupportPlanStatus, in support.Input, p support.Projection) {
	st.Heroes = int32(in.Heroes)
	required := p.RequiredHeroesNow
	proj := &v1alpha1.SupportProjection{
		DemandNow:         round0(p.DemandNow),
		DemandAtHorizon:   round0(p.DemandAtHorizon),
		MinutesPerContact: round2(p.MinutesPerContact),
		HeroContactShare:  round2(p.HeroContactShare),
		RequiredHeroesNow: int32(p.RequiredHeroesNow),
		CapacityGap:       int32(p.CapacityGap),
		VolumePerHero:     round2(p.VolumePerHero),
		HoursPerHero:      round2(p.HoursPerHero),
		PhoneVideoShare:   round2(p.PhoneVideoShare),
		LeversNow:         leversStatus(p.NowLevers),
	}
	for i, pk := range p.Peaks {
		// Every peak counts towards requiredHeroes; only the first
		// maxPeaks are listed.
		required = max(required, pk.RequiredHeroes)
		if i >= maxPeaks {
			continue
		}
		proj.Peaks = append(proj.Peaks, v1alpha1.PeakProjection{
			Name:           pk.Name,
			Start:          day(pk.Start),
			End:            day(pk.End),
			WeeklyDemand:   round0(pk.WeeklyDemand),
			RequiredHeroes: int32(pk.RequiredHeroes),
			Gap:            int32(pk.Gap),
			HireBy:         day(pk.HireBy),
			HireNow:        pk.HireNow,
			Levers:         leversStatus(pk.Levers),
		})
	}
	st.RequiredHeroes = int32(required)
	st.Projection = proj
	st.NextPeak = ""
	if p.NextPeak != nil {
		st.NextPeak = p.NextPeak.Name + " " + p.NextPeak.Start.Format(time.DateOnly)
	}
}

func day(t time.Time) metav1.Time { return metav1.NewTime(t.Truncate(time.Second)) }
