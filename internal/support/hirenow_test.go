package support

import (
	"testing"
	"time"
)

// TestProjectHireNow: a peak that lacks heroes says HireNow once its
// hire-by instant (start - ramp-up) is before now, never earlier, and keeps
// HireBy as computed. The clock is injected; every expectation is derived
// from the peak's start and the ramp-up, not from today's date.
func TestProjectHireNow(t *testing.T) {
	// december-rush doubles demand: 2000 contacts, 200 h / 32 h -> 7 heroes.
	rush := Peak{Name: "december-rush", Start: md(time.December, 2), End: md(time.December, 24), Multiplier: 2}
	start := date(2026, time.December, 2)
	const rampUp = 3 * week
	hireBy := start.Add(-rampUp) // 2026-11-11
	tests := []struct {
		name    string
		now     time.Time
		heroes  int
		hireNow bool
	}{
		{"hire-by a day ahead", hireBy.Add(-24 * time.Hour), 6, false},
		{"hire-by a second ahead", hireBy.Add(-time.Second), 6, false},
		{"hire-by is now", hireBy, 6, false},
		{"hire-by day, an hour in: the ramp-up ends after the start", hireBy.Add(time.Hour), 6, true},
		{"hire-by weeks past, the peak starts today", start.Add(9 * time.Hour), 6, true},
		{"the peak is under way", start.AddDate(0, 0, 10), 6, true},
		{"the peak's last day", start.AddDate(0, 0, 22).Add(23 * time.Hour), 6, true},
		{"hire-by past but no heroes lacking", start.Add(-time.Hour), 7, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInput()
			in.Now, in.Heroes, in.RampUp, in.Horizon = tt.now, tt.heroes, rampUp, 30*24*time.Hour
			in.Peaks = []Peak{rush}
			p := mustProject(t, in)
			if p.NextPeak == nil || p.NextPeak.Name != rush.Name || !p.NextPeak.Start.Equal(start) {
				t.Fatalf("NextPeak = %+v, want december-rush starting %v", p.NextPeak, start)
			}
			pk := p.Peaks[0]
			if !pk.HireBy.Equal(hireBy) || pk.HireNow != tt.hireNow {
				t.Errorf("HireBy, HireNow = %v, %v; want %v, %v", pk.HireBy, pk.HireNow, hireBy, tt.hireNow)
			}
			if wantGap := max(0, 7-tt.heroes); pk.Gap != wantGap {
				t.Errorf("Gap = %d, want %d", pk.Gap, wantGap)
			}
		})
	}
}

// checkPeaks holds the invariants of the peaks for any input: each peak is
// under way or ahead (its last day is not before today), the next peak is
// the first one, hire-by is never after the start, and HireNow is exactly
// "lacks heroes and hire-by has passed".
func checkPeaks(t *testing.T, in Input, p Projection) {
	t.Helper()
	y, m, d := in.Now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, in.Now.Location())
	for i, pk := range p.Peaks {
		switch {
		case pk.End.Before(today):
			t.Fatalf("peak %d ended before today: %+v\ninput %+v", i, pk, in)
		case pk.HireBy.After(pk.Start):
			t.Fatalf("peak %d hire-by after its start: %+v\ninput %+v", i, pk, in)
		case pk.HireNow != (pk.Gap > 0 && pk.HireBy.Before(in.Now)):
			t.Fatalf("peak %d HireNow = %v with gap %d, hire-by %v, now %v", i, pk.HireNow, pk.Gap, pk.HireBy, in.Now)
		}
	}
	if len(p.Peaks) > 0 && (p.NextPeak == nil || p.NextPeak.Name != p.Peaks[0].Name || !p.NextPeak.Start.Equal(p.Peaks[0].Start)) {
		t.Fatalf("NextPeak = %+v, want the first of %+v", p.NextPeak, p.Peaks)
	}
}
