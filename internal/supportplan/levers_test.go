package supportplan

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// leverSpec is baseSpec with e-mail answered two at a time: 0.7 * 6/2 +
// 0.3 * 6 = 3.9 minutes a contact; 72% of contacts reach a hero (28%
// resolved by self-service and AI); ten heroes give 19200 minutes a week.
// At 8000 contacts: 8000 * 0.72 * 3.9 / 60 = 374.4 h / 32 = 11.7 -> 12
// heroes, a gap of 2 (+20%). Deflect: 1 - 19200/(8000*3.9) = 38.5% -> 39%
// from 28% (+39%). Shift: 3.9 - 19200/(8000*0.72) = 0.567 minutes to save;
// moving all phone saves 1.8 - 0.3*3 = 0.9: 63% of phone (-63%).
func leverSpec(contacts float64, levers ...v1alpha1.SupportLever) *v1alpha1.SupportPlanSpec {
	spec := baseSpec()
	spec.Demand.ContactsPerWeek = contacts
	spec.Channels[0].Concurrency = ptr(2.0)
	spec.Levers = levers
	return spec
}

func TestLeversStatus(t *testing.T) {
	in, p := project(t, leverSpec(8000), nil)
	st := &v1alpha1.SupportPlanStatus{}
	ApplyStatus(st, in, p)
	want := &v1alpha1.CapacityLevers{
		Proposed:      v1alpha1.LeverHire,
		Hire:          v1alpha1.HireLever{Possible: true, Heroes: 2},
		Deflect:       v1alpha1.DeflectLever{Possible: true, FromPercent: 28, ToPercent: 39},
		ShiftChannels: v1alpha1.ShiftChannelsLever{Possible: true, MovePercent: 63, AsyncMinutesPerContact: 3},
	}
	if got := st.Projection.LeversNow; !reflect.DeepEqual(got, want) {
		t.Errorf("leversNow = %+v, want %+v", got, want)
	}
	checkStatusFinite(t, st)
}

func TestLeverTasks(t *testing.T) {
	tests := []struct {
		name   string
		spec   *v1alpha1.SupportPlanSpec
		title  string
		inDesc []string
	}{
		{"every lever accepted: hiring is the smallest change", leverSpec(8000),
			"Hire 2 heroes now: today's demand needs 12", []string{
				"Levers, each alone: Hire: 2 heroes; Deflect: resolve 39% of contacts without a hero (self-service and AI, today 28%); " +
					"ShiftChannels: move 63% of phone/video contacts to chat, SMS, email or messaging (3.00 hero minutes a contact there). " +
					"Proposed: Hire, the accepted lever with the smallest relative change."}},
		{"no hires: deflection (+39%) before moving 63% of phone", leverSpec(8000, v1alpha1.LeverDeflect, v1alpha1.LeverShiftChannels),
			"Deflect 39% of contacts (today 28%) now: today's demand needs 12 heroes", []string{"Proposed: Deflect"}},
		{"channels only", leverSpec(8000, v1alpha1.LeverShiftChannels),
			"Move 63% of phone/video contacts to chat, SMS, email or messaging now: today's demand needs 12 heroes", []string{"Proposed: ShiftChannels"}},
		{"a peak's gap, by its hire-by date", func() *v1alpha1.SupportPlanSpec {
			// 4000 contacts need 6 heroes today; the peak doubles them.
			spec := leverSpec(4000, v1alpha1.LeverShiftChannels)
			spec.PeakSeasons = []v1alpha1.PeakSeason{{Name: "spring", Start: "04-01", End: "04-02", Multiplier: 2}}
			return spec
		}(), "Move 63% of phone/video contacts to chat, SMS, email or messaging by 2026-04-01 for spring", []string{"Proposed: ShiftChannels"}},
		{"nothing accepted closes it: one hero, 13 needed", func() *v1alpha1.SupportPlanSpec {
			spec := leverSpec(8000, v1alpha1.LeverDeflect, v1alpha1.LeverShiftChannels)
			spec.Team.Heroes = 1
			return spec
		}(), "Close a gap of 11 heroes now: today's demand needs 12 heroes", []string{
			"Deflect: not alone, needs 94% of contacts resolved without a hero, above the 90% a plan may rely on",
			"ShiftChannels: not alone, moving every phone and video contact is not enough",
			"No accepted lever (spec.levers) closes the gap alone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, p := project(t, tt.spec, nil)
			gaps := Findings(tt.spec, in, p)[0].Gaps
			if len(gaps) != 1 {
				t.Fatalf("%d capacity gaps, want 1", len(gaps))
			}
			tpl := gaps[0].Templates[0]
			if tpl.Title != tt.title {
				t.Errorf("title %q, want %q", tpl.Title, tt.title)
			}
			for _, want := range tt.inDesc {
				if !strings.Contains(tpl.Description, want) {
					t.Errorf("description %q does not contain %q", tpl.Description, want)
				}
			}
		})
	}
}
