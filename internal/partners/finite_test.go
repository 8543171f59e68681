package partners

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// finitePartners is a program of n Active partners of both types, each
// with the fuzzed results; every other partner has the results halved, so
// sums, averages and per-type comparisons all see the extreme values.
func finitePartners(prog *v1alpha1.PartnerProgramSpec, n int, r v1alpha1.PartnerResults) []*v1alpha1.Partner {
	ps := make([]*v1alpha1.Partner, 0, n)
	joined := ago(120 * Day)
	for i := range n {
		ri := r
		if i%2 == 1 {
			ri.Revenue, ri.SupportHours = r.Revenue/2, r.SupportHours/2
		}
		kind := prog.PartnerTypes[i%len(prog.PartnerTypes)].Name
		ps = append(ps, partner(string(rune('a'+i)), joined, ofType(kind), onboarded(joined.Add(Day)),
			contributed(joined.Add(2*Day)), lastActive(ago(Day)), results(ri)))
	}
	return ps
}

// checkStatusNumbers fails unless the program status built from ms and
// risks holds finite numbers only, explains every metric without one, and
// encodes as JSON (an infinity would make every status patch fail).
func checkStatusNumbers(t *testing.T, ms []v1alpha1.ProgramMetric, risks []v1alpha1.Risk) {
	t.Helper()
	checkFinite(t, ms)
	for _, m := range ms {
		if m.Value == nil && m.Duration == nil && m.Note == "" {
			t.Errorf("%s: no value and no note", show(m))
		}
	}
	for _, r := range risks {
		if strings.Contains(r.Message, "Inf") || strings.Contains(r.Message, "NaN") {
			t.Errorf("risk %s: %q", r.Name, r.Message)
		}
	}
	st := v1alpha1.PartnerProgramStatus{Metrics: ms, Risks: risks}
	if _, err := json.Marshal(st); err != nil {
		t.Fatalf("status does not encode: %v", err)
	}
}

// FuzzMetricsFinite: whatever numbers partners report, every metric in the
// status is a finite number or absent with a note, risk messages carry no
// infinity, and the status encodes.
func FuzzMetricsFinite(f *testing.F) {
	type seed struct {
		revenue, hours, override       float64
		visits, conversions, referrals int64
		automated, manual              int64
		partners                       uint8
	}
	for _, s := range []seed{
		{1000, 10, -1, 100, 5, 2, 8, 2, 6},
		{1e305, 1, -1, 1, 1, 1, 1, 1, 6},                         // revenue per hour near the largest float
		{1e307, 1e-3, -1, 0, 0, 0, 0, 0, 6},                      // the quotient overflows
		{math.MaxFloat64, math.MaxFloat64, -1, 1, 1, 1, 1, 1, 6}, // the sums overflow
		{1e15, 1e-290, -1, 0, 0, 0, 0, 0, 5},                     // the largest revenue the API admits, a sliver of support
		{1e15, 0, 5e-324, 0, 0, 0, 0, 0, 5},                      // a denormal override
		{5e-324, 5e-324, -1, 0, 0, 0, 0, 0, 5},                   // denormals divide to 1
		{0, 0, 0, 0, 0, 0, 0, 0, 0},
		{-1e307, 1, -1, math.MaxInt64, math.MaxInt64, math.MaxInt64, math.MaxInt64, math.MaxInt64, 12},
		{1e15, 1, math.MaxFloat64, 1, 1, 1, 1, 1, 5}, // a ticketing system's absurd support hours
	} {
		f.Add(s.revenue, s.hours, s.override, s.visits, s.conversions, s.referrals, s.automated, s.manual, s.partners)
	}
	f.Fuzz(func(t *testing.T, revenue, hours, override float64, visits, conversions, referrals, automated, manual int64, n uint8) {
		prog := program()
		prog.Targets.RevenuePerSupportHour, prog.Targets.ReferralsPerPartner = ptr(100.0), ptr(1.0)
		ps := finitePartners(prog, int(n%16), v1alpha1.PartnerResults{
			Revenue: revenue, SupportHours: hours, Visits: visits, Conversions: conversions,
			Referrals: referrals, AutomatedTasks: automated, ManualTasks: manual,
		})
		states := deriveAll(prog, ps)
		ms := Metrics(ps, states, prog, override, now)
		risks := Risks(prog, ps, states, ms)
		checkStatusNumbers(t, ms, risks)
		for _, g := range Gaps(ms, risks, StageOpen) {
			for _, tpl := range g.Templates {
				if strings.Contains(tpl.Title, "Inf") || strings.Contains(tpl.Title, "NaN") {
					t.Errorf("task title %q", tpl.Title)
				}
			}
		}
	})
}

// TestMetricsOverflowIsANote: a quotient beyond the range of a number has
// no value and says overflow, where it used to round to +Inf and freeze
// the program's status.
func TestMetricsOverflowIsANote(t *testing.T) {
	prog := program()
	prog.Targets.MinSample = ptr(int32(1))
	for _, tc := range []struct {
		name           string
		revenue, hours float64
		override       float64
		want           float64 // 0: no value
		note           string
	}{
		{"the largest revenue per hour", 1e15, 1, -1, 1e15, ""},
		{"rounding near the largest float", 1e305, 1, -1, 1e305, ""},
		{"a quotient that overflows", 1e15, 1e-300, -1, 0, overflowNote},
		{"a sum that overflows", math.MaxFloat64, 1, -1, 0, overflowNote},
		{"support hours that overflow", 1e15, 1, math.Inf(1), 0, overflowNote},
		{"no support hours", 1e15, 0, -1, 0, "no support hours recorded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := finitePartners(prog, 2, v1alpha1.PartnerResults{Revenue: tc.revenue, SupportHours: tc.hours})
			ps[1].Spec.Results = ps[0].Spec.Results
			ms := Metrics(ps, deriveAll(prog, ps), prog, tc.override, now)
			m := metric(t, ms, MetricRevenuePerSupportHour)
			switch {
			case tc.want != 0 && (m.Value == nil || *m.Value != tc.want):
				t.Errorf("got %s, want value %v", show(m), tc.want)
			case tc.want == 0 && (m.Value != nil || m.Note != tc.note || m.Met != nil):
				t.Errorf("got %s, want no value and note %q", show(m), tc.note)
			}
			checkStatusNumbers(t, ms, nil)
		})
	}
}
