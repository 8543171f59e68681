package controllers

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestNextEvaluation: a target comes back after its interval, or at the
// instant an exemption lapses or a held-back level takes effect if sooner.
func TestNextEvaluation(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	every := func(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }
	tests := []struct {
		name     string
		interval *metav1.Duration
		expiry   time.Time
		wait     time.Duration
		want     time.Duration
	}{
		{"the default interval", nil, time.Time{}, 0, defaultInterval},
		{"the target's interval", every(time.Hour), time.Time{}, 0, time.Hour},
		{"an exemption lapsing sooner", every(time.Hour), now.Add(90 * time.Second), 0, 90 * time.Second},
		{"an exemption lapsing later", every(time.Hour), now.Add(2 * time.Hour), 0, time.Hour},
		{"an exemption lapsing now comes back in a second, not in a loop", every(time.Hour), now, 0, time.Second},
		{"a held-back level taking effect sooner", every(time.Hour), now.Add(30 * time.Minute), 5 * time.Minute, 5 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextEvaluation(tc.interval, tc.expiry, tc.wait, now); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
