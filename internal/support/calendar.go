package support

import (
	"sort"
	"time"
)

// Days are civil day numbers: days since 1970-01-01, independent of any
// location, so daylight-saving shifts cannot move a day.

// span is one occurrence of a peak season, days inclusive.
type span struct {
	peak       int
	start, end int64
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysIn is the number of days of month m in year y.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func dayNumber(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// dayOf is md in year y; February 29 is February 28 in common years.
func dayOf(md MonthDay, y int) int64 {
	d := md.Day
	if n := daysIn(md.Month, y); d > n {
		d = n
	}
	return dayNumber(y, md.Month, d)
}

// midnight is the first instant of day n in loc.
func midnight(n int64, loc *time.Location) time.Time {
	t := time.Unix(n*86400, 0).UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// wraps reports whether the season crosses the new year. It compares the
// declared month-days, not the dates of a given year, so Feb 29 - Feb 28
// wraps in every year.
func (p Peak) wraps() bool {
	return p.End.Month < p.Start.Month || (p.End.Month == p.Start.Month && p.End.Day < p.Start.Day)
}

// spans returns every occurrence of every season anchored in the years
// [from, to] (see Peak), sorted by start.
func spans(peaks []Peak, from, to int) []span {
	out := make([]span, 0, len(peaks)*(to-from+1))
	for y := from; y <= to; y++ {
		for i, p := range peaks {
			out = p.occurrences(i, y, out)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].start < out[b].start })
	return out
}

// multiplier is the product of the multipliers of the seasons active on day
// d; a season that overlaps its own next occurrence counts once.
func multiplier(peaks []Peak, all []span, d int64, active []bool) float64 {
	clear(active)
	for _, s := range all {
		if s.start <= d && d <= s.end {
			active[s.peak] = true
		}
	}
	m := 1.0
	for i, on := range active {
		if on {
			m *= peaks[i].Multiplier
		}
	}
	return m
}

// busiest returns the largest demand(d) * multiplier(d) over the days
// [from, to]. The multiplier is constant between the starts and ends of the
// overlapping occurrences and demand is monotonic in d, so the maximum is
// at an edge of one of those pieces: it is enough to look at the edges.
func busiest(peaks []Peak, all []span, from, to int64, demand func(int64) float64) float64 {
	candidates := []int64{from, to}
	for _, s := range all {
		if s.start > to || s.end < from {
			continue
		}
		candidates = append(candidates, s.start-1, s.start, s.end, s.end+1)
	}
	active := make([]bool, len(peaks))
	best := 0.0
	for _, d := range candidates {
		if d < from || d > to {
			continue
		}
		if x := demand(d) * multiplier(peaks, all, d, active); x > best {
			best = x
		}
	}
	return best
}
