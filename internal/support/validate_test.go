package support

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// validInput uses every part of the input.
func validInput() Input {
	in := baseInput()
	in.TargetUtilisation, in.YearlyGrowth, in.Horizon = 0.75, 0.3, 2*Year
	in.Peaks = []Peak{
		{Name: "holidays", Start: md(time.December, 20), End: md(time.January, 5), Multiplier: 2},
		{Name: "leap", Start: md(time.February, 29), End: md(time.February, 29), Multiplier: 0.5},
	}
	in.Channels = []ChannelMix{
		{Channel: Phone, Share: 0.2, HandlingMinutes: 8},
		{Channel: Chat, Share: 0.5, HandlingMinutes: 9, Concurrency: 3},
		{Channel: Email, Share: 0.3005, HandlingMinutes: 5, Concurrency: 1},
	}
	in.Deflection, in.AIEnabled, in.AIContainment, in.HandoffConfigured = 0.3, true, 0.2, true
	return in
}

func TestValidate(t *testing.T) {
	ch := func(i int, f string) string { return fmt.Sprintf("%s[%d].%s", FieldChannels, i, f) }
	pk := func(i int, f string) string { return fmt.Sprintf("%s[%d].%s", FieldPeakSeasons, i, f) }
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name   string
		mutate func(*Input)
		want   []string // fields, in order
		msg    string   // part of the first message
	}{
		{"valid", func(*Input) {}, nil, ""},
		{"zero values take defaults", func(in *Input) {
			in.TargetUtilisation, in.Horizon, in.Channels[1].Concurrency, in.ContactsPerWeek = 0, 0, 0, 0
		}, nil, ""},
		{"shares sum to 0.9", func(in *Input) { in.Channels[2].Share = 0.2 },
			[]string{FieldChannels}, "shares sum to 0.9, they must sum to 1 (within 0.001)"},
		{"shares sum to 1.002", func(in *Input) { in.Channels[2].Share = 0.302 }, []string{FieldChannels}, "1.002"},
		{"share out of range", func(in *Input) { in.Channels[0].Share, in.Channels[2].Share = -0.1, 0.6005 },
			[]string{ch(0, "share")}, "between 0 and 1"},
		{"NaN share is one error, not a sum error too", func(in *Input) { in.Channels[0].Share = nan },
			[]string{ch(0, "share")}, "finite"},
		{"unknown channel", func(in *Input) { in.Channels[1].Channel = "Fax" },
			[]string{ch(1, "channel")}, `unknown channel "Fax", must be one of Phone, Video, Chat, SMS, Email, Messaging`},
		{"channel names are case sensitive", func(in *Input) { in.Channels[1].Channel = "chat" }, []string{ch(1, "channel")}, "unknown"},
		{"duplicate channel", func(in *Input) { in.Channels[2].Channel = Phone }, []string{ch(2, "channel")}, "duplicate"},
		{"no channels", func(in *Input) { in.Channels = nil }, []string{FieldChannels}, "at least one"},
		{"negative handling", func(in *Input) { in.Channels[0].HandlingMinutes = -1 }, []string{ch(0, "handlingMinutes")}, "negative"},
		{"concurrency below 1", func(in *Input) { in.Channels[1].Concurrency = 0.5 }, []string{ch(1, "concurrency")}, "at least 1"},
		{"negative heroes", func(in *Input) { in.Heroes = -2 }, []string{FieldHeroes}, "negative"},
		{"no hours", func(in *Input) { in.HoursPerHeroPerWeek = 0 }, []string{FieldHoursPerHero}, "more than 0"},
		{"more hours than a week", func(in *Input) { in.HoursPerHeroPerWeek = 169 }, []string{FieldHoursPerHero}, "168"},
		{"NaN hours", func(in *Input) { in.HoursPerHeroPerWeek = nan }, []string{FieldHoursPerHero}, "finite"},
		{"utilisation above 1", func(in *Input) { in.TargetUtilisation = 1.2 }, []string{FieldTargetUtilisation}, "at most 1"},
		{"negative utilisation", func(in *Input) { in.TargetUtilisation = -0.5 }, []string{FieldTargetUtilisation}, "more than 0"},
		{"negative ramp-up", func(in *Input) { in.RampUp = -time.Hour }, []string{FieldRampUp}, "negative"},
		{"negative contacts", func(in *Input) { in.ContactsPerWeek = -1 }, []string{FieldContactsPerWeek}, "negative"},
		{"infinite contacts", func(in *Input) { in.ContactsPerWeek = inf }, []string{FieldContactsPerWeek}, "finite"},
		{"growth of -100%", func(in *Input) { in.YearlyGrowth = -1 }, []string{FieldYearlyGrowth}, "more than -1"},
		{"contacts above the bound", func(in *Input) { in.ContactsPerWeek = 1e307 }, []string{FieldContactsPerWeek}, "must be at most 1e+09, got 1e+307"},
		{"contacts at the bound", func(in *Input) { in.ContactsPerWeek = MaxContactsPerWeek }, nil, ""},
		{"growth above the bound", func(in *Input) { in.YearlyGrowth = 101 }, []string{FieldYearlyGrowth}, "at most 100"},
		{"multiplier above the bound", func(in *Input) { in.Peaks[0].Multiplier = 1e300 }, []string{pk(0, "multiplier")}, "at most 100"},
		{"handling above a day", func(in *Input) { in.Channels[0].HandlingMinutes = 1441 }, []string{ch(0, "handlingMinutes")}, "at most 1440"},
		{"concurrency above the bound", func(in *Input) { in.Channels[1].Concurrency = 21 }, []string{ch(1, "concurrency")}, "at most 20"},
		{"negative horizon", func(in *Input) { in.Horizon = -time.Hour }, []string{FieldHorizon}, "between"},
		{"horizon too long", func(in *Input) { in.Horizon = MaxHorizon + time.Hour }, []string{FieldHorizon}, "between"},
		{"multiplier zero", func(in *Input) { in.Peaks[0].Multiplier = 0 }, []string{pk(0, "multiplier")}, "more than 0"},
		{"negative multiplier", func(in *Input) { in.Peaks[1].Multiplier = -2 }, []string{pk(1, "multiplier")}, "more than 0"},
		{"April 31", func(in *Input) { in.Peaks[0].End = md(time.April, 31) }, []string{pk(0, "end")}, "April has days 1 to 30, got day 31"},
		{"February 30", func(in *Input) { in.Peaks[1].Start = md(time.February, 30) }, []string{pk(1, "start")}, "29"},
		{"day 0", func(in *Input) { in.Peaks[1].Start = md(time.March, 0) }, []string{pk(1, "start")}, "got day 0"},
		{"month 13", func(in *Input) { in.Peaks[0].Start = md(13, 1) }, []string{pk(0, "start")}, "month"},
		{"peak without a name", func(in *Input) { in.Peaks[1].Name = "" }, []string{pk(1, "name")}, "required"},
		{"duplicate peak", func(in *Input) { in.Peaks[1].Name = "holidays" }, []string{pk(1, "name")}, "duplicate"},
		{"deflection above 1", func(in *Input) { in.Deflection = 1.1 }, []string{FieldDeflection}, "between 0 and 1"},
		{"negative containment", func(in *Input) { in.AIContainment = -0.1 }, []string{FieldAIContainment}, "between 0 and 1"},
		{"AI without hand-off", func(in *Input) { in.HandoffConfigured = false }, []string{FieldAIHandoff}, "hand-off"},
		{"levers", func(in *Input) { in.Levers = []Lever{LeverShiftChannels, LeverHire} }, nil, ""},
		{"unknown lever", func(in *Input) { in.Levers = []Lever{"Outsource"} }, []string{FieldLevers + "[0]"},
			`unknown lever "Outsource", must be one of Hire, Deflect, ShiftChannels`},
		{"duplicate lever", func(in *Input) { in.Levers = []Lever{LeverHire, LeverHire} }, []string{FieldLevers + "[1]"}, "duplicate"},
		{"no hand-off needed without AI", func(in *Input) { in.AIEnabled, in.HandoffConfigured = false, false }, nil, ""},
		{"every error, in field order", func(in *Input) {
			in.Heroes, in.ContactsPerWeek = -1, nan
			in.Peaks[0].End = md(time.April, 31)
			in.Channels[0].Channel, in.Channels[0].Share = "Fax", 0.9
			in.HandoffConfigured = false
		}, []string{FieldHeroes, FieldContactsPerWeek, pk(0, "end"), ch(0, "channel"), FieldChannels, FieldAIHandoff}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.mutate(&in)
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
			_, err := Project(in)
			if (err != nil) != (len(errs) > 0) {
				t.Errorf("Project error = %v with %d validation errors", err, len(errs))
			}
		})
	}
}
