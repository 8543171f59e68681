package support

import (
	"fmt"
	"time"
)

// The forms of a peak season, as the SupportPlan names them.
const peakForms = "start and end, rule, easter or dates"

func (v *validator) peaks(peaks []Peak) {
	seen := make(map[string]int, len(peaks))
	for i, p := range peaks {
		path := fmt.Sprintf("%s[%d]", FieldPeakSeasons, i)
		switch j, dup := seen[p.Name]; {
		case p.Name == "":
			v.add(path+".name", "is required")
		case dup:
			v.add(path+".name", "duplicate peak season %q (also %s[%d])", p.Name, FieldPeakSeasons, j)
		default:
			seen[p.Name] = i
		}
		v.peakForm(path, p)
		if m := p.Multiplier; v.Finite(path+".multiplier", m) && m <= 0 {
			v.add(path+".multiplier", "must be more than 0, got %v", m)
		}
		v.atMost(path+".multiplier", p.Multiplier, MaxMultiplier)
	}
}

// peakForm checks that exactly one form is set and that it is valid. A peak
// with no form at all is read as fixed days, so its missing start and end
// are reported where they belong.
func (v *validator) peakForm(path string, p Peak) {
	forms := 0
	for _, set := range []bool{p.fixed(), p.Rule != nil, p.Easter != nil, p.Dates != nil} {
		if set {
			forms++
		}
	}
	if forms > 1 {
		v.add(path, "set exactly one of %s, got %d of them", peakForms, forms)
		return
	}
	switch {
	case p.Rule != nil:
		v.weekdayRule(path+".rule", *p.Rule)
	case p.Easter != nil:
		v.offsetAndDays(path+".easter", p.Easter.OffsetDays, p.Easter.Days)
	case p.Dates != nil:
		v.dates(path+".dates", p.Dates)
	default:
		v.monthDay(path+".start", p.Start)
		v.monthDay(path+".end", p.End)
	}
}

func (v *validator) weekdayRule(path string, r WeekdayRule) {
	if r.Month < time.January || r.Month > time.December {
		v.add(path+".month", "must be between 1 and 12, got %d", int(r.Month))
	}
	if r.Weekday < time.Sunday || r.Weekday > time.Saturday {
		v.add(path+".weekday", "must be a day of the week, got %d", int(r.Weekday))
	}
	if r.Week != -1 && (r.Week < 1 || r.Week > 5) {
		v.add(path+".week", "must be 1 to 5, or -1 for the last, got %d", r.Week)
	}
	v.offsetAndDays(path, r.OffsetDays, r.Days)
}

func (v *validator) offsetAndDays(path string, offset, days int) {
	if offset < -MaxOffsetDays || offset > MaxOffsetDays {
		v.add(path+".offsetDays", "must be between %d and %d, got %d", -MaxOffsetDays, MaxOffsetDays, offset)
	}
	if days < 1 || days > MaxPeakDays {
		v.add(path+".days", "must be between 1 and %d, got %d", MaxPeakDays, days)
	}
}

func (v *validator) dates(path string, ds []DateRange) {
	if len(ds) == 0 || len(ds) > MaxPeakDates {
		v.add(path, "must list 1 to %d date ranges, got %d", MaxPeakDates, len(ds))
		return
	}
	for j, d := range ds {
		at := fmt.Sprintf("%s[%d]", path, j)
		okStart, okEnd := v.date(at+".start", d.Start), v.date(at+".end", d.End)
		if !okStart || !okEnd {
			continue
		}
		switch n := d.End.number() - d.Start.number() + 1; {
		case n < 1:
			v.add(at+".end", "%s is before start %s", d.End, d.Start)
		case n > MaxPeakDays:
			v.add(at+".end", "the range lasts %d days, at most %d", n, MaxPeakDays)
		}
	}
}

// date reports a day that does not exist (2027-02-29) and returns whether
// d is a real date.
func (v *validator) date(field string, d Date) bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > daysIn(d.Month, d.Year) {
		v.add(field, "%s is not a date", d)
		return false
	}
	return true
}

// monthDay accepts February 29: it falls on February 28 in common years.
func (v *validator) monthDay(field string, md MonthDay) {
	if md.Month < time.January || md.Month > time.December {
		v.add(field, "month must be between 1 and 12, got %d", int(md.Month))
		return
	}
	if n := daysIn(md.Month, 2000); md.Day < 1 || md.Day > n {
		v.add(field, "%s has days 1 to %d, got day %d", md.Month, n, md.Day)
	}
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }
