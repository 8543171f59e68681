package supportplan

import (
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

// baseInput is what Input makes of baseSpec with no metrics.
func baseInput() support.Input {
	return support.Input{
		Now: now, Heroes: 10, HoursPerHeroPerWeek: 40, ContactsPerWeek: 1000,
		Channels: []support.ChannelMix{
			{Channel: support.Email, Share: 0.7, HandlingMinutes: 6, Concurrency: 1},
			{Channel: support.Phone, Share: 0.3, HandlingMinutes: 6, Concurrency: 1},
		},
		Deflection: 0.1, AIEnabled: true, AIContainment: 0.2, HandoffConfigured: true,
	}
}

func TestInputMapsSpec(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*v1alpha1.SupportPlanSpec)
		want   func(*support.Input)
	}{
		{"defaults: 40 hours, concurrency 1, zero durations and utilisation", func(*v1alpha1.SupportPlanSpec) {}, func(*support.Input) {}},
		{"written numbers", func(s *v1alpha1.SupportPlanSpec) {
			s.Team = v1alpha1.SupportTeam{Heroes: 3, HoursPerHeroPerWeek: ptr(30.0), TargetUtilisation: ptr(0.7),
				RampUp: &metav1.Duration{Duration: 720 * time.Hour}}
			s.Demand = v1alpha1.SupportDemand{ContactsPerWeek: 250, YearlyGrowth: 0.3, Horizon: &metav1.Duration{Duration: 2 * support.Year}}
			s.Channels = []v1alpha1.SupportChannel{{Channel: "Chat", Share: 1, HandlingMinutes: 9, Concurrency: ptr(3.0)}}
			s.SelfService = &v1alpha1.SelfService{Deflection: 0.25, TargetDeflection: ptr(0.4)}
			s.AI = &v1alpha1.SupportAI{Enabled: true, Containment: 0.5}
		}, func(in *support.Input) {
			in.Heroes, in.HoursPerHeroPerWeek, in.TargetUtilisation, in.RampUp = 3, 30, 0.7, 720*time.Hour
			in.ContactsPerWeek, in.YearlyGrowth, in.Horizon = 250, 0.3, 2*support.Year
			in.Channels = []support.ChannelMix{{Channel: support.Chat, Share: 1, HandlingMinutes: 9, Concurrency: 3}}
			in.Deflection, in.AIEnabled, in.AIContainment = 0.25, true, 0.5
		}},
		{"peaks parsed from MM-DD, 02-29 accepted", func(s *v1alpha1.SupportPlanSpec) {
			s.PeakSeasons = []v1alpha1.PeakSeason{
				{Name: "black-friday", Start: "11-20", End: "12-02", Multiplier: 2},
				{Name: "holidays", Start: "12-20", End: "01-05", WrapsNewYear: true, Multiplier: 1.5},
				{Name: "leap", Start: "02-29", End: "02-29", Multiplier: 3},
				{Name: "year", Start: "01-01", End: "12-31", Multiplier: 1.1},
			}
		}, func(in *support.Input) {
			in.Peaks = []support.Peak{
				{Name: "black-friday", Start: support.MonthDay{Month: time.November, Day: 20}, End: support.MonthDay{Month: time.December, Day: 2}, Multiplier: 2},
				{Name: "holidays", Start: support.MonthDay{Month: time.December, Day: 20}, End: support.MonthDay{Month: time.January, Day: 5}, Multiplier: 1.5},
				{Name: "leap", Start: support.MonthDay{Month: time.February, Day: 29}, End: support.MonthDay{Month: time.February, Day: 29}, Multiplier: 3},
				{Name: "year", Start: support.MonthDay{Month: time.January, Day: 1}, End: support.MonthDay{Month: time.December, Day: 31}, Multiplier: 1.1},
			}
		}},
		{"moving peaks: a weekday rule, Easter and explicit dates", func(s *v1alpha1.SupportPlanSpec) {
			s.PeakSeasons = []v1alpha1.PeakSeason{
				{Name: "black-friday", Rule: &v1alpha1.PeakRule{Month: 11, Weekday: "Thursday", Week: 4, OffsetDays: 1, Days: 4}, Multiplier: 3},
				{Name: "memorial-day", Rule: &v1alpha1.PeakRule{Month: 5, Weekday: "Monday", Week: -1, Days: 1}, Multiplier: 1.5},
				{Name: "easter", Easter: &v1alpha1.EasterPeak{OffsetDays: -2, Days: 4}, Multiplier: 2},
				{Name: "prime-days", Dates: []v1alpha1.PeakDates{{Start: "2027-07-08", End: "2027-07-11"}, {Start: "2028-02-29", End: "2028-03-01"}}, Multiplier: 2},
			}
		}, func(in *support.Input) {
			in.Peaks = []support.Peak{
				{Name: "black-friday", Rule: &support.WeekdayRule{Month: time.November, Weekday: time.Thursday, Week: 4, OffsetDays: 1, Days: 4}, Multiplier: 3},
				{Name: "memorial-day", Rule: &support.WeekdayRule{Month: time.May, Weekday: time.Monday, Week: -1, Days: 1}, Multiplier: 1.5},
				{Name: "easter", Easter: &support.EasterRule{OffsetDays: -2, Days: 4}, Multiplier: 2},
				{Name: "prime-days", Dates: []support.DateRange{
					{Start: support.Date{Year: 2027, Month: time.July, Day: 8}, End: support.Date{Year: 2027, Month: time.July, Day: 11}},
					{Start: support.Date{Year: 2028, Month: time.February, Day: 29}, End: support.Date{Year: 2028, Month: time.March, Day: 1}},
				}, Multiplier: 2},
			}
		}},
		{"no self-service, no AI", func(s *v1alpha1.SupportPlanSpec) { s.SelfService, s.AI = nil, nil },
			func(in *support.Input) { in.Deflection, in.AIEnabled, in.AIContainment = 0, false, 0 }},
		{"AI disabled keeps its containment", func(s *v1alpha1.SupportPlanSpec) { s.AI = &v1alpha1.SupportAI{Containment: 0.3} },
			func(in *support.Input) { in.AIEnabled, in.AIContainment = false, 0.3 }},
		{"AI without hand-off still projects: HandoffConfigured is true", func(s *v1alpha1.SupportPlanSpec) { s.AI.Handoff = nil },
			func(*support.Input) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			tt.mutate(spec)
			want := baseInput()
			tt.want(&want)
			got, err := Input(spec, nil, now)
			if err != nil {
				t.Fatalf("Input: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Input =\n%+v\nwant\n%+v", got, want)
			}
			if !got.HandoffConfigured {
				t.Error("HandoffConfigured = false; the hand-off is judged by Findings, never by the projection")
			}
		})
	}
}

