package support

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func randomMonthDay(r *rand.Rand) MonthDay {
	m := time.Month(1 + r.IntN(12))
	return MonthDay{Month: m, Day: 1 + r.IntN(daysIn(m, 2000))}
}

// randomPeak draws a valid peak in any of the four forms.
func randomPeak(r *rand.Rand, name string) Peak {
	p := Peak{Name: name, Multiplier: 0.2 + 5*r.Float64()}
	offset := func() int { return r.IntN(2*MaxOffsetDays+1) - MaxOffsetDays }
	days := func() int { return 1 + r.IntN(MaxPeakDays) }
	switch r.IntN(4) {
	case 0:
		p.Start, p.End = randomMonthDay(r), randomMonthDay(r)
	case 1:
		week := 1 + r.IntN(5)
		if r.IntN(3) == 0 {
			week = -1
		}
		p.Rule = &WeekdayRule{Month: time.Month(1 + r.IntN(12)), Weekday: time.Weekday(r.IntN(7)), Week: week, OffsetDays: offset(), Days: days()}
	case 2:
		p.Easter = &EasterRule{OffsetDays: offset(), Days: days()}
	default:
		for range 1 + r.IntN(MaxPeakDates) {
			start := dayNumber(2018+r.IntN(20), time.Month(1+r.IntN(12)), 1+r.IntN(28))
			s, e := midnight(start, time.UTC), midnight(start+int64(days())-1, time.UTC)
			p.Dates = append(p.Dates, DateRange{Start: Date{s.Year(), s.Month(), s.Day()}, End: Date{e.Year(), e.Month(), e.Day()}})
		}
	}
	return p
}

// randomInput draws a valid input; some values sit on their edges.
func randomInput(r *rand.Rand) Input {
	pick := func(edge, x float64) float64 {
		if r.IntN(8) == 0 {
			return edge
		}
		return x
	}
	zones := []*time.Location{time.UTC, time.FixedZone("UTC-5", -5*3600), time.FixedZone("UTC+13", 13*3600)}
	in := Input{
		Now:                 time.Date(2020, 1, 1, 0, 0, 0, 0, zones[r.IntN(len(zones))]).Add(time.Duration(r.Int64N(int64(10 * Year)))),
		Heroes:              r.IntN(60),
		HoursPerHeroPerWeek: pick(HoursPerWeek, 1+59*r.Float64()),
		TargetUtilisation:   pick(0, pick(1, 0.3+0.7*r.Float64())),
		RampUp:              time.Duration(r.Int64N(int64(120 * 24 * time.Hour))),
		ContactsPerWeek:     pick(0, 1e5*r.Float64()),
		YearlyGrowth:        pick(0, -0.9+3*r.Float64()),
		Horizon:             time.Duration(r.Int64N(int64(MaxHorizon / 2))),
		Deflection:          pick(1, pick(0, r.Float64())),
		AIEnabled:           r.IntN(2) == 0,
		AIContainment:       pick(1, r.Float64()),
	}
	in.HandoffConfigured = in.AIEnabled
	for i := range r.IntN(5) {
		in.Peaks = append(in.Peaks, randomPeak(r, string(rune('a'+i))))
	}
	perm := r.Perm(len(KnownChannels))[:1+r.IntN(len(KnownChannels))]
	weights, total := make([]float64, len(perm)), 0.0
	for i := range weights {
		weights[i] = pick(0, r.Float64())
		total += weights[i]
	}
	rest := 1.0
	for i, c := range perm {
		share := rest // the last takes what is left
		if i < len(perm)-1 && total > 0 {
			share = weights[i] / total
		}
		rest -= share
		mix := ChannelMix{Channel: KnownChannels[c], Share: max(0, share), HandlingMinutes: pick(0, 30*r.Float64())}
		if r.IntN(2) == 0 {
			mix.Concurrency = 1 + 4*r.Float64()
		}
		in.Channels = append(in.Channels, mix)
	}
	return in
}

func checkFinite(t *testing.T, in Input, p Projection) {
	t.Helper()
	fs := []float64{p.DemandNow, p.DemandAtHorizon, p.MinutesPerContact, p.HeroContactShare,
		p.VolumePerHero, p.HoursPerHero, p.PhoneVideoShare}
	ints := []int{p.RequiredHeroesNow, p.CapacityGap}
	levers := []*Levers{p.NowLevers}
	for _, pk := range p.Peaks {
		fs = append(fs, pk.WeeklyDemand)
		ints = append(ints, pk.RequiredHeroes, pk.Gap)
		levers = append(levers, pk.Levers)
	}
	for _, l := range levers {
		if l != nil {
			fs = append(fs, l.DeflectionNow, l.DeflectionNeeded, l.ShiftShare, l.AsyncMinutes, l.Hire.Change, l.Deflect.Change, l.Shift.Change)
			ints = append(ints, l.Heroes)
		}
	}
	for _, f := range fs {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			t.Fatalf("non-finite output %v in %+v\ninput %+v", f, p, in)
		}
	}
	for _, n := range ints {
		if n < 0 || n > MaxHeroes {
			t.Fatalf("head count %d out of range in %+v\ninput %+v", n, p, in)
		}
	}
}

