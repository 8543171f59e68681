package metrics

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	toolscache "k8s.io/client-go/tools/cache"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// sliceReader lists prepared objects without copying them, as the cache
// does with UnsafeDisableDeepCopy, so the benchmark measures the collector.
type sliceReader struct {
	client.Reader
	objs map[string][]runtime.Object // by list type
}

func (r sliceReader) List(_ context.Context, list client.ObjectList, _ ...client.ListOption) error {
	return meta.SetList(list, r.objs[fmt.Sprintf("%T", list)])
}

// BenchmarkCollect is one scrape of 1000 businesses, each with a source, a
// plan, a program and 10 tasks.
func BenchmarkCollect(b *testing.B) {
	const n = 1000
	objs := map[string][]runtime.Object{"*v1alpha1.MaturityModelList": {model()}}
	add := func(list client.ObjectList, o runtime.Object) {
		k := fmt.Sprintf("%T", list)
		objs[k] = append(objs[k], o)
	}
	for i := range n {
		ns := fmt.Sprintf("ns-%d", i)
		add(&v1alpha1.MaturityTargetList{}, target(ns, "shop"))
		add(&v1alpha1.MetricSourceList{}, source(ns, "prom"))
		add(&v1alpha1.SupportPlanList{}, plan(ns, "team"))
		add(&v1alpha1.PartnerProgramList{}, program(ns, "partners"))
		for j := range 10 {
			add(&v1alpha1.ProjectTaskList{}, task(ns, fmt.Sprintf("t%d", j), "shop", ownerRoles[j%len(ownerRoles)], j%3 == 0, j%4 == 0))
		}
	}
	c := New(sliceReader{objs: objs}, nil)
	ch := make(chan prometheus.Metric, 1024)
	done := make(chan int)
	go func() {
		series := 0
		for range ch {
			series++
		}
		done <- series
	}()
	b.ResetTimer()
	for range b.N {
		c.Collect(ch)
	}
	b.StopTimer()
	close(ch)
	b.ReportMetric(float64(<-done)/float64(b.N), "series/scrape")
}

// fleet is the scale harness's memory workload: 10,000 targets with a
// source and two tasks each, and 100,000 partners in 10 programs.
func fleet() []client.Object {
	const targets, programs, partners = 10000, 10, 100000
	objs := []client.Object{model()}
	for i := range targets {
		ns := fmt.Sprintf("ns-%d", i%1000)
		name := fmt.Sprintf("shop-%d", i)
		objs = append(objs, target(ns, name), source(ns, name))
		for j := range 2 {
			objs = append(objs, task(ns, fmt.Sprintf("%s-%d", name, j), name, ownerRoles[j], false, j == 0))
		}
	}
	for i := range programs {
		objs = append(objs, program("partners", fmt.Sprintf("program-%d", i)))
	}
	for i := range partners {
		objs = append(objs, partner("partners", fmt.Sprintf("partner-%06d", i), fmt.Sprintf("program-%d", i%programs), i%100 != 0))
	}
	return objs
}

// BenchmarkScrapeFleet is one scrape of the fleet. B/op is what a
// Prometheus scrape allocates in the manager: "text" is how the manager
// serves them (WriteText from the informers' stores), "registry" the same
// gauges through a client_golang registry from a list, for comparison.
func BenchmarkScrapeFleet(b *testing.B) {
	ic := informerCache{stores: map[string]toolscache.Store{}}
	lists := map[string][]runtime.Object{}
	for _, o := range fleet() {
		k := kindOf(o)
		if ic.stores[k] == nil {
			ic.stores[k] = toolscache.NewStore(toolscache.MetaNamespaceKeyFunc)
		}
		if err := ic.stores[k].Add(o); err != nil {
			b.Fatal(err)
		}
		lists["*v1alpha1."+k+"List"] = append(lists["*v1alpha1."+k+"List"], o)
	}
	b.Run("text", func(b *testing.B) {
		c := New(ic, nil)
		var w countingWriter
		b.ReportAllocs()
		for range b.N {
			w = 0
			if err := c.WriteText(&w); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(w), "bytes/scrape")
	})
	b.Run("registry", func(b *testing.B) {
		reg := prometheus.NewRegistry()
		reg.MustRegister(New(sliceReader{objs: lists}, nil))
		series := 0
		b.ReportAllocs()
		for range b.N {
			families, err := reg.Gather()
			if err != nil {
				b.Fatal(err)
			}
			series = 0
			enc := expfmt.NewEncoder(io.Discard, expfmt.NewFormat(expfmt.TypeTextPlain))
			for _, f := range families {
				series += len(f.GetMetric())
				if err := enc.Encode(f); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(series), "series/scrape")
	})
}

// countingWriter counts what is written to it.
type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}
