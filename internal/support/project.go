package support

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// ceilHeroes forgives a relative error of ceilEpsilon, but never more than
// ceilMaxSlack of a hero: 10.0000000001 heroes of work is 10 heroes, not 11,
// and 1e9+0.5 is still 1e9+1.
const (
	ceilEpsilon  = 1e-9
	ceilMaxSlack = 1e-3
)

// Project validates the input and projects the demand on the team. The error
// is non-nil only when Validate reports problems; it wraps the first
// FieldError (use errors.As) and counts the others.
func Project(in Input) (Projection, error) {
	if errs := Validate(in); len(errs) > 0 {
		if len(errs) == 1 {
			return Projection{}, fmt.Errorf("invalid support plan: %w", errs[0])
		}
		return Projection{}, fmt.Errorf("invalid support plan: %w (and %d more)", errs[0], len(errs)-1)
	}
	in = withDefaults(in)
	m := newModel(in)

	p := Projection{
		DemandNow:         Finite(in.ContactsPerWeek),
		DemandAtHorizon:   m.demandAfter(in.Horizon),
		MinutesPerContact: m.minutes,
		HeroContactShare:  m.heroShare,
		RequiredHeroesNow: m.heroes(in.ContactsPerWeek),
		PhoneVideoShare:   phoneVideoShare(in.Channels),
	}
	p.CapacityGap = gap(p.RequiredHeroesNow, in.Heroes)
	if p.CapacityGap > 0 {
		p.NowLevers = m.levers(in, p.DemandNow, p.CapacityGap)
	}
	if in.Heroes > 0 {
		handled := Finite(in.ContactsPerWeek * m.heroShare)
		p.VolumePerHero = handled / float64(in.Heroes)
		p.HoursPerHero = Finite(handled*m.minutes/60) / float64(in.Heroes)
	}
	p.Peaks = m.peaks(in)
	for _, pk := range p.Peaks {
		p.CapacityGap = max(p.CapacityGap, pk.Gap)
	}
	if len(p.Peaks) > 0 {
		next := p.Peaks[0]
		p.NextPeak = &next
	}
	return p, nil
}

func withDefaults(in Input) Input {
	if in.TargetUtilisation == 0 {
		in.TargetUtilisation = DefaultTargetUtilisation
	}
	if in.Horizon == 0 {
		in.Horizon = DefaultHorizon
	}
	chs := make([]ChannelMix, len(in.Channels))
	for i, c := range in.Channels {
		if c.Concurrency == 0 {
			c.Concurrency = 1
		}
		chs[i] = c
	}
	in.Channels = chs
	return in
}

// model holds the per-contact figures derived from a valid, defaulted input.
type model struct {
	now       time.Time
	base      float64 // contacts per week now
	growth    float64 // 1 + YearlyGrowth
	minutes   float64 // hero minutes per contact reaching a hero
	heroShare float64 // share of contacts reaching a hero
	capacity  float64 // contact hours one hero gives per week
}

func newModel(in Input) model {
	m := model{
		now:       in.Now,
		base:      in.ContactsPerWeek,
		growth:    1 + in.YearlyGrowth,
		heroShare: 1 - in.Deflection,
		capacity:  in.HoursPerHeroPerWeek * in.TargetUtilisation,
	}
	if in.AIEnabled {
		m.heroShare *= 1 - in.AIContainment
	}
	for _, c := range in.Channels {
		m.minutes += c.Share * c.HandlingMinutes / c.Concurrency
	}
	m.minutes = Finite(m.minutes)
	return m
}

// demandAfter is the contacts per week d after now, compounded continuously
// by the fraction of a year; never before now.
func (m model) demandAfter(d time.Duration) float64 {
	years := d.Hours() / Year.Hours()
	if !(years > 0) || m.base == 0 {
		return Finite(m.base)
	}
	return Finite(m.base * math.Pow(m.growth, years))
}

// demandOn is the contacts per week at midnight of day n; days already
// begun count as now.
func (m model) demandOn(n int64) float64 {
	return m.demandAfter(midnight(n, m.now.Location()).Sub(m.now))
}

// heroes is the head count for a weekly demand of contacts.
func (m model) heroes(demand float64) int {
	hours := Finite(demand * m.heroShare * m.minutes / 60)
	return ceilHeroes(hours / m.capacity)
}

func (m model) peaks(in Input) []PeakProjection {
	if len(in.Peaks) == 0 {
		return nil
	}
	loc := in.Now.Location()
	y, mo, d := in.Now.Date()
	today := dayNumber(y, mo, d)
	horizonEnd := in.Now.Add(in.Horizon)
	// Occurrences in progress may have started the year before; overlapping
	// ones may start a year before those or end a year after the horizon.
	// Counting years from Now (not horizonEnd.Year()) bounds the loop even
	// when Now+Horizon saturates.
	all := spans(in.Peaks, y-2, y+int(in.Horizon/Year)+2)

	var out []PeakProjection
	for _, s := range all {
		start := midnight(s.start, loc)
		if s.end < today || start.After(horizonEnd) {
			continue
		}
		demand := Finite(busiest(in.Peaks, all, max(s.start, today), s.end, m.demandOn))
		required := m.heroes(demand)
		hireBy := start.Add(-in.RampUp)
		var levers *Levers
		if g := gap(required, in.Heroes); g > 0 {
			levers = m.levers(in, demand, g)
		}
		out = append(out, PeakProjection{
			Levers:         levers,
			Name:           in.Peaks[s.peak].Name,
			Start:          start,
			End:            midnight(s.end, loc),
			WeeklyDemand:   demand,
			RequiredHeroes: required,
			Gap:            gap(required, in.Heroes),
			HireBy:         hireBy,
			HireNow:        required > in.Heroes && hireBy.Before(in.Now),
		})
	}
	sort.SliceStable(out, func(a, b int) bool {
		if !out[a].Start.Equal(out[b].Start) {
			return out[a].Start.Before(out[b].Start)
		}
		return out[a].Name < out[b].Name
	})
	return out
}

func phoneVideoShare(chs []ChannelMix) float64 {
	s := 0.0
	for _, c := range chs {
		if c.Channel == Phone || c.Channel == Video {
			s += c.Share
		}
	}
	return min(s, 1)
}

// ceilHeroes rounds a fractional head count up, forgiving float noise, and
// saturates at MaxHeroes. NaN and x <= 0 give 0.
func ceilHeroes(x float64) int {
	if !(x > 0) {
		return 0
	}
	if x >= MaxHeroes {
		return MaxHeroes
	}
	return int(max(0, math.Ceil(x-min(ceilEpsilon*max(1, x), ceilMaxSlack))))
}

func gap(required, heroes int) int { return max(0, required-heroes) }

// Finite saturates overflow at the largest float64 and maps NaN to 0; a
// valid input can only overflow, never produce NaN, but no output may be
// either.
func Finite(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0
	case math.IsInf(x, 1):
		return math.MaxFloat64
	case math.IsInf(x, -1):
		return -math.MaxFloat64
	}
	return x
}