// TestProjectMonotonic: more contacts or faster growth never needs fewer
// heroes, now or at any peak, and every output is finite.
func TestProjectMonotonic(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2026))
	for i := range 2000 {
		in := randomInput(r)
		p := mustProject(t, in)
		checkFinite(t, in, p)
		checkPeaks(t, in, p)
		for _, grow := range []func(*Input){
			func(in *Input) { in.ContactsPerWeek = in.ContactsPerWeek*(1+r.Float64()) + r.Float64() },
			func(in *Input) { in.YearlyGrowth += 2 * r.Float64() },
		} {
			more := in
			grow(&more)
			q := mustProject(t, more)
			checkFinite(t, more, q)
			if q.RequiredHeroesNow < p.RequiredHeroesNow || q.CapacityGap < p.CapacityGap || len(q.Peaks) != len(p.Peaks) {
				t.Fatalf("case %d: more demand needs fewer heroes:\n%+v\n%+v\ninputs %+v\n%+v", i, p, q, in, more)
			}
			for j := range p.Peaks {
				a, b := p.Peaks[j], q.Peaks[j]
				if !a.Start.Equal(b.Start) || b.RequiredHeroes < a.RequiredHeroes || b.WeeklyDemand < a.WeeklyDemand*(1-1e-12) {
					t.Fatalf("case %d peak %d: %+v then %+v\ninputs %+v\n%+v", i, j, a, b, in, more)
				}
			}
		}
	}
}

func FuzzProject(f *testing.F) {
	f.Add(int64(1767225600), 10, 40.0, 0.8, int64(6*week), 1000.0, 0.2, int64(Year), uint8(12), uint8(20), uint8(1), uint8(5),
		1.5, 0.5, 9.0, 3.0, 6.0, 0.0, 0.2, 0.25, true, true)
	f.Add(int64(0), 0, 168.0, 1.0, int64(0), 0.0, -0.99, int64(MaxHorizon), uint8(2), uint8(29), uint8(2), uint8(28),
		1e300, 1.0, 1e308, 1.0, 0.0, 0.0, 1.0, 1.0, false, false)
	f.Add(int64(-62135596800), 1<<62, 1e-300, 1e-300, int64(math.MaxInt64), 1e308, 1e308, int64(0), uint8(0), uint8(0), uint8(13), uint8(32),
		math.NaN(), math.Inf(1), -1.0, 0.5, 0.0, 0.0, 0.0, 0.0, true, false)
	f.Fuzz(func(t *testing.T, now int64, heroes int, hours, util float64, ramp int64, contacts, growth float64, horizon int64,
		m1, d1, m2, d2 uint8, mult, share, handle1, conc1, handle2, conc2, defl, contain float64, ai, handoff bool) {
		in := Input{
			Now: time.Unix(now, 0), Heroes: heroes, HoursPerHeroPerWeek: hours, TargetUtilisation: util,
			RampUp: time.Duration(ramp), ContactsPerWeek: contacts, YearlyGrowth: growth, Horizon: time.Duration(horizon),
			Peaks: []Peak{
				{Name: "a", Start: MonthDay{time.Month(m1), int(d1)}, End: MonthDay{time.Month(m2), int(d2)}, Multiplier: mult},
				{Name: "b", Start: MonthDay{time.Month(m2), int(d2)}, End: MonthDay{time.Month(m1), int(d1)}, Multiplier: 1.5},
			},
			Channels: []ChannelMix{
				{Channel: Chat, Share: share, HandlingMinutes: handle1, Concurrency: conc1},
				{Channel: Phone, Share: 1 - share, HandlingMinutes: handle2, Concurrency: conc2},
			},
			Deflection: defl, AIEnabled: ai, AIContainment: contain, HandoffConfigured: handoff,
		}
		p, err := Project(in)
		if err != nil {
			if len(Validate(in)) == 0 {
				t.Fatalf("Project failed on a valid input: %v", err)
			}
			return
		}
		checkFinite(t, in, p)
		checkPeaks(t, in, p)
	})
}

// BenchmarkProject: three peaks (two overlapping, one across the new year)
// and all six channels over the default horizon.
func BenchmarkProject(b *testing.B) {
	in := baseInput()
	in.YearlyGrowth, in.Deflection = 0.3, 0.2
	in.Peaks = []Peak{
		{Name: "black-friday", Start: md(time.November, 27), End: md(time.December, 1), Multiplier: 3},
		{Name: "holidays", Start: md(time.December, 1), End: md(time.January, 5), Multiplier: 2},
		{Name: "summer", Start: md(time.July, 1), End: md(time.July, 15), Multiplier: 1.3},
	}
	in.Channels = nil
	for _, c := range KnownChannels {
		in.Channels = append(in.Channels, ChannelMix{Channel: c, Share: 1.0 / 6, HandlingMinutes: 7, Concurrency: 2})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Project(in); err != nil {
			b.Fatal(err)
		}
	}
}
