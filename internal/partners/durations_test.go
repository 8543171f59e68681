package partners

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestShown(t *testing.T) {
	tests := []struct {
		in, want time.Duration
	}{
		{-time.Hour, 0},
		{0, 0},
		{time.Nanosecond, time.Minute},
		{59 * time.Second, time.Minute},
		{time.Minute, time.Minute},
		{240*time.Hour + 20*time.Second, 240*time.Hour + time.Minute},
		{266*time.Hour + 48*time.Minute, 266*time.Hour + 48*time.Minute},
		{math.MaxInt64, time.Duration(math.MaxInt64).Truncate(time.Minute)},
	}
	for _, tt := range tests {
		if got := shown(tt.in); got != tt.want {
			t.Errorf("shown(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestMetricsOnboardingAsDurations: the onboarding percentiles are
// durations written the way their targets are, and met exactly when the
// written duration is at most the written target.
func TestMetricsOnboardingAsDurations(t *testing.T) {
	target := 240 * time.Hour
	tests := []struct {
		name     string
		took     time.Duration
		duration string
		met      bool
	}{
		{"under the target", 239*time.Hour + 59*time.Minute, "239h59m0s", true},
		{"a part of a minute under it rounds up to it, and meets it", 239*time.Hour + 59*time.Minute + 30*time.Second, "240h0m0s", true},
		{"exactly the target", target, "240h0m0s", true},
		{"a second over it shows a minute over it", target + time.Second, "240h1m0s", false},
		{"the issue's 267 hours", 267 * time.Hour, "267h0m0s", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog := program()
			prog.Targets.MinSample = ptr(int32(1))
			prog.Targets.OnboardingP50 = dur(target)
			j := ago(60 * Day)
			ps := []*v1alpha1.Partner{partner("a", j, onboarded(j.Add(tt.took)))}
			ms := Metrics(ps, deriveAll(prog, ps), prog, -1, now)
			checkFinite(t, ms)
			m := metric(t, ms, MetricOnboardingP50)
			raw, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if _, ok := got["value"]; ok || got["duration"] != tt.duration || got["target"] != "240h0m0s" || got["met"] != tt.met {
				t.Errorf("status %s, want duration %q against target 240h0m0s, met %v, no value", raw, tt.duration, tt.met)
			}
		})
	}
}
