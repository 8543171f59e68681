package maturity

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// statusLimit is what a status may take as JSON: well under etcd's 1.5 MiB
// object limit, with room for the spec and metadata.
const statusLimit = 256 << 10

func TestOutcomeSizeIsExact(t *testing.T) {
	for _, o := range []v1alpha1.RuleOutcome{
		{},
		{Stream: "s", Objective: "o", Level: "GrowingPains", Rule: "metrics.a <= 4.0 && metrics.b > 1.0", Result: "Failed",
			Values: []string{"a=6.5 (acme)", "b=0 (acme)"}},
		{Stream: "s", Objective: "o", Rule: `"quoted" \ back\slash` + "\n\r\t\b\f\x00\x1f\x7f", Result: "Error",
			Message: "é ü 日本 🚀 \u2028\u2029 \xff\xfe invalid", Missing: []string{"x", "", "<&>"}},
	} {
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		if got := outcomeSize(&o); got != len(b) {
			t.Errorf("outcomeSize = %d, json.Marshal writes %d bytes: %s", got, len(b), b)
		}
	}
}

// largestTarget is a MaturityTarget over the largest model, with the
// largest spec, a full history and eight conditions of the longest
// message the controllers write (1024 characters).
func largestTarget(m *Model, r Result) *v1alpha1.MaturityTarget {
	t := &v1alpha1.MaturityTarget{}
	t.Name, t.Namespace = strings.Repeat("t", 253), strings.Repeat("n", 63)
	t.Spec.Business = strings.Repeat("b", 256)
	for range 20 {
		t.Spec.MetricSources = append(t.Spec.MetricSources, v1alpha1.LocalObjectReference{Name: strings.Repeat("s", schemaSourceNameLength)})
	}
	st := &t.Status
	ApplyStatus(st, m, r)
	at := metav1.NewTime(time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC))
	for i := range DefaultHistoryLength {
		st.History = append(st.History, v1alpha1.HistoryEntry{Time: at, Level: m.Levels()[i%len(m.Levels())], Passed: 200})
	}
	st.Trend, st.Tasks = TrendImproving, &v1alpha1.TaskCounts{Open: 500, Resolved: 500, HeldBack: 500}
	for _, c := range []string{"Ready", "TargetMet", "MetricsAvailable", "Stalled", "Reconciling", "A", "B", "C"} {
		st.Conditions = append(st.Conditions, metav1.Condition{Type: c, Status: metav1.ConditionFalse, Reason: strings.Repeat("R", 64),
			Message: strings.Repeat("m", 1024), LastTransitionTime: at, ObservedGeneration: 1 << 40})
	}
	return t
}

// TestLargestTargetStatusFitsBudget: the largest model the schema admits,
// every objective failing its lowest level, with every metric missing and
// with every metric known, gives a MaturityTarget status under 256 KiB,
// and the lists it cut say how many they left out.
func TestLargestTargetStatusFitsBudget(t *testing.T) {
	spec := largestModel()
	m := mustCompileLargest(t)
	for _, tc := range []struct {
		name    string
		metrics Metrics
	}{
		{"every metric missing", nil},
		{"every metric known, from the longest source name", largestMetrics(spec)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := m.Evaluate(tc.metrics, len(spec.Levels)-1)
			if len(r.Blocking) != schemaObjectivesInAll {
				t.Fatalf("%d objectives block, want all %d", len(r.Blocking), schemaObjectivesInAll)
			}
			target := largestTarget(m, r)
			st := &target.Status
			b, err := json.Marshal(st)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) >= statusLimit {
				t.Errorf("status takes %d bytes, want under %d", len(b), statusLimit)
			}
			obj, _ := json.Marshal(target)
			t.Logf("status %d bytes, object %d bytes; %d blocking rules shown, %d left out; %d missing metrics, %d left out",
				len(b), len(obj), schemaObjectivesInAll-int(st.BlockingOmitted), st.BlockingOmitted, len(st.MissingMetrics), st.MissingMetricsOmitted)

			shown := 0
			for _, o := range st.Objectives {
				if o.Blocking != nil {
					shown++
				}
			}
			if len(st.Objectives) != schemaObjectivesInAll || len(st.BlockedBy) != schemaObjectivesInAll ||
				shown+int(st.BlockingOmitted) != schemaObjectivesInAll || st.BlockingOmitted == 0 {
				t.Errorf("objectives %d, blockedBy %d, blocking shown %d and omitted %d; want %d of each, some omitted",
					len(st.Objectives), len(st.BlockedBy), shown, st.BlockingOmitted, schemaObjectivesInAll)
			}
			missing := len(r.Missing)
			if len(st.MissingMetrics)+int(st.MissingMetricsOmitted) != missing || (missing > maxStatusMissing && len(st.MissingMetrics) != maxStatusMissing) {
				t.Errorf("missingMetrics %d and %d omitted, want %d in all", len(st.MissingMetrics), st.MissingMetricsOmitted, missing)
			}
		})
	}
}

// TestLargestModelFits: the largest model the schema admits fits its text
// budget exactly, takes at most MaxModelBytes as JSON and compiles; with
// texts the schema counts the same but JSON escapes (< > &), Compile
// refuses it, saying how large it is.
func TestLargestModelFits(t *testing.T) {
	spec := largestModel()
	if n := TextChars(spec); n != schemaTextChars {
		t.Errorf("the largest model holds %d characters of text, want the schema's %d", n, schemaTextChars)
	}
	b, err := json.Marshal(&v1alpha1.MaturityModel{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > MaxModelBytes {
		t.Errorf("the largest model takes %d bytes, more than %d", len(b), MaxModelBytes)
	}
	t.Logf("largest model: %d bytes", len(b))
	mustCompileLargest(t)

	for i := range spec.Streams {
		for j := range spec.Streams[i].Objectives {
			o := &spec.Streams[i].Objectives[j]
			o.Description = strings.Repeat("<", len(o.Description))
		}
	}
	_, errs := Compile(spec)
	if len(errs) != 1 || errs[0].Field != "spec" || !strings.Contains(errs[0].Message, "bytes as JSON, more than the 1048576 a model may take") {
		t.Errorf("Compile(escaped texts) = %v, want the size refused", errs)
	}
}
