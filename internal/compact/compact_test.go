package compact

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// The objects are as the API server returned them in a scale run (in the
// intern package's testdata, shared by both cache transforms).
func decode[T any](t testing.TB, file string) *T {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "intern", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	obj := new(T)
	if err := json.Unmarshal(b, obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

func decodeTarget(t testing.TB) *v1alpha1.MaturityTarget {
	t.Helper()
	return decode[v1alpha1.MaturityTarget](t, "maturitytarget.json")
}

func TestTargetKeepsWhatIsReadAndTheDigestOfTheRest(t *testing.T) {
	whole := decodeTarget(t)
	obj := whole.DeepCopy()
	Object(obj)
	st := &obj.Status
	if st.CompactedDigest == "" || st.CompactedDigest != Digest(whole.Status) {
		t.Fatalf("digest %q, want the whole status' %q", st.CompactedDigest, Digest(whole.Status))
	}
	if DigestOf(obj.Status) != st.CompactedDigest || DigestOf(whole.Status) != "" {
		t.Error("DigestOf does not tell a compacted copy from a whole one")
	}
	if len(st.BlockedBy) > 0 || len(st.MissingMetrics) > 0 {
		t.Error("blockedBy or missingMetrics kept")
	}
	for i, o := range st.Objectives {
		if o.Blocking != nil {
			t.Errorf("objective %d keeps its blocking rule", i)
		}
	}
	// What the controllers, watches, indexes and the metrics collector read
	// is kept as it was.
	for i := range whole.Status.Objectives {
		w, c := whole.Status.Objectives[i], st.Objectives[i]
		w.Blocking = nil
		if w != c {
			t.Errorf("objective %d: %+v, want %+v", i, c, w)
		}
	}
	if !equality.Semantic.DeepEqual(whole.Spec, obj.Spec) || !equality.Semantic.DeepEqual(whole.ObjectMeta, obj.ObjectMeta) ||
		!equality.Semantic.DeepEqual(whole.Status.Conditions, st.Conditions) || !equality.Semantic.DeepEqual(whole.Status.History, st.History) ||
		!equality.Semantic.DeepEqual(whole.Status.StallCauses, st.StallCauses) || whole.Status.CurrentLevel != st.CurrentLevel ||
		!equality.Semantic.DeepEqual(whole.Status.Score, st.Score) || !equality.Semantic.DeepEqual(whole.Status.Tasks, st.Tasks) ||
		whole.Status.Trend != st.Trend || whole.Status.ObservedGeneration != st.ObservedGeneration {
		t.Error("a field the cache's readers use changed")
	}
	// Compacting twice changes nothing: the digest stays the whole one's.
	again := obj.DeepCopy()
	Object(again)
	if again.Status.CompactedDigest != st.CompactedDigest {
		t.Error("a second compaction replaced the digest")
	}
}

func TestTargetWithoutDetailsStaysWhole(t *testing.T) {
	obj := decodeTarget(t)
	obj.Status.BlockedBy, obj.Status.MissingMetrics = nil, nil
	for i := range obj.Status.Objectives {
		obj.Status.Objectives[i].Blocking = nil
	}
	Object(obj)
	if obj.Status.CompactedDigest != "" {
		t.Error("a target with nothing to drop was marked compacted")
	}
}

func TestDigestIsThatOfTheSerializedStatus(t *testing.T) {
	a := decodeTarget(t).Status
	b := *a.DeepCopy()
	b.MissingMetrics = []string{}
	a.MissingMetrics = nil
	if Digest(a) != Digest(b) {
		t.Error("an empty list and none differ")
	}
	b.Objectives[0].MeetsTarget = !b.Objectives[0].MeetsTarget
	if Digest(a) == Digest(b) {
		t.Error("a changed objective has the same digest")
	}
	b = *a.DeepCopy()
	b.CompactedDigest = "x"
	if Digest(a) != Digest(b) {
		t.Error("the digest field itself counts")
	}
}

func decodeSource(t testing.TB) *v1alpha1.MetricSource {
	t.Helper()
	return decode[v1alpha1.MetricSource](t, "metricsource.json")
}

func TestReportedValuesAreLeftOutOnlyWhenTheStatusPublishesThem(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(*v1alpha1.MetricSource)
		compact bool
	}{
		{"published", func(*v1alpha1.MetricSource) {}, true},
		{"a value not yet published", func(s *v1alpha1.MetricSource) { s.Spec.Reported.Values["new"] = 1 }, false},
		{"a value changed", func(s *v1alpha1.MetricSource) { s.Spec.Reported.Values["monthlyVisitors"]++ }, false},
		{"a value removed", func(s *v1alpha1.MetricSource) { delete(s.Spec.Reported.Values, "monthlyVisitors") }, false},
		{"a published value with an error", func(s *v1alpha1.MetricSource) { s.Status.Values[0].Error = "x" }, false},
		{"a published value without a number", func(s *v1alpha1.MetricSource) { s.Status.Values[0].Value = nil }, false},
		{"zero published as minus zero", func(s *v1alpha1.MetricSource) {
			s.Spec.Reported.Values[s.Status.Values[0].Name] = 0
			minusZero := math.Copysign(0, -1)
			s.Status.Values[0].Value = &minusZero
		}, false},
		{"nothing published", func(s *v1alpha1.MetricSource) { s.Status.Values = nil }, false},
		{"not reported", func(s *v1alpha1.MetricSource) { s.Spec.Reported = nil }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whole := decodeSource(t)
			tc.change(whole)
			obj := whole.DeepCopy()
			Object(obj)
			if !tc.compact {
				if !equality.Semantic.DeepEqual(whole, obj) {
					t.Error("source changed")
				}
				return
			}
			if !obj.Spec.Reported.InStatus || obj.Spec.Reported.Values != nil {
				t.Fatal("values kept")
			}
			obj.Spec.Reported.InStatus, obj.Spec.Reported.Values = false, whole.Spec.Reported.Values
			if !equality.Semantic.DeepEqual(whole, obj) {
				t.Error("more than the values left out")
			}
		})
	}
}
