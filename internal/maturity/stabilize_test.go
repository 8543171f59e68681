package maturity

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestStabilize(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	m := mustCompile(t, twoObjectives())
	count := func(n int32) *v1alpha1.Stabilization { return &v1alpha1.Stabilization{Evaluations: &n} }
	lasting := func(d time.Duration) *v1alpha1.Stabilization {
		return &v1alpha1.Stabilization{Duration: &metav1.Duration{Duration: d}}
	}
	pending := func(level string, since time.Time, n int32) *v1alpha1.PendingLevel {
		return &v1alpha1.PendingLevel{Level: level, Since: metav1.NewTime(since), Evaluations: n}
	}
	at := func(level string) Previous { return Previous{Level: level, Evaluated: true} }
	tests := []struct {
		name    string
		metrics Metrics
		prev    Previous
		policy  *v1alpha1.Stabilization
		stale   bool
		level   int
		pending *v1alpha1.PendingLevel
		wait    time.Duration
	}{
		{name: "off: the evaluated level takes effect at once",
			metrics: values("x", 0, "y", 0), prev: at("HighPerformance"), level: lvStartup},
		{name: "the first evaluation takes effect at once",
			metrics: values("x", 0, "y", 0), prev: Previous{}, policy: count(3), level: lvStartup},
		{name: "a drop is held back and pending from now",
			metrics: values("x", 1, "y", 2), prev: at("HighPerformance"), policy: count(3),
			level: lvHighPerformance, pending: pending("GrowingPains", now, 1)},
		{name: "the count goes on while evaluations agree",
			metrics: values("x", 1, "y", 2), prev: Previous{Level: "HighPerformance", Evaluated: true, Pending: pending("GrowingPains", now.Add(-time.Hour), 1)},
			policy: count(3), level: lvHighPerformance, pending: pending("GrowingPains", now.Add(-time.Hour), 2)},
		{name: "the change takes effect on the last agreeing evaluation",
			metrics: values("x", 1, "y", 2), prev: Previous{Level: "HighPerformance", Evaluated: true, Pending: pending("GrowingPains", now.Add(-time.Hour), 2)},
			policy: count(3), level: lvGrowingPains},
		{name: "another level starts the count again",
			metrics: values("x", 0, "y", 2), prev: Previous{Level: "HighPerformance", Evaluated: true, Pending: pending("GrowingPains", now.Add(-time.Hour), 2)},
			policy: count(3), level: lvHighPerformance, pending: pending("Startup", now, 1)},
		{name: "back at the level in effect: nothing pending",
			metrics: values("x", 2, "y", 2), prev: Previous{Level: "HighPerformance", Evaluated: true, Pending: pending("GrowingPains", now.Add(-time.Hour), 2)},
			policy: count(3), level: lvHighPerformance},
		{name: "a climb is held back too",
			metrics: values("x", 3, "y", 3), prev: at("HighPerformance"), policy: lasting(24 * time.Hour),
			level: lvHighPerformance, pending: pending("EnterpriseGrade", now, 1), wait: 24 * time.Hour},
		{name: "a duration counts from the first agreeing evaluation",
			metrics: values("x", 3, "y", 3), prev: Previous{Level: "HighPerformance", Evaluated: true, Pending: pending("EnterpriseGrade", now.Add(-23*time.Hour), 4)},
			policy: lasting(24 * time.Hour), level: lvHighPerformance, pending: pending("EnterpriseGrade", now.Add(-23*time.Hour), 5), wait: time.Hour},
		{name: "and takes effect once it has passed",
			metrics: values("x", 3, "y", 3), prev: Previous{Level: "HighPerformance", Evaluated: true, Pending: pending("EnterpriseGrade", now.Add(-24*time.Hour), 4)},
			policy: lasting(24 * time.Hour), level: lvEnterpriseGrade},
		{name: "stale data never drops a level",
			metrics: values("x", 0, "y", 0), prev: at("HighPerformance"), policy: count(1), stale: true, level: lvHighPerformance},
		{name: "a missing metric never drops a level",
			metrics: values("y", 2), prev: at("HighPerformance"), policy: count(1), level: lvHighPerformance},
		{name: "it drops only as far as failed rules prove",
			metrics: values("x", 1, "y", 0.5), prev: at("HighPerformance"), policy: count(1), level: lvStartup},
		{name: "a missing metric does not deepen a proven drop",
			metrics: values("y", 1), prev: at("HighPerformance"), policy: count(1), level: lvGrowingPains},
		{name: "a level the model no longer has is not held",
			metrics: values("x", 1, "y", 1), prev: at("Unicorn"), policy: count(3), level: lvGrowingPains},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := m.Evaluate(tc.metrics, lvHighPerformance)
			got := m.Stabilize(r, tc.prev, tc.policy, now, tc.stale)
			if got.Level != tc.level || got.Wait != tc.wait {
				t.Errorf("level %d wait %v, want %d %v", got.Level, got.Wait, tc.level, tc.wait)
			}
			if !ptrEqual(got.Pending, tc.pending) {
				t.Errorf("pending %+v, want %+v", got.Pending, tc.pending)
			}
		})
	}
}

func ptrEqual(a, b *v1alpha1.PendingLevel) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Level == b.Level && a.Since.Equal(&b.Since) && a.Evaluations == b.Evaluations
}

func TestApplyLevel(t *testing.T) {
	m := mustCompile(t, twoObjectives())
	var st v1alpha1.MaturityTargetStatus
	ApplyLevel(&st, m, Stabilized{Level: lvGrowingPains})
	if st.CurrentLevel != "GrowingPains" || st.NextLevel != "HighPerformance" || st.PendingLevel != nil {
		t.Errorf("status %+v", st)
	}
}