func TestInputMetricInputs(t *testing.T) {
	fields := []struct {
		field string
		value float64
		get   func(support.Input) float64
	}{
		{"team.heroes", 17, func(in support.Input) float64 { return float64(in.Heroes) }},
		{"team.hoursPerHeroPerWeek", 35.5, func(in support.Input) float64 { return in.HoursPerHeroPerWeek }},
		{"demand.contactsPerWeek", 4321, func(in support.Input) float64 { return in.ContactsPerWeek }},
		{"demand.yearlyGrowth", 0.45, func(in support.Input) float64 { return in.YearlyGrowth }},
		{"selfService.deflection", 0.33, func(in support.Input) float64 { return in.Deflection }},
		{"ai.containment", 0.6, func(in support.Input) float64 { return in.AIContainment }},
	}
	written := baseInput()
	for _, f := range fields {
		t.Run(f.field, func(t *testing.T) {
			spec := baseSpec()
			spec.MetricInputs = []v1alpha1.MetricInput{{Field: f.field, Metric: "m_" + strings.ReplaceAll(f.field, ".", "_")}}
			present := maturity.Metrics{spec.MetricInputs[0].Metric: {Value: f.value, Source: "crm"}, "other": {Value: -1}}
			got, err := Input(spec, present, now)
			if err != nil {
				t.Fatalf("Input: %v", err)
			}
			if v := f.get(got); v != f.value {
				t.Errorf("with the metric present %s = %v, want the metric's %v", f.field, v, f.value)
			}
			// Every other field keeps the number written in the spec.
			for _, o := range fields {
				if o.field != f.field && o.get(got) != o.get(written) {
					t.Errorf("%s = %v changed by a metric for %s, want %v", o.field, o.get(got), f.field, o.get(written))
				}
			}
			absent := maturity.Metrics{"other": {Value: f.value}}
			got, err = Input(spec, absent, now)
			if err != nil {
				t.Fatalf("Input: %v", err)
			}
			if !reflect.DeepEqual(got, written) {
				t.Errorf("with the metric absent Input =\n%+v\nwant the spec's numbers\n%+v", got, written)
			}
		})
	}

	t.Run("all fields at once", func(t *testing.T) {
		spec := baseSpec()
		metrics := maturity.Metrics{}
		for i, f := range fields {
			name := "m" + string(rune('a'+i))
			spec.MetricInputs = append(spec.MetricInputs, v1alpha1.MetricInput{Field: f.field, Metric: name})
			metrics[name] = maturity.Metric{Value: f.value}
		}
		got, err := Input(spec, metrics, now)
		if err != nil {
			t.Fatalf("Input: %v", err)
		}
		for _, f := range fields {
			if v := f.get(got); v != f.value {
				t.Errorf("%s = %v, want %v", f.field, v, f.value)
			}
		}
	})
}

