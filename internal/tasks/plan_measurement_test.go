package tasks

import (
	"reflect"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func measurementGap() Gap {
	return gap(MeasurementKey, v1alpha1.OwnerIT, Template{
		Title: "Provide 2 missing metrics", Description: "csat, responseHours", Priority: v1alpha1.PriorityHigh,
	})
}

func TestPlanMeasurementTask(t *testing.T) {
	out := Plan(input(10, measurementGap()))
	want := Desired{
		Name: "acme-missing-metrics",
		Labels: map[string]string{
			LabelSourceKind: testKind,
			LabelSourceName: testSource,
			LabelStream:     StreamMeasurement,
			LabelOwnerRole:  "IT",
		},
		Spec: v1alpha1.ProjectTaskSpec{
			Title:       "Provide 2 missing metrics",
			Description: "csat, responseHours",
			OwnerRole:   v1alpha1.OwnerIT,
			Priority:    v1alpha1.PriorityHigh,
			DueDate:     wantDue(),
			Source:      v1alpha1.TaskSource{Kind: testKind, Name: testSource, Stream: StreamMeasurement},
		},
	}
	if len(out.Apply) != 1 || !reflect.DeepEqual(out.Apply[0], want) {
		t.Fatalf("Apply = %+v\nwant [%+v]", out.Apply, want)
	}

	// The task is found again through its source: re-planning writes
	// nothing, a new list of metrics updates it in place.
	in := input(10, measurementGap())
	in.Existing = []Existing{asExisting(want, "", v1alpha1.TaskOpen)}
	if again := Plan(in); len(again.Apply) != 0 || again.Open != 1 {
		t.Errorf("re-plan: Apply = %v, open = %d; want nothing written, 1 open", names(again.Apply), again.Open)
	}
	changed := measurementGap()
	changed.Templates[0].Description = "csat"
	in.Gaps = []Gap{changed}
	if again := Plan(in); len(again.Apply) != 1 || again.Apply[0].Name != want.Name || again.Apply[0].Spec.Description != "csat" {
		t.Errorf("re-plan with fewer metrics: Apply = %+v, want %s updated", again.Apply, want.Name)
	}
}

// TestPlanMeasurementTaskCap: the measurement task counts against maxOpen
// like any other and is ordered by its priority.
func TestPlanMeasurementTaskCap(t *testing.T) {
	crit := gap(key("ops", "uptime", "Scale"), v1alpha1.OwnerIT, tmpl("On-call", v1alpha1.PriorityCritical))
	low := gap(key("ops", "speed", "Scale"), v1alpha1.OwnerIT, tmpl("CDN", v1alpha1.PriorityLow))
	tests := []struct {
		name         string
		maxOpen      int
		wantApply    []string
		wantHeldBack int
	}{
		{"room for all", 3, []string{"acme-ops-uptime-scale", "acme-missing-metrics", "acme-ops-speed-scale"}, 0},
		{"after a Critical task", 2, []string{"acme-ops-uptime-scale", "acme-missing-metrics"}, 1},
		{"held back", 1, []string{"acme-ops-uptime-scale"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Plan(input(tt.maxOpen, measurementGap(), crit, low))
			if got := names(out.Apply); !slices.Equal(got, tt.wantApply) {
				t.Errorf("Apply = %v, want %v", got, tt.wantApply)
			}
			if out.HeldBack != tt.wantHeldBack {
				t.Errorf("HeldBack = %d, want %d", out.HeldBack, tt.wantHeldBack)
			}
		})
	}
}

// TestPlanUnknownHolds: a task whose gap cannot be judged keeps the
// Resolved condition it has; it is neither resolved nor reopened.
func TestPlanUnknownHolds(t *testing.T) {
	k := key("service", "satisfaction", "HighPerformance")
	g := gap(k, v1alpha1.OwnerCustomerSupport, tmpl("Survey", v1alpha1.PriorityHigh))
	unknown := func(Key) Resolution {
		return Resolution{Unknown: true, Reason: v1alpha1.ReasonMetricsMissing, Message: "no value for csat"}
	}
	cond := func(status metav1.ConditionStatus, reason, message string) *metav1.Condition {
		return &metav1.Condition{Type: v1alpha1.ConditionResolved, Status: status, Reason: reason, Message: message}
	}
	tests := []struct {
		name         string
		state        v1alpha1.TaskState
		resolved     *metav1.Condition
		want         Resolution
		wantOpen     int
		wantResolved int
	}{
		{"a resolved task stays resolved", v1alpha1.TaskOpen, cond(metav1.ConditionTrue, v1alpha1.ReasonGapClosed, "reached HighPerformance"),
			Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed, Message: "reached HighPerformance"}, 0, 1},
		{"an open task stays open as it was", v1alpha1.TaskInProgress, cond(metav1.ConditionFalse, v1alpha1.ReasonGapOpen, "is at GrowingPains"),
			Resolution{Reason: v1alpha1.ReasonGapOpen, Message: "is at GrowingPains"}, 1, 0},
		{"a task without the condition is open for the unknown's reason", v1alpha1.TaskOpen, nil,
			Resolution{Reason: v1alpha1.ReasonMetricsMissing, Message: "no value for csat"}, 1, 0},
		{"a Done task is not counted open", v1alpha1.TaskDone, cond(metav1.ConditionFalse, v1alpha1.ReasonGapOpen, "is at GrowingPains"),
			Resolution{Reason: v1alpha1.ReasonGapOpen, Message: "is at GrowingPains"}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := planned(t, g, 0, "", tt.state)
			e.Resolved = tt.resolved
			// The gap is not listed: an objective that cannot be judged
			// opens no task.
			in := input(10)
			in.Existing = []Existing{e}
			in.Resolve = unknown
			out := Plan(in)
			if got := out.Resolutions[e.Name]; got != tt.want {
				t.Errorf("Resolutions[%s] = %+v, want %+v", e.Name, got, tt.want)
			}
			if len(out.Apply) != 0 {
				t.Errorf("Apply = %v, want nothing", names(out.Apply))
			}
			if out.Open != tt.wantOpen || out.Resolved != tt.wantResolved {
				t.Errorf("open=%d resolved=%d, want %d/%d", out.Open, out.Resolved, tt.wantOpen, tt.wantResolved)
			}
		})
	}
}
