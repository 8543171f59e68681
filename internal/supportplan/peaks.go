package supportplan

import (
	"fmt"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

// weekdays maps the API's weekday names onto time's.
var weekdays = map[v1alpha1.Weekday]time.Weekday{
	"Sunday": time.Sunday, "Monday": time.Monday, "Tuesday": time.Tuesday, "Wednesday": time.Wednesday,
	"Thursday": time.Thursday, "Friday": time.Friday, "Saturday": time.Saturday,
}

// peakOf maps one peak season onto support's, in whichever form it is
// written; support.Validate judges the numbers and that there is exactly
// one form. The error names the field below the peak ("start: ...").
func peakOf(p v1alpha1.PeakSeason) (support.Peak, error) {
	out := support.Peak{Name: p.Name, Multiplier: p.Multiplier}
	var err error
	if p.Start != "" || p.End != "" {
		if out.Start, err = parseMonthDay(p.Start); err != nil {
			return out, fmt.Errorf("start: %w", err)
		}
		if out.End, err = parseMonthDay(p.End); err != nil {
			return out, fmt.Errorf("end: %w", err)
		}
	}
	if r := p.Rule; r != nil {
		wd, ok := weekdays[r.Weekday]
		if !ok {
			return out, fmt.Errorf("rule.weekday: %q is not a day of the week", r.Weekday)
		}
		out.Rule = &support.WeekdayRule{Month: time.Month(r.Month), Weekday: wd, Week: int(r.Week), OffsetDays: int(r.OffsetDays), Days: int(r.Days)}
	}
	if e := p.Easter; e != nil {
		out.Easter = &support.EasterRule{OffsetDays: int(e.OffsetDays), Days: int(e.Days)}
	}
	if p.Dates != nil {
		out.Dates = make([]support.DateRange, len(p.Dates))
		for j, d := range p.Dates {
			if out.Dates[j].Start, err = parseDate(d.Start); err != nil {
				return out, fmt.Errorf("dates[%d].start: %w", j, err)
			}
			if out.Dates[j].End, err = parseDate(d.End); err != nil {
				return out, fmt.Errorf("dates[%d].end: %w", j, err)
			}
		}
	}
	return out, nil
}

// parseDate reads a YYYY-MM-DD date that exists.
func parseDate(s string) (support.Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return support.Date{}, fmt.Errorf("%q is not a YYYY-MM-DD date", s)
	}
	return support.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
}
