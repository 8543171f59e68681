package campaign

import (
	"strconv"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestResultOf(t *testing.T) {
	failing := []v1alpha1.ObjectiveRef{{Stream: "s", Objective: "a"}}
	tests := []struct {
		name    string
		entries []v1alpha1.TargetCampaign
		want    TargetResult
	}{
		{"not evaluated with the campaign", nil, Pending},
		{"another campaign only", []v1alpha1.TargetCampaign{{Name: "other", Generation: 2}}, Pending},
		{"an older generation", []v1alpha1.TargetCampaign{{Name: "q2", Generation: 1}}, Pending},
		{"not applied", []v1alpha1.TargetCampaign{{Name: "q2", Generation: 2, Message: "not applied: ..."}}, Pending},
		{"failing", []v1alpha1.TargetCampaign{{Name: "q2", Generation: 2, Failing: failing}}, Failing},
		{"passing", []v1alpha1.TargetCampaign{{Name: "other", Failing: failing}, {Name: "q2", Generation: 2, Passing: 1}}, Passing},
		{"taking as many others as a target takes", others(MaxPerTarget), Crowded},
		{"taking one fewer", others(MaxPerTarget - 1), Pending},
	}
	for _, tt := range tests {
		if got := ResultOf(tt.entries, "q2", 2); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
	if c := Count([]TargetResult{Passing, Failing, Pending, Passing, Crowded}); c != (Counts{InScope: 5, Passing: 2, Failing: 3, Crowded: 1}) {
		t.Errorf("Count = %+v", c)
	}
}

func TestRecordSample(t *testing.T) {
	day := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	sample := func(at time.Time, inScope, passing int32) v1alpha1.CampaignSample {
		return v1alpha1.CampaignSample{At: metav1.NewTime(at), InScope: inScope, Passing: passing}
	}
	tests := []struct {
		name   string
		burnUp []v1alpha1.CampaignSample
		s      v1alpha1.CampaignSample
		want   []v1alpha1.CampaignSample
	}{
		{"first sample", nil, sample(day, 3, 0), []v1alpha1.CampaignSample{sample(day, 3, 0)}},
		{"unchanged counts write nothing", []v1alpha1.CampaignSample{sample(day, 3, 0)}, sample(day.Add(48*time.Hour), 3, 0),
			[]v1alpha1.CampaignSample{sample(day, 3, 0)}},
		{"the same day replaces", []v1alpha1.CampaignSample{sample(day, 3, 0)}, sample(day.Add(time.Hour), 3, 1),
			[]v1alpha1.CampaignSample{sample(day.Add(time.Hour), 3, 1)}},
		{"a new day appends", []v1alpha1.CampaignSample{sample(day, 3, 0)}, sample(day.Add(24*time.Hour), 3, 1),
			[]v1alpha1.CampaignSample{sample(day, 3, 0), sample(day.Add(24*time.Hour), 3, 1)}},
	}
	for _, tt := range tests {
		got := RecordSample(tt.burnUp, tt.s, MaxBurnUp)
		if len(got) != len(tt.want) {
			t.Fatalf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
		for i := range got {
			if !got[i].At.Equal(&tt.want[i].At) || got[i].InScope != tt.want[i].InScope || got[i].Passing != tt.want[i].Passing {
				t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
			}
		}
	}
	var full []v1alpha1.CampaignSample
	for i := range MaxBurnUp + 5 {
		full = RecordSample(full, sample(day.Add(time.Duration(i)*24*time.Hour), 10, int32(i)), MaxBurnUp)
	}
	if len(full) != MaxBurnUp || full[0].Passing != 5 {
		t.Errorf("burn-up holds %d samples from passing=%d, want the last %d", len(full), full[0].Passing, MaxBurnUp)
	}
}

// others are n results of campaigns other than q2.
func others(n int) []v1alpha1.TargetCampaign {
	out := make([]v1alpha1.TargetCampaign, n)
	for i := range out {
		out[i] = v1alpha1.TargetCampaign{Name: "a" + strconv.Itoa(i), Generation: 1}
	}
	return out
}
