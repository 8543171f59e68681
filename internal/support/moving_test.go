package support

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// TestEaster checks the computus against Western Easter Sundays 2000-2040
// from the published tables (checked against python-dateutil's
// easter.easter, EASTER_WESTERN, which uses a different formulation).
func TestEaster(t *testing.T) {
	want := []string{
		"04-23", "04-15", "03-31", "04-20", "04-11", "03-27", "04-16", "04-08", "03-23", "04-12", // 2000-2009
		"04-04", "04-24", "04-08", "03-31", "04-20", "04-05", "03-27", "04-16", "04-01", "04-21", // 2010-2019
		"04-12", "04-04", "04-17", "04-09", "03-31", "04-20", "04-05", "03-28", "04-16", "04-01", // 2020-2029
		"04-21", "04-13", "03-28", "04-17", "04-09", "03-25", "04-13", "04-05", "04-25", "04-10", // 2030-2039
		"04-01", // 2040
	}
	for i, md := range want {
		y := 2000 + i
		got := midnight(easter(y), time.UTC)
		if s := got.Format("01-02"); s != md || got.Year() != y || got.Weekday() != time.Sunday {
			t.Errorf("easter(%d) = %s (%s), want %d-%s, a Sunday", y, got.Format(time.DateOnly), got.Weekday(), y, md)
		}
	}
	// The extremes of the Gregorian range of Easter: 22 March and 25 April.
	for y, want := range map[int]string{1818: "1818-03-22", 2285: "2285-03-22", 1943: "1943-04-25", 2038: "2038-04-25"} {
		if got := midnight(easter(y), time.UTC).Format(time.DateOnly); got != want {
			t.Errorf("easter(%d) = %s, want %s", y, got, want)
		}
	}
}

func TestNthWeekday(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		wd   time.Weekday
		week int
		want string // "" when the month has no such day
	}{
		{2026, time.November, time.Thursday, 4, "2026-11-26"}, // Thanksgiving
		{2027, time.November, time.Thursday, 4, "2027-11-25"},
		{2028, time.November, time.Thursday, 4, "2028-11-23"},
		{2026, time.May, time.Monday, -1, "2026-05-25"}, // the last Monday of May
		{2027, time.May, time.Monday, -1, "2027-05-31"}, // on the month's last day
		{2027, time.March, time.Monday, 5, "2027-03-29"},
		{2028, time.March, time.Monday, 5, ""},
		{2032, time.February, time.Sunday, 5, "2032-02-29"}, // a leap day
		{2027, time.February, time.Sunday, 5, ""},
		{2027, time.January, time.Monday, 1, "2027-01-04"},
		{1969, time.December, time.Wednesday, -1, "1969-12-31"}, // before day 0
	}
	for _, tt := range tests {
		n, ok := nthWeekday(tt.y, tt.m, tt.wd, tt.week)
		got := ""
		if ok {
			got = midnight(n, time.UTC).Format(time.DateOnly)
		}
		if got != tt.want {
			t.Errorf("week %d %s of %s %d = %q, want %q", tt.week, tt.wd, tt.m, tt.y, got, tt.want)
		}
	}
}

var (
	blackFriday = Peak{Name: "black-friday", Multiplier: 3,
		Rule: &WeekdayRule{Month: time.November, Weekday: time.Thursday, Week: 4, OffsetDays: 1, Days: 4}}
	easterWeekend = Peak{Name: "easter", Multiplier: 2, Easter: &EasterRule{OffsetDays: -2, Days: 4}}
	primeDays     = Peak{Name: "prime-days", Multiplier: 2, Dates: []DateRange{
		{Start: Date{2027, time.July, 8}, End: Date{2027, time.July, 11}},
		{Start: Date{2029, time.July, 10}, End: Date{2029, time.July, 12}},
	}}
	// yearEnd is the two weeks from the last Monday of December: it spans
	// the new year every year.
	yearEnd = Peak{Name: "year-end", Multiplier: 1.5,
		Rule: &WeekdayRule{Month: time.December, Weekday: time.Monday, Week: -1, Days: 14}}
	// newYearSale ends the Friday before the first Monday of January: it
	// is anchored in one year and falls in the one before.
	newYearSale = Peak{Name: "new-year-sale", Multiplier: 1.5,
		Rule: &WeekdayRule{Month: time.January, Weekday: time.Monday, Week: 1, OffsetDays: -10, Days: 7}}
)

// occurrence is a projected peak as "name start..end hire-by", the dates
// the projection, the hire-by dates and the task names use.
func occurrences(p Projection) []string {
	var out []string
	for _, pk := range p.Peaks {
		out = append(out, fmt.Sprintf("%s %s..%s hire by %s", pk.Name,
			pk.Start.Format(time.DateOnly), pk.End.Format(time.DateOnly), pk.HireBy.Format(time.DateOnly)))
	}
	return out
}

