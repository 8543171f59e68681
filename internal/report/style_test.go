package report

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func TestAgeAndUntil(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0m", 30 * time.Second: "0m", 5 * time.Minute: "5m", 5 * time.Hour: "5h",
		47 * time.Hour: "47h", 72 * time.Hour: "3d", -time.Hour: "0m",
	} {
		if got := age(now, now.Add(-d)); got != want {
			t.Errorf("age %s: got %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		0: "today", 5 * time.Hour: "today", 30 * 24 * time.Hour: "in 30d", -time.Hour: "1d ago", -72 * time.Hour: "3d ago",
	} {
		if got := until(now, now.Add(d)); got != want {
			t.Errorf("until %s: got %q, want %q", d, got, want)
		}
	}
}

func TestBar(t *testing.T) {
	for _, tc := range []struct {
		v, full float64
		want    string
	}{{0, 10, ""}, {10, 10, "████"}, {5, 10, "██"}, {1, 10, "▍"}, {20, 10, "████"}, {1, 0, ""}} {
		if got := bar(tc.v, tc.full, 4); got != tc.want {
			t.Errorf("bar(%v, %v): got %q, want %q", tc.v, tc.full, got, tc.want)
		}
	}
}

func TestOverdueAndOpen(t *testing.T) {
	due := metav1.NewTime(now.Add(-time.Hour))
	task := v1alpha1.ProjectTask{Spec: v1alpha1.ProjectTaskSpec{DueDate: &due}}
	if !overdue(&task, now) {
		t.Error("an open task past its due date is not overdue")
	}
	task.Spec.State = v1alpha1.TaskDone
	if open(&task) || overdue(&task, now) {
		t.Error("a Done task is open or overdue")
	}
	task.Spec.State = ""
	task.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionResolved, Status: metav1.ConditionTrue}}
	if open(&task) {
		t.Error("a resolved task is open")
	}
}

func TestValueLine(t *testing.T) {
	observed := metav1.NewTime(now.AddDate(0, 0, -40))
	one := 1.0
	maxAge := metav1.Duration{Duration: 720 * time.Hour}
	sources := []v1alpha1.MetricSource{{
		Spec: v1alpha1.MetricSourceSpec{MaxAge: &maxAge},
		Status: v1alpha1.MetricSourceStatus{Values: []v1alpha1.MetricValue{
			{Name: "a", Value: &one, ObservedAt: &observed},
			{Name: "b", Value: &one, ObservedAt: &observed, Error: "timeout"},
		}},
	}}
	sources[0].Name = "src"
	idx := indexSources(sources, now)
	for v, want := range map[string]string{
		"a=1 (src)":   "a = 1  from src, observed 2026-10-14 (40d ago) STALE",
		"b=1 (src)":   "b = 1  from src, observed 2026-10-14 (40d ago), last read failed: timeout STALE",
		"c=2 (other)": "c = 2  from other, source not readable",
		"d=3":         "d = 3",
	} {
		if got := valueLine(palette{}, idx, now, v); got != want {
			t.Errorf("valueLine(%q):\n got %q\nwant %q", v, got, want)
		}
	}
}
