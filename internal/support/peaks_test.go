package support

import (
	"testing"
	"time"
)

func md(m time.Month, d int) MonthDay { return MonthDay{Month: m, Day: d} }

func TestProjectPeaks(t *testing.T) {
	summer := func(end int) Peak {
		return Peak{Name: "summer", Start: md(time.July, 2), End: md(time.July, end), Multiplier: 2}
	}
	holidays := Peak{Name: "holidays", Start: md(time.December, 20), End: md(time.January, 5), Multiplier: 1.5}
	tests := []struct {
		name    string
		mutate  func(*Input)
		want    []PeakProjection
		wantGap int
	}{
		{"one-day peak: growth to its day times the multiplier", func(in *Input) {
			// Jan 1 -> Jul 2 is 182 days: 1000 * 1.2^(182/365) * 2 = 2190.34;
			// 219.03 h / 32 h = 6.84 -> 7 heroes; hire by Jul 2 - 6 weeks.
			in.YearlyGrowth, in.Peaks = 0.2, []Peak{summer(2)}
		}, []PeakProjection{{Name: "summer", Start: date(2026, 7, 2), End: date(2026, 7, 2),
			WeeklyDemand: 2190.3431113361976, RequiredHeroes: 7, HireBy: date(2026, 5, 21)}}, 0},
		{"multi-day peak: its busiest day, the last one when growing", func(in *Input) {
			// Jul 8 is 188 days out: 1000 * 1.2^(188/365) * 2
			in.YearlyGrowth, in.Peaks = 0.2, []Peak{summer(8)}
		}, []PeakProjection{{Name: "summer", Start: date(2026, 7, 2), End: date(2026, 7, 8),
			WeeklyDemand: 2196.917562821902, RequiredHeroes: 7, HireBy: date(2026, 5, 21)}}, 0},
		{"overlapping peaks multiply on the overlap", func(in *Input) {
			// Dec 1 is in both: 1000 * 3 * 2 = 6000; 600 h / 32 = 18.75 -> 19, gap 9.
			in.Peaks = []Peak{
				{Name: "holiday-season", Start: md(time.December, 1), End: md(time.December, 24), Multiplier: 2},
				{Name: "black-friday", Start: md(time.November, 27), End: md(time.December, 1), Multiplier: 3},
			}
		}, []PeakProjection{
			{Name: "black-friday", Start: date(2026, 11, 27), End: date(2026, 12, 1), WeeklyDemand: 6000,
				RequiredHeroes: 19, Gap: 9, HireBy: date(2026, 10, 16)},
			{Name: "holiday-season", Start: date(2026, 12, 1), End: date(2026, 12, 24), WeeklyDemand: 6000,
				RequiredHeroes: 19, Gap: 9, HireBy: date(2026, 10, 20)},
		}, 9},
		{"a peak that wraps the new year", func(in *Input) {
			// 1500 contacts: 150 h / 32 = 4.69 -> 5
			in.Now, in.Peaks = date(2026, 3, 2), []Peak{holidays}
		}, []PeakProjection{{Name: "holidays", Start: date(2026, 12, 20), End: date(2027, 1, 5),
			WeeklyDemand: 1500, RequiredHeroes: 5, HireBy: date(2026, 11, 8)}}, 0},
		{"a peak in progress at now counts with its start in the past", func(in *Input) {
			// Horizon ends 2027-01-02 10:00, after the next holidays start.
			in.Now, in.Heroes, in.Peaks = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC), 4, []Peak{holidays}
		}, []PeakProjection{
			{Name: "holidays", Start: date(2025, 12, 20), End: date(2026, 1, 5), WeeklyDemand: 1500,
				RequiredHeroes: 5, Gap: 1, HireBy: date(2025, 11, 8), HireNow: true},
			{Name: "holidays", Start: date(2026, 12, 20), End: date(2027, 1, 5), WeeklyDemand: 1500,
				RequiredHeroes: 5, Gap: 1, HireBy: date(2026, 11, 8)},
		}, 1},
		{"a peak in progress grows only over its remaining days", func(in *Input) {
			// Jan 2 10:00 -> Jan 5 00:00 is 62 h: 1500 * 1.2^(62/8760); the next
			// holidays fall outside a 30-day horizon.
			in.Now, in.Horizon = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC), 30*24*time.Hour
			in.YearlyGrowth, in.Peaks = 0.2, []Peak{holidays}
		}, []PeakProjection{{Name: "holidays", Start: date(2025, 12, 20), End: date(2026, 1, 5),
			WeeklyDemand: 1501.9368549623584, RequiredHeroes: 5, HireBy: date(2025, 11, 8)}}, 0},
		{"Feb 29 falls on Feb 28 in a common year", func(in *Input) {
			in.Peaks = []Peak{{Name: "leap", Start: md(time.February, 29), End: md(time.February, 29), Multiplier: 2}}
		}, []PeakProjection{{Name: "leap", Start: date(2026, 2, 28), End: date(2026, 2, 28),
			WeeklyDemand: 2000, RequiredHeroes: 7, HireBy: date(2026, 1, 17)}}, 0},
		{"Feb 29 in a leap year", func(in *Input) {
			in.Now = date(2027, 6, 1)
			in.Peaks = []Peak{{Name: "leap", Start: md(time.February, 29), End: md(time.February, 29), Multiplier: 2}}
		}, []PeakProjection{{Name: "leap", Start: date(2028, 2, 29), End: date(2028, 2, 29),
			WeeklyDemand: 2000, RequiredHeroes: 7, HireBy: date(2028, 1, 18)}}, 0},
		{"a season overlapping its own next occurrence counts once", func(in *Input) {
			// Feb 29 - Feb 28 wraps: 2026-02-28..2027-02-28, then 2027-02-28..2028-02-28.
			in.Horizon = 90 * 24 * time.Hour
			in.Peaks = []Peak{{Name: "year", Start: md(time.February, 29), End: md(time.February, 28), Multiplier: 2}}
		}, []PeakProjection{
			{Name: "year", Start: date(2025, 2, 28), End: date(2026, 2, 28), WeeklyDemand: 2000,
				RequiredHeroes: 7, HireBy: date(2025, 1, 17)},
			{Name: "year", Start: date(2026, 2, 28), End: date(2027, 2, 28), WeeklyDemand: 2000,
				RequiredHeroes: 7, HireBy: date(2026, 1, 17)},
		}, 0},
		{"starts on now and on the horizon's end count, the day after does not", func(in *Input) {
			in.Peaks = []Peak{
				{Name: "new-year", Start: md(time.January, 1), End: md(time.January, 1), Multiplier: 1},
				{Name: "second", Start: md(time.January, 2), End: md(time.January, 2), Multiplier: 0.5},
			}
			in.RampUp = 0
		}, []PeakProjection{
			{Name: "new-year", Start: date(2026, 1, 1), End: date(2026, 1, 1), WeeklyDemand: 1000,
				RequiredHeroes: 4, HireBy: date(2026, 1, 1)},
			{Name: "second", Start: date(2026, 1, 2), End: date(2026, 1, 2), WeeklyDemand: 500,
				RequiredHeroes: 2, HireBy: date(2026, 1, 2)},
			{Name: "new-year", Start: date(2027, 1, 1), End: date(2027, 1, 1), WeeklyDemand: 1000,
				RequiredHeroes: 4, HireBy: date(2027, 1, 1)},
		}, 0},
		{"100% deflection needs no heroes at peaks either", func(in *Input) {
			in.Deflection, in.Peaks, in.Heroes = 1, []Peak{summer(2)}, 0
		}, []PeakProjection{{Name: "summer", Start: date(2026, 7, 2), End: date(2026, 7, 2),
			WeeklyDemand: 2000, HireBy: date(2026, 5, 21)}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInput()
			tt.mutate(&in)
			got := mustProject(t, in)
			if len(got.Peaks) != len(tt.want) {
				t.Fatalf("got %d peaks %+v, want %d", len(got.Peaks), got.Peaks, len(tt.want))
			}
			for i, w := range tt.want {
				g := got.Peaks[i]
				if g.Name != w.Name || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || !g.HireBy.Equal(w.HireBy) ||
					!near(g.WeeklyDemand, w.WeeklyDemand) || g.RequiredHeroes != w.RequiredHeroes || g.Gap != w.Gap || g.HireNow != w.HireNow {
					t.Errorf("peak %d:\n got  %+v\n want %+v", i, g, w)
				}
			}
			if got.NextPeak == nil || got.NextPeak.Name != tt.want[0].Name || !got.NextPeak.Start.Equal(tt.want[0].Start) {
				t.Errorf("NextPeak = %+v, want the first peak", got.NextPeak)
			}
			if got.CapacityGap != tt.wantGap {
				t.Errorf("CapacityGap = %d, want %d", got.CapacityGap, tt.wantGap)
			}
		})
	}
}

func TestProjectPeaksInNowsLocation(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	in := baseInput()
	// US clocks go forward on 2026-03-08: days stay whole days.
	in.Now = time.Date(2026, 3, 1, 23, 30, 0, 0, ny)
	in.Peaks = []Peak{{Name: "spring", Start: md(time.March, 10), End: md(time.March, 12), Multiplier: 2}}
	got := mustProject(t, in)
	if len(got.Peaks) != 1 {
		t.Fatalf("got %d peaks, want 1", len(got.Peaks))
	}
	p := got.Peaks[0]
	if want := time.Date(2026, 3, 10, 0, 0, 0, 0, ny); !p.Start.Equal(want) || p.Start.Location() != ny {
		t.Errorf("Start = %v, want %v", p.Start, want)
	}
	if want := time.Date(2026, 3, 12, 0, 0, 0, 0, ny); !p.End.Equal(want) {
		t.Errorf("End = %v, want %v", p.End, want)
	}
	if want := time.Date(2026, 1, 26, 23, 0, 0, 0, ny); !p.HireBy.Equal(want) {
		// Start - 6*168h crosses the DST change back: one hour earlier on the clock.
		t.Errorf("HireBy = %v, want %v", p.HireBy, want)
	}
}