func TestProjectMovingPeaks(t *testing.T) {
	year := func(n int) time.Duration { return time.Duration(n) * Year }
	tests := []struct {
		name    string
		now     time.Time
		horizon time.Duration
		peaks   []Peak
		want    []string // hire-by is six weeks (baseInput's ramp-up) before the start
	}{
		{"Black Friday to Cyber Monday moves with Thanksgiving", date(2026, 1, 1), year(4), []Peak{blackFriday}, []string{
			"black-friday 2026-11-27..2026-11-30 hire by 2026-10-16",
			"black-friday 2027-11-26..2027-11-29 hire by 2027-10-15",
			"black-friday 2028-11-24..2028-11-27 hire by 2028-10-13",
			"black-friday 2029-11-23..2029-11-26 hire by 2029-10-12",
		}},
		{"Good Friday to Easter Monday moves by weeks", date(2026, 1, 1), year(2) + 120*24*time.Hour, []Peak{easterWeekend}, []string{
			"easter 2026-04-03..2026-04-06 hire by 2026-02-20",
			"easter 2027-03-26..2027-03-29 hire by 2027-02-12",
			"easter 2028-04-14..2028-04-17 hire by 2028-03-03",
		}},
		{"explicit dates: no entry for 2026 and 2028, no peak then", date(2026, 1, 1), year(4), []Peak{primeDays}, []string{
			"prime-days 2027-07-08..2027-07-11 hire by 2027-05-27",
			"prime-days 2029-07-10..2029-07-12 hire by 2029-05-29",
		}},
		{"a horizon across the new year: this year's and next year's dates", date(2026, 11, 28), year(1), []Peak{blackFriday, easterWeekend}, []string{
			"black-friday 2026-11-27..2026-11-30 hire by 2026-10-16", // in progress
			"easter 2027-03-26..2027-03-29 hire by 2027-02-12",
			"black-friday 2027-11-26..2027-11-29 hire by 2027-10-15",
		}},
		{"a rule peak across the new year, in progress and next", date(2027, 1, 5), year(1), []Peak{yearEnd}, []string{
			"year-end 2026-12-28..2027-01-10 hire by 2026-11-16",
			"year-end 2027-12-27..2028-01-09 hire by 2027-11-15",
		}},
		{"an offset into the year before the anchor", date(2026, 12, 1), 60 * 24 * time.Hour, []Peak{newYearSale}, []string{
			"new-year-sale 2026-12-25..2026-12-31 hire by 2026-11-13",
		}},
		{"explicit dates across the new year", date(2026, 12, 1), year(1), []Peak{{Name: "clearance", Multiplier: 2,
			Dates: []DateRange{{Start: Date{2026, time.December, 28}, End: Date{2027, time.January, 3}}}}}, []string{
			"clearance 2026-12-28..2027-01-03 hire by 2026-11-16",
		}},
		{"a fifth Monday only in the years that have one", date(2026, 1, 1), year(6), []Peak{{Name: "fifth", Multiplier: 2,
			Rule: &WeekdayRule{Month: time.March, Weekday: time.Monday, Week: 5, Days: 1}}}, []string{
			"fifth 2026-03-30..2026-03-30 hire by 2026-02-16",
			"fifth 2027-03-29..2027-03-29 hire by 2027-02-15",
			"fifth 2031-03-31..2031-03-31 hire by 2031-02-17",
		}},
		{"fixed, rule, Easter and dates together, in time order", date(2027, 1, 1), year(1), []Peak{
			{Name: "summer", Start: md(time.July, 1), End: md(time.July, 14), Multiplier: 1.4}, blackFriday, easterWeekend, primeDays,
		}, []string{
			"easter 2027-03-26..2027-03-29 hire by 2027-02-12",
			"summer 2027-07-01..2027-07-14 hire by 2027-05-20",
			"prime-days 2027-07-08..2027-07-11 hire by 2027-05-27",
			"black-friday 2027-11-26..2027-11-29 hire by 2027-10-15",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInput()
			in.Now, in.Horizon, in.Peaks = tt.now, tt.horizon, tt.peaks
			p, err := Project(in)
			if err != nil {
				t.Fatal(err)
			}
			if got := occurrences(p); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("peaks:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestMovingPeaksMultiply: the summer sale (1.4) and the prime days (2)
// overlap on 2027-07-08..11: 1000 * 2.8 = 2800 contacts, 280 h / 32 h =
// 8.75 -> 9 heroes at both.
func TestMovingPeaksMultiply(t *testing.T) {
	in := baseInput()
	in.Now = date(2027, 1, 1)
	in.Peaks = []Peak{{Name: "summer", Start: md(time.July, 1), End: md(time.July, 14), Multiplier: 1.4}, primeDays}
	p, err := Project(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, pk := range p.Peaks {
		if !near(pk.WeeklyDemand, 2800) || pk.RequiredHeroes != 9 {
			t.Errorf("%s: %v contacts, %d heroes; want 2800 and 9", pk.Name, pk.WeeklyDemand, pk.RequiredHeroes)
		}
	}
}
