package bench

import (
	"context"
	"runtime"

	"k8s.io/apimachinery/pkg/api/meta"
	apiruntime "k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/controllers"
)

// maxMeasured bounds the objects of a kind measured: enough for a stable
// average, without holding a second copy of a 100,000-object cache. Below
// minMeasured objects the heap's own noise would set the figure: the kind
// is left out.
const (
	maxMeasured = 2000
	minMeasured = 100
)

// cachedBytes measures the heap each object of a kind takes as the
// operator's informer cache holds it: listed from the API server (at most
// maxMeasured), decoded, and passed through the cache's transform
// (controllers.CacheOptions). Read in the harness's process, while it is
// idle, from the heap in use before and after.
func cachedBytes(ctx context.Context, c client.Client) (map[string]float64, error) {
	transform := controllers.CacheOptions(nil, "").DefaultTransform
	out := map[string]float64{}
	for kind, list := range map[string]client.ObjectList{
		"MaturityTarget": &v1alpha1.MaturityTargetList{},
		"MetricSource":   &v1alpha1.MetricSourceList{},
		"Partner":        &v1alpha1.PartnerList{},
		"PartnerProgram": &v1alpha1.PartnerProgramList{},
		"ProjectTask":    &v1alpha1.ProjectTaskList{},
	} {
		before := heapInuse()
		if err := c.List(ctx, list, client.Limit(maxMeasured)); err != nil {
			return nil, err
		}
		objs := make([]any, 0, maxMeasured)
		err := meta.EachListItem(list, func(o apiruntime.Object) error {
			t, err := transform(o)
			objs = append(objs, t)
			return err
		})
		if err != nil {
			return nil, err
		}
		if after := heapInuse(); len(objs) >= minMeasured && after > before {
			out[kind] = float64(after-before) / float64(len(objs))
		}
		runtime.KeepAlive(objs)
		runtime.KeepAlive(list)
	}
	return out, nil
}

func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
