package supportplan

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// TestFindingsHireByOrNow runs a plan through Project and Findings at
// injected clocks around the hire-by date of december-rush (12-02..12-24,
// doubling demand): 1000 e-mails a week at 6 minutes need 4 heroes, the
// peak 7; the team has 6, so one hero is missing, and a 3-week ramp-up puts
// hire-by at 2026-11-11. Titles and due dates are derived from the clock.
func TestFindingsHireByOrNow(t *testing.T) {
	start := date(2026, time.December, 2)
	const rampUp = 21 * 24 * time.Hour
	hireBy := start.Add(-rampUp)
	byTitle := "Hire 1 hero by 2026-11-11 for december-rush"
	nowTitle := "Hire 1 hero now for december-rush (ramp-up ends after it starts)"
	tests := []struct {
		name    string
		now     time.Time
		title   string
		msg     string
		hireNow bool
		// dueNow: the task is due at now; otherwise on the hire-by date.
		dueNow bool
		desc   string
	}{
		{"hire-by ahead: by the date, due on it", hireBy.Add(-3*24*time.Hour + 9*time.Hour + 30*time.Minute),
			byTitle, "hire 1 by 2026-11-11", false, false, "New hires need the ramp-up time"},
		{"hire-by is this instant: still in time, due now", hireBy,
			byTitle, "hire 1 by 2026-11-11", false, true, "New hires need the ramp-up time"},
		{"the hire-by day, after its first instant: now", hireBy.Add(9*time.Hour + 30*time.Minute),
			nowTitle, "hire 1 now (hire-by 2026-11-11 has passed)", true, true, "heroes hired now are still ramping up when it starts"},
		{"the day the peak starts (the issue's case): now", start.Add(9*time.Hour + 30*time.Minute),
			nowTitle, "hire 1 now (hire-by 2026-11-11 has passed)", true, true, "started 2026-12-02"},
		{"the peak is under way: now", start.AddDate(0, 0, 10).Add(500 * time.Millisecond),
			nowTitle, "hire 1 now (hire-by 2026-11-11 has passed)", true, true, "Heroes hired now ramp up while it runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := support.Input{
				Now: tt.now, Heroes: 6, HoursPerHeroPerWeek: 40, RampUp: rampUp, ContactsPerWeek: 1000,
				Horizon:  60 * 24 * time.Hour,
				Peaks:    []support.Peak{{Name: "december-rush", Start: support.MonthDay{Month: time.December, Day: 2}, End: support.MonthDay{Month: time.December, Day: 24}, Multiplier: 2}},
				Channels: []support.ChannelMix{{Channel: support.Email, Share: 1, HandlingMinutes: 6}},
			}
			p, err := support.Project(in)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Peaks) != 1 || !p.Peaks[0].HireBy.Equal(hireBy) || p.Peaks[0].HireNow != tt.hireNow || p.Peaks[0].Gap != 1 {
				t.Fatalf("peaks = %+v, want december-rush lacking 1 hero, hire-by %v, HireNow %v", p.Peaks, hireBy, tt.hireNow)
			}
			f := findingOf(t, Findings(baseSpec(), in, p), v1alpha1.ConditionCapacitySufficient)
			if f.OK || !strings.Contains(f.Message, "december-rush 2026-12-02: 7 heroes needed, "+tt.msg) {
				t.Errorf("finding = %v %q, want False with %q", f.OK, f.Message, tt.msg)
			}
			if len(f.Gaps) != 1 {
				t.Fatalf("gaps = %+v, want one", f.Gaps)
			}
			g := f.Gaps[0]
			wantKey := tasks.Key{Stream: "capacity", Objective: "december-rush-2026", Level: level}
			if g.Key != wantKey {
				t.Errorf("key = %v, want %v: the same task whatever the wording", g.Key, wantKey)
			}
			if tmpl := g.Templates[0]; tmpl.Title != tt.title || !strings.Contains(tmpl.Description, tt.desc) {
				t.Errorf("task = %q / %q, want %q / containing %q", tmpl.Title, tmpl.Description, tt.title, tt.desc)
			}
			wantDue := hireBy
			if tt.dueNow {
				wantDue = tt.now
			}
			if !g.Due.Equal(wantDue) || g.Due.Before(tt.now) {
				t.Errorf("due %v, want %v and never before now %v", g.Due, wantDue, tt.now)
			}
		})
	}
}

// TestFindingsHireDueNeverBeforeNow: at every day around a peak and for
// ramp-ups of none, a day and a half and three weeks, no hire task is due
// before now, a task says "now" exactly when its peak says HireNow, and it
// is due on its hire-by date exactly when that date is not past.
func TestFindingsHireDueNeverBeforeNow(t *testing.T) {
	checked := 0
	for day := range 60 {
		for _, ramp := range []time.Duration{0, 36 * time.Hour, 21 * 24 * time.Hour} {
			in := support.Input{
				Now: date(2026, time.November, 1).Add(time.Duration(day)*24*time.Hour + 13*time.Hour), Heroes: 1,
				HoursPerHeroPerWeek: 40, RampUp: ramp, ContactsPerWeek: 100, Horizon: 30 * 24 * time.Hour,
				Peaks:    []support.Peak{{Name: "rush", Start: support.MonthDay{Month: time.December, Day: 2}, End: support.MonthDay{Month: time.December, Day: 24}, Multiplier: 20}},
				Channels: []support.ChannelMix{{Channel: support.Email, Share: 1, HandlingMinutes: 6}},
			}
			p, err := support.Project(in)
			if err != nil {
				t.Fatal(err)
			}
			gaps := map[string]tasks.Gap{}
			for _, g := range Gaps(Findings(baseSpec(), in, p)) {
				if g.Due.Before(in.Now) {
					t.Errorf("now %v ramp-up %v: %v due %v, before now", in.Now, ramp, g.Key, g.Due)
				}
				gaps[g.Key.Objective] = g
			}
			for _, pk := range p.Peaks {
				g, ok := gaps[fmt.Sprintf("%s-%d", pk.Name, pk.Start.Year())]
				if !ok {
					t.Fatalf("now %v ramp-up %v: no task for %+v", in.Now, ramp, pk)
				}
				checked++
				title := g.Templates[0].Title
				if pk.HireNow != strings.Contains(title, " now for ") || pk.HireNow == g.Due.Equal(pk.HireBy) {
					t.Errorf("now %v ramp-up %v: HireNow %v, task %q due %v, hire-by %v", in.Now, ramp, pk.HireNow, title, g.Due, pk.HireBy)
				}
			}
		}
	}
	if checked < 60 {
		t.Errorf("checked %d peaks, want the clock to cross the hire-by dates", checked)
	}
}
