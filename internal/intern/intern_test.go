package intern

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/compact"
	"github.com/scaleup-operator/scaleup-operator/internal/packed"
)

// The testdata objects are as the API server returned them in a scale run
// (managedFields removed, as the cache's first transform does).
func decode[T any](t testing.TB, file string) *T {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	obj := new(T)
	if err := json.Unmarshal(b, obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

func same(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }

func TestObjectIsLossless(t *testing.T) {
	for _, obj := range []any{
		decode[v1alpha1.MaturityTarget](t, "maturitytarget.json"),
		decode[v1alpha1.MetricSource](t, "metricsource.json"),
		decode[v1alpha1.Partner](t, "partner.json"),
	} {
		before := deepCopy(obj)
		Object(obj)
		if !equality.Semantic.DeepEqual(before, obj) {
			t.Errorf("%T changed when interned", obj)
		}
	}
}

func deepCopy(obj any) any {
	switch o := obj.(type) {
	case *v1alpha1.MaturityTarget:
		return o.DeepCopy()
	case *v1alpha1.MetricSource:
		return o.DeepCopy()
	case *v1alpha1.Partner:
		return o.DeepCopy()
	}
	panic("unexpected kind")
}

func TestTargetsShareRepeatedStrings(t *testing.T) {
	a := decode[v1alpha1.MaturityTarget](t, "maturitytarget.json")
	b := decode[v1alpha1.MaturityTarget](t, "maturitytarget.json")
	ruleA, ruleB := a.Status.Objectives[0].Blocking.Rule, b.Status.Objectives[0].Blocking.Rule
	if same(ruleA, ruleB) {
		t.Fatal("two decoded targets already share a rule string: the test would prove nothing")
	}
	Object(a)
	Object(b)
	for i := range a.Status.Objectives {
		oa, ob := a.Status.Objectives[i], b.Status.Objectives[i]
		if !same(oa.Stream, ob.Stream) || !same(oa.Objective, ob.Objective) || !same(string(oa.Owner), string(ob.Owner)) {
			t.Errorf("objective %d: names not shared", i)
		}
		if oa.Blocking != nil && !same(oa.Blocking.Rule, ob.Blocking.Rule) {
			t.Errorf("objective %d: rule not shared", i)
		}
	}
	if !same(a.Status.Conditions[0].Reason, b.Status.Conditions[0].Reason) {
		t.Error("condition reasons not shared")
	}
	// A target's own name stays its own.
	if same(a.Name, b.Name) {
		t.Error("names were interned")
	}
}

func TestCompactedTargetsShareStreamNames(t *testing.T) {
	a := decode[v1alpha1.MaturityTarget](t, "maturitytarget.json")
	b := decode[v1alpha1.MaturityTarget](t, "maturitytarget.json")
	for _, obj := range []*v1alpha1.MaturityTarget{a, b} {
		compact.Object(obj)
		before := obj.DeepCopy()
		Object(obj)
		if !equality.Semantic.DeepEqual(before, obj) {
			t.Error("a compacted target changed when interned")
		}
	}
	sa, sb := a.Status.CompactedStreams, b.Status.CompactedStreams
	if len(sa) == 0 || len(sa) != len(sb) {
		t.Fatalf("stream counts %d and %d", len(sa), len(sb))
	}
	for i := range sa {
		if !same(sa[i].Stream, sb[i].Stream) {
			t.Errorf("stream %q not shared", sa[i].Stream)
		}
	}
}

func TestSourcesShareMetricNames(t *testing.T) {
	a := decode[v1alpha1.MetricSource](t, "metricsource.json")
	b := decode[v1alpha1.MetricSource](t, "metricsource.json")
	Object(a)
	Object(b)
	keysB := map[string]string{}
	for k := range b.Spec.Reported.Values {
		keysB[k] = k
	}
	for k, va := range a.Spec.Reported.Values {
		kb, ok := keysB[k]
		if !ok || !same(k, kb) {
			t.Errorf("spec.reported.values key %q not shared", k)
		}
		if b.Spec.Reported.Values[k] != va {
			t.Errorf("value of %q changed", k)
		}
	}
	if !same(a.Status.Values[0].Name, b.Status.Values[0].Name) {
		t.Error("status value names not shared")
	}
}

func TestSourceValuesObservedTogetherShareOneTime(t *testing.T) {
	s := decode[v1alpha1.MetricSource](t, "metricsource.json")
	later := metav1.NewTime(s.Status.Values[0].ObservedAt.Add(time.Minute))
	s.Status.Values[1].ObservedAt = &later
	s.Status.LastObservedAt = later.DeepCopy()
	Object(s)
	for i, v := range s.Status.Values {
		want := s.Status.Values[0].ObservedAt
		if i == 1 {
			want = &later
		}
		if v.ObservedAt != want {
			t.Errorf("values[%d].observedAt %v is a time of its own", i, v.ObservedAt)
		}
	}
	if s.Status.LastObservedAt != &later {
		t.Error("lastObservedAt is a time of its own")
	}
	c := s.DeepCopy()
	if c.Status.Values[0].ObservedAt == s.Status.Values[0].ObservedAt {
		t.Error("a copy shares the cached object's time")
	}
}

func TestPartnersShareRepeatedStrings(t *testing.T) {
	a := decode[v1alpha1.Partner](t, "partner.json")
	b := decode[v1alpha1.Partner](t, "partner.json")
	Object(a)
	Object(b)
	if !same(a.Spec.Type, b.Spec.Type) || !same(string(a.Status.Phase), string(b.Status.Phase)) ||
		!same(a.Spec.ProgramRef.Name, b.Spec.ProgramRef.Name) {
		t.Error("type, phase or program not shared")
	}
}

// BenchmarkCachedObjectBytes reports the heap each cached object takes,
// decoded as the informer decodes it: plain, interned (the cache before
// compaction) and cached: compacted, interned and, for a Partner, packed
// (the manager's cache, controllers.CacheOptions). Partner is the best
// case of a bulk import (every partner's conditions equal),
// PartnerOwnConditions the worst.
func BenchmarkCachedObjectBytes(b *testing.B) {
	distinct := 0
	for _, tc := range []struct {
		name string
		new  func() any
	}{
		{"MaturityTarget", func() any { return decode[v1alpha1.MaturityTarget](b, "maturitytarget.json") }},
		{"MetricSource", func() any { return decode[v1alpha1.MetricSource](b, "metricsource.json") }},
		{"Partner", func() any { return decode[v1alpha1.Partner](b, "partner.json") }},
		// Applied with kubectl (or a GitOps tool doing the same): the
		// last-applied-configuration annotation holds the whole object.
		{"PartnerKubectlApplied", func() any {
			p := decode[v1alpha1.Partner](b, "partner.json")
			applied, err := json.Marshal(p)
			if err != nil {
				b.Fatal(err)
			}
			p.Annotations = map[string]string{"kubectl.kubernetes.io/last-applied-configuration": string(applied)}
			return p
		}},
		// The worst case for shared condition lists: no two partners
		// changed conditions in the same second.
		{"PartnerOwnConditions", func() any {
			p := decode[v1alpha1.Partner](b, "partner.json")
			distinct++
			for i := range p.Status.Conditions {
				c := &p.Status.Conditions[i]
				c.LastTransitionTime = metav1.NewTime(c.LastTransitionTime.Add(time.Duration(distinct) * time.Second))
			}
			return p
		}},
	} {
		for _, mode := range []string{"plain", "interned", "cached"} {
			b.Run(tc.name+"/"+mode, func(b *testing.B) {
				const n = 2000
				var perObject float64
				for b.Loop() {
					before := liveHeap()
					objs := make([]any, n)
					for i := range objs {
						objs[i] = tc.new()
						if mode == "cached" {
							compact.Object(objs[i])
						}
						if mode != "plain" {
							Object(objs[i])
						}
						if p, ok := objs[i].(*v1alpha1.Partner); ok && mode == "cached" {
							if small, ok := packed.Pack(p); ok {
								objs[i] = small
							}
						}
					}
					perObject = float64(liveHeap()-before) / n
					runtime.KeepAlive(objs)
				}
				b.ReportMetric(perObject, "B/object")
			})
		}
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
