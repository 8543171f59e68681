package support

import "time"

// easter is the day number of Western Easter Sunday in year y, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher), valid for every
// Gregorian year.
func easter(y int) int64 {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return dayNumber(y, time.Month(month), day)
}

// weekdayOf is the weekday of day number n (1970-01-01 was a Thursday).
func weekdayOf(n int64) time.Weekday {
	return time.Weekday(((n % 7) + 7 + int64(time.Thursday)) % 7)
}

// nthWeekday is the day number of the week-th wd of month m in year y,
// week -1 the last; ok is false when the month has no such day (a fifth
// Monday).
func nthWeekday(y int, m time.Month, wd time.Weekday, week int) (n int64, ok bool) {
	if week < 0 {
		last := dayNumber(y, m, daysIn(m, y))
		return last - int64((weekdayOf(last)-wd+7)%7), true
	}
	first := dayNumber(y, m, 1)
	n = first + int64((wd-weekdayOf(first)+7)%7) + 7*int64(week-1)
	return n, n < first+int64(daysIn(m, y))
}

func (d Date) number() int64 { return dayNumber(d.Year, d.Month, d.Day) }

// fixed reports whether the peak is written as fixed month-days.
func (p Peak) fixed() bool { return p.Start != (MonthDay{}) || p.End != (MonthDay{}) }

// occurrences appends the occurrences of peak i anchored in year y.
func (p Peak) occurrences(i, y int, out []span) []span {
	lasting := func(anchor int64, offset, days int) []span {
		start := anchor + int64(offset)
		return append(out, span{peak: i, start: start, end: start + int64(days) - 1})
	}
	switch {
	case p.Rule != nil:
		r := p.Rule
		if n, ok := nthWeekday(y, r.Month, r.Weekday, r.Week); ok {
			return lasting(n, r.OffsetDays, r.Days)
		}
	case p.Easter != nil:
		return lasting(easter(y), p.Easter.OffsetDays, p.Easter.Days)
	case p.Dates != nil:
		for _, d := range p.Dates {
			if d.Start.Year == y {
				out = append(out, span{peak: i, start: d.Start.number(), end: d.End.number()})
			}
		}
	default:
		endYear := y
		if p.wraps() {
			endYear++
		}
		out = append(out, span{peak: i, start: dayOf(p.Start, y), end: dayOf(p.End, endYear)})
	}
	return out
}
