package support

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestValidateMovingPeaks(t *testing.T) {
	pk := func(f string) string { return fmt.Sprintf("%s[1]%s", FieldPeakSeasons, f) }
	rule := func(mutate func(*WeekdayRule)) func(*Peak) {
		return func(p *Peak) {
			r := *blackFriday.Rule
			mutate(&r)
			p.Rule = &r
		}
	}
	dates := func(ds ...DateRange) func(*Peak) { return func(p *Peak) { p.Dates = append([]DateRange{}, ds...) } }
	day := func(y int, m time.Month, d int) Date { return Date{y, m, d} }
	tests := []struct {
		name string
		peak func(*Peak) // applied to a peak with no form
		want []string
		msg  string
	}{
		{"rule", rule(func(*WeekdayRule) {}), nil, ""},
		{"last weekday", rule(func(r *WeekdayRule) { r.Week = -1 }), nil, ""},
		{"week 0", rule(func(r *WeekdayRule) { r.Week = 0 }), []string{pk(".rule.week")}, "1 to 5, or -1"},
		{"week 6", rule(func(r *WeekdayRule) { r.Week = 6 }), []string{pk(".rule.week")}, "got 6"},
		{"week -2", rule(func(r *WeekdayRule) { r.Week = -2 }), []string{pk(".rule.week")}, "got -2"},
		{"month 0", rule(func(r *WeekdayRule) { r.Month = 0 }), []string{pk(".rule.month")}, "between 1 and 12"},
		{"weekday 7", rule(func(r *WeekdayRule) { r.Weekday = 7 }), []string{pk(".rule.weekday")}, "day of the week"},
		{"offset at the bounds", rule(func(r *WeekdayRule) { r.OffsetDays = -MaxOffsetDays }), nil, ""},
		{"offset beyond", rule(func(r *WeekdayRule) { r.OffsetDays = MaxOffsetDays + 1 }), []string{pk(".rule.offsetDays")}, "between -92 and 92"},
		{"no days", rule(func(r *WeekdayRule) { r.Days = 0 }), []string{pk(".rule.days")}, "between 1 and 92"},
		{"too many days", rule(func(r *WeekdayRule) { r.Days = 93 }), []string{pk(".rule.days")}, "got 93"},
		{"easter", func(p *Peak) { p.Easter = &EasterRule{OffsetDays: -2, Days: 4} }, nil, ""},
		{"easter too long", func(p *Peak) { p.Easter = &EasterRule{OffsetDays: -93, Days: 100} },
			[]string{pk(".easter.offsetDays"), pk(".easter.days")}, "-93"},
		{"dates", dates(primeDays.Dates...), nil, ""},
		{"no dates", dates(), []string{pk(".dates")}, "1 to 20 date ranges, got 0"},
		{"too many dates", dates(make([]DateRange, MaxPeakDates+1)...), []string{pk(".dates")}, "got 21"},
		{"a day that does not exist", dates(DateRange{day(2027, 2, 29), day(2027, 3, 1)}), []string{pk(".dates[0].start")}, "2027-02-29 is not a date"},
		{"a leap day", dates(DateRange{day(2028, 2, 29), day(2028, 3, 1)}), nil, ""},
		{"end before start", dates(DateRange{day(2027, 7, 11), day(2027, 7, 8)}), []string{pk(".dates[0].end")}, "before start"},
		{"92 days", dates(DateRange{day(2027, 1, 1), day(2027, 4, 2)}), nil, ""},
		{"93 days", dates(DateRange{day(2027, 1, 1), day(2027, 4, 3)}), []string{pk(".dates[0].end")}, "93 days"},
		{"two forms", func(p *Peak) {
			p.Start, p.End, p.Easter = md(time.March, 1), md(time.March, 2), &EasterRule{Days: 1}
		}, []string{pk("")}, "exactly one of start and end, rule, easter or dates, got 2"},
		{"no form at all: fixed days without their days", func(*Peak) {}, []string{pk(".start"), pk(".end")}, "month"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			p := Peak{Name: "moving", Multiplier: 2}
			tt.peak(&p)
			in.Peaks[1] = p
			errs := Validate(in)
			var fields []string
			for _, e := range errs {
				fields = append(fields, e.Field)
			}
			if !reflect.DeepEqual(fields, tt.want) {
				t.Fatalf("fields = %q, want %q; errors: %v", fields, tt.want, errs)
			}
			if len(errs) > 0 && !strings.Contains(errs[0].Message, tt.msg) {
				t.Errorf("message %q does not contain %q", errs[0].Message, tt.msg)
			}
			if _, err := Project(in); (err != nil) != (len(errs) > 0) {
				t.Errorf("Project error = %v with %d validation errors", err, len(errs))
			}
		})
	}
}
