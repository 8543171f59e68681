package maturity

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func entry(minute int, level string, passed int32) v1alpha1.HistoryEntry {
	return v1alpha1.HistoryEntry{
		Time:  metav1.NewTime(time.Date(2026, 1, 1, 0, minute, 0, 0, time.UTC)),
		Level: level, Passed: passed,
	}
}

func TestRecordHistory(t *testing.T) {
	h0 := []v1alpha1.HistoryEntry{entry(0, "Startup", 3), entry(1, "GrowingPains", 10)}
	tests := []struct {
		name string
		h    []v1alpha1.HistoryEntry
		e    v1alpha1.HistoryEntry
		max  int
		want []v1alpha1.HistoryEntry
	}{
		{"first entry", nil, entry(5, "", 0), 20, []v1alpha1.HistoryEntry{entry(5, "", 0)}},
		{"nothing changed: nothing written", h0, entry(5, "GrowingPains", 10), 20, h0},
		{"passed changed", h0, entry(5, "GrowingPains", 11), 20, append(h0[:2:2], entry(5, "GrowingPains", 11))},
		{"level changed", h0, entry(5, "HighPerformance", 10), 20, append(h0[:2:2], entry(5, "HighPerformance", 10))},
		{"back to an earlier state is a change", h0, entry(5, "Startup", 3), 20, append(h0[:2:2], entry(5, "Startup", 3))},
		{"oldest dropped at the cap", h0, entry(5, "HighPerformance", 12), 2, []v1alpha1.HistoryEntry{h0[1], entry(5, "HighPerformance", 12)}},
		{"over-long history trimmed even when unchanged", h0, entry(5, "GrowingPains", 10), 1, h0[1:]},
		{"max 0 means the default", nil, entry(5, "", 0), 0, []v1alpha1.HistoryEntry{entry(5, "", 0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := append([]v1alpha1.HistoryEntry(nil), tc.h...)
			got := RecordHistory(tc.h, tc.e, fourLevels, tc.max)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("history = %v, want %v", got, tc.want)
			}
			if !reflect.DeepEqual(tc.h, before) {
				t.Error("RecordHistory modified its input")
			}
		})
	}
}

func TestRecordHistoryKeepsNewest(t *testing.T) {
	var h []v1alpha1.HistoryEntry
	for i := range 30 {
		h = RecordHistory(h, entry(i, "GrowingPains", int32(i)), fourLevels, DefaultHistoryLength)
		h = RecordHistory(h, entry(i, "GrowingPains", int32(i)), fourLevels, DefaultHistoryLength)
	}
	if len(h) != 20 || h[0].Passed != 10 || h[19].Passed != 29 {
		t.Errorf("history has %d entries from %d to %d, want 20 from 10 to 29", len(h), h[0].Passed, h[len(h)-1].Passed)
	}
}

func TestTrend(t *testing.T) {
	tests := []struct {
		h    []v1alpha1.HistoryEntry
		want string
	}{
		{nil, TrendSteady},
		{[]v1alpha1.HistoryEntry{entry(0, "Startup", 1)}, TrendSteady},
		{[]v1alpha1.HistoryEntry{entry(0, "Startup", 1), entry(1, "GrowingPains", 1)}, TrendImproving},
		{[]v1alpha1.HistoryEntry{entry(0, "", 9), entry(1, "Startup", 2)}, TrendImproving},
		{[]v1alpha1.HistoryEntry{entry(0, "HighPerformance", 3), entry(1, "GrowingPains", 20)}, TrendDeclining},
		{[]v1alpha1.HistoryEntry{entry(0, "GrowingPains", 3), entry(1, "GrowingPains", 4)}, TrendImproving},
		{[]v1alpha1.HistoryEntry{entry(0, "GrowingPains", 4), entry(1, "GrowingPains", 3)}, TrendDeclining},
		{[]v1alpha1.HistoryEntry{entry(0, "GrowingPains", 4), entry(1, "GrowingPains", 4)}, TrendSteady},
		{[]v1alpha1.HistoryEntry{entry(0, "Startup", 1), entry(1, "GrowingPains", 5), entry(2, "GrowingPains", 5)}, TrendSteady},
		// a level the model no longer has: compared by passed count only
		{[]v1alpha1.HistoryEntry{entry(0, "Renamed", 4), entry(1, "Startup", 6)}, TrendImproving},
		{[]v1alpha1.HistoryEntry{entry(0, "Renamed", 4), entry(1, "Startup", 4)}, TrendSteady},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if got := Trend(tc.h, fourLevels); got != tc.want {
				t.Errorf("Trend(%v) = %s, want %s", tc.h, got, tc.want)
			}
		})
	}
}