func TestInputHeroesMetricBounds(t *testing.T) {
	tests := []struct {
		name      string
		value     float64
		want      int
		wantValid bool
	}{
		{"fraction truncated", 7.9, 7, true},
		{"beyond int32 saturates like every head count", 3e9, support.MaxHeroes, true},
		{"negative is left to Validate", -2, -2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			spec.MetricInputs = []v1alpha1.MetricInput{{Field: "team.heroes", Metric: "agents"}}
			in, err := Input(spec, maturity.Metrics{"agents": {Value: tt.value}}, now)
			if err != nil {
				t.Fatalf("Input: %v", err)
			}
			if in.Heroes != tt.want {
				t.Errorf("Heroes = %d, want %d", in.Heroes, tt.want)
			}
			if valid := len(support.Validate(in)) == 0; valid != tt.wantValid {
				t.Errorf("Validate accepts = %v, want %v", valid, tt.wantValid)
			}
		})
	}
}

func TestInputRejectsDaysNotInMonth(t *testing.T) {
	tests := []struct {
		start, end string
		wantErr    string
	}{
		{"04-01", "04-31", `spec.peakSeasons[1].end: "04-31" is not a day of April`},
		{"02-01", "02-30", `spec.peakSeasons[1].end: "02-30" is not a day of February`},
		{"06-31", "07-02", `spec.peakSeasons[1].start: "06-31" is not a day of June`},
		{"09-31", "10-02", `spec.peakSeasons[1].start: "09-31" is not a day of September`},
		{"11-01", "11-31", `spec.peakSeasons[1].end: "11-31" is not a day of November`},
		{"01-00", "01-02", `spec.peakSeasons[1].start: "01-00" is not a day of January`},
		{"13-01", "12-02", `spec.peakSeasons[1].start: "13-01" is not a MM-DD day`},
		{"00-01", "01-02", `spec.peakSeasons[1].start: "00-01" is not a MM-DD day`},
		{"0101", "01-02", `spec.peakSeasons[1].start: "0101" is not a MM-DD day`},
		{"01-01", "xx-02", `spec.peakSeasons[1].end: "xx-02" is not a MM-DD day`},
		{"02-29", "02-29", ""},
		{"01-31", "03-31", ""},
		{"12-31", "01-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.start+"_"+tt.end, func(t *testing.T) {
			spec := baseSpec()
			spec.PeakSeasons = []v1alpha1.PeakSeason{
				{Name: "ok", Start: "05-01", End: "05-31", Multiplier: 2},
				{Name: "tested", Start: tt.start, End: tt.end, WrapsNewYear: true, Multiplier: 2},
			}
			_, err := Input(spec, nil, now)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Input: %v, want accepted", err)
			case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
				t.Fatalf("Input error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestInputRefusesBadMovingPeaks: what the schema cannot stop (a date that
// does not exist when format checks were skipped, an unknown weekday) is
// refused with the field where it was written.
func TestInputRefusesBadMovingPeaks(t *testing.T) {
	tests := []struct {
		peak v1alpha1.PeakSeason
		want string
	}{
		{v1alpha1.PeakSeason{Name: "x", Dates: []v1alpha1.PeakDates{{Start: "2027-02-29", End: "2027-03-01"}}},
			`spec.peakSeasons[0].dates[0].start: "2027-02-29" is not a YYYY-MM-DD date`},
		{v1alpha1.PeakSeason{Name: "x", Dates: []v1alpha1.PeakDates{{Start: "2027-02-28", End: "03-01"}}},
			`spec.peakSeasons[0].dates[0].end: "03-01" is not a YYYY-MM-DD date`},
		{v1alpha1.PeakSeason{Name: "x", Rule: &v1alpha1.PeakRule{Month: 11, Weekday: "thursday", Week: 4, Days: 1}},
			`spec.peakSeasons[0].rule.weekday: "thursday" is not a day of the week`},
	}
	for _, tt := range tests {
		spec := baseSpec()
		tt.peak.Multiplier = 2
		spec.PeakSeasons = []v1alpha1.PeakSeason{tt.peak}
		if _, err := Input(spec, nil, now); err == nil || err.Error() != tt.want {
			t.Errorf("Input error = %v, want %q", err, tt.want)
		}
	}
}
