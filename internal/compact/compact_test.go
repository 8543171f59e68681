package compact

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
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
	whole.Status.Objectives[2].MeetsTarget = false
	whole.Status.Objectives[3].Exemption = &v1alpha1.ObjectiveExemption{Reason: "x"}
	obj := whole.DeepCopy()
	Object(obj)
	st := &obj.Status
	if st.CompactedDigest == "" || st.CompactedDigest != Digest(whole.Status) {
		t.Fatalf("digest %q, want the whole status' %q", st.CompactedDigest, Digest(whole.Status))
	}
	if DigestOf(obj.Status) != st.CompactedDigest || DigestOf(whole.Status) != "" {
		t.Error("DigestOf does not tell a compacted copy from a whole one")
	}
	if len(st.BlockedBy) > 0 || len(st.MissingMetrics) > 0 || len(st.Objectives) > 0 {
		t.Error("blockedBy, missingMetrics or objectives kept")
	}
	// The metrics read the objectives' counts per stream: the same from
	// either copy.
	if got, want := Streams(st), Streams(&whole.Status); !equality.Semantic.DeepEqual(got, want) || len(got) == 0 {
		t.Errorf("streams %+v, want %+v", got, want)
	}
	// Every other field is kept as it was, including fields this package
	// does not know of: only the fields dropped are listed here.
	kept := whole.Status.DeepCopy()
	kept.BlockedBy, kept.Objectives, kept.MissingMetrics = nil, nil, nil
	kept.CompactedDigest, kept.CompactedStreams = st.CompactedDigest, st.CompactedStreams
	if !equality.Semantic.DeepEqual(*kept, *st) {
		t.Error("a field the cache's readers use changed")
	}
	if !equality.Semantic.DeepEqual(whole.Spec, obj.Spec) || !equality.Semantic.DeepEqual(whole.ObjectMeta, obj.ObjectMeta) {
		t.Error("spec or metadata changed")
	}
	// Compacting twice changes nothing: the digest stays the whole one's.
	again := obj.DeepCopy()
	Object(again)
	if again.Status.CompactedDigest != st.CompactedDigest || !equality.Semantic.DeepEqual(again.Status.CompactedStreams, st.CompactedStreams) {
		t.Error("a second compaction replaced the digest or the counts")
	}
	// A pass that rewrote the results makes the status whole again.
	Whole(st)
	if DigestOf(*st) != "" || st.CompactedStreams != nil {
		t.Error("Whole kept the compacted copy's digest or counts")
	}
}

func TestStreamsCountInTheOrderStreamsFirstAppear(t *testing.T) {
	exempt := &v1alpha1.ObjectiveExemption{Reason: "x"}
	st := &v1alpha1.MaturityTargetStatus{Objectives: []v1alpha1.ObjectiveResult{
		{Stream: "b", MeetsTarget: true},
		{Stream: "a", MeetsTarget: false},
		{Stream: "b", MeetsTarget: false},
		{Stream: "a", MeetsTarget: true, Exemption: exempt},
		{Stream: "c", MeetsTarget: true},
	}}
	want := []v1alpha1.StreamObjectiveCounts{
		{Stream: "b", Passing: 1, Failing: 1},
		{Stream: "a", Passing: 1, Failing: 1, Exempted: 1},
		{Stream: "c", Passing: 1},
	}
	if got := Streams(st); !equality.Semantic.DeepEqual(got, want) {
		t.Errorf("whole: %+v, want %+v", got, want)
	}
	target(st)
	if got := Streams(st); !equality.Semantic.DeepEqual(got, want) {
		t.Errorf("compacted: %+v, want %+v", got, want)
	}
}

func TestTargetWithoutResultsStaysWhole(t *testing.T) {
	obj := decodeTarget(t)
	obj.Status.BlockedBy, obj.Status.MissingMetrics, obj.Status.Objectives = nil, nil, nil
	Object(obj)
	if obj.Status.CompactedDigest != "" || obj.Status.CompactedStreams != nil {
		t.Error("a target with nothing to drop was marked compacted")
	}
}

