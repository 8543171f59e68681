package metrics

import (
	"context"
	"fmt"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

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