func TestMetadataKeepsWhatIsRead(t *testing.T) {
	lastApplied := "kubectl.kubernetes.io/last-applied-configuration"
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		want        map[string]string
	}{
		{"none", nil, nil},
		{"only the operator's", map[string]string{v1alpha1.AnnotationAdmittedAt: "t"}, map[string]string{v1alpha1.AnnotationAdmittedAt: "t"}},
		{"only others", map[string]string{lastApplied: "{}"}, nil},
		{"both", map[string]string{lastApplied: "{}", v1alpha1.AnnotationRequestedAt: "r", "example.com/x": "y"},
			map[string]string{v1alpha1.AnnotationRequestedAt: "r"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := decode[v1alpha1.Partner](t, "partner.json")
			p.Annotations = tc.annotations
			p.Labels = map[string]string{v1alpha1.ShardLabel: "a", "team": "b"}
			tg := decodeTarget(t)
			tg.Annotations = maps.Clone(tc.annotations)
			uid := tg.UID
			Object(p)
			Object(tg)
			if !maps.Equal(p.Annotations, tc.want) || !maps.Equal(tg.Annotations, tc.want) {
				t.Errorf("annotations %v and %v, want %v", p.Annotations, tg.Annotations, tc.want)
			}
			if len(p.Labels) != 2 {
				t.Error("labels dropped")
			}
			// Events and owner references name a target by its uid;
			// nothing names a Partner.
			if p.UID != "" || tg.UID != uid {
				t.Errorf("uids %q and %q, want none and %q", p.UID, tg.UID, uid)
			}
		})
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

func TestAdmissionAnnotationIsLeftOutWhenTheStatusRecordsIt(t *testing.T) {
	const recorded = "2026-11-23T12:32:32Z" // the testdata partner's status.admittedAt
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		noStatus    bool
		wantKept    bool
	}{
		{"the status records it", map[string]string{v1alpha1.AnnotationAdmittedAt: recorded}, false, false},
		{"another time", map[string]string{v1alpha1.AnnotationAdmittedAt: "2026-11-24T00:00:00Z"}, false, true},
		{"with another annotation of the operator's", map[string]string{v1alpha1.AnnotationAdmittedAt: recorded, v1alpha1.AnnotationRequestedAt: "r"}, false, true},
		{"no admission in the status (restored without it)", map[string]string{v1alpha1.AnnotationAdmittedAt: recorded}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := decode[v1alpha1.Partner](t, "partner.json")
			p.Annotations = maps.Clone(tc.annotations)
			if tc.noStatus {
				p.Status.AdmittedAt = nil
			}
			Object(p)
			kept := p.Annotations[v1alpha1.AnnotationAdmittedAt] != ""
			if kept != tc.wantKept || p.Status.CompactedAdmissionRecorded == tc.wantKept {
				t.Errorf("annotation kept %v, recorded flag %v; want kept %v", kept, p.Status.CompactedAdmissionRecorded, tc.wantKept)
			}
		})
	}
}

func TestDecodedListsFitTheirLength(t *testing.T) {
	src := &v1alpha1.MetricSource{}
	for i := range 24 {
		v := float64(i)
		src.Status.Values = append(src.Status.Values, v1alpha1.MetricValue{Name: fmt.Sprintf("m%d", i), Value: &v})
	}
	b, err := json.Marshal(src)
	if err != nil {
		t.Fatal(err)
	}
	decoded := &v1alpha1.MetricSource{}
	if err := json.Unmarshal(b, decoded); err != nil {
		t.Fatal(err)
	}
	if cap(decoded.Status.Values) <= 24 {
		t.Skip("decoding no longer leaves room in a list: nothing to fit")
	}
	want, room := decoded.DeepCopy(), cap(decoded.Status.Values)
	Object(decoded)
	// At most what the allocator's size class rounds 24 values up to.
	if got := cap(decoded.Status.Values); got >= room || got > 26 {
		t.Errorf("24 values decoded into room for %d kept room for %d", room, got)
	}
	if !reflect.DeepEqual(decoded.Status, want.Status) {
		t.Errorf("fitting changed the status")
	}
}
