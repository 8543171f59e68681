package bench

import (
	"context"
	"encoding/json"
	"reflect"
	"runtime"

	"k8s.io/apimachinery/pkg/api/meta"
	apiruntime "k8s.io/apimachinery/pkg/runtime"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
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
// maxMeasured), then each object decoded on its own, as a watch decodes it,
// and passed through the cache's transform for its kind
// (controllers.CacheOptions), which may keep another form of it. Read in
// the harness's process, while it is idle, from the heap in use before and
// after the decoding.
func cachedBytes(ctx context.Context, c client.Client) (map[string]float64, error) {
	opts := controllers.CacheOptions(nil, "")
	out := map[string]float64{}
	for kind, list := range map[string]client.ObjectList{
		"MaturityTarget": &v1alpha1.MaturityTargetList{},
		"MetricSource":   &v1alpha1.MetricSourceList{},
		"Partner":        &v1alpha1.PartnerList{},
		"PartnerProgram": &v1alpha1.PartnerProgramList{},
		"ProjectTask":    &v1alpha1.ProjectTaskList{},
	} {
		if err := c.List(ctx, list, client.Limit(maxMeasured)); err != nil {
			return nil, err
		}
		var raw [][]byte
		var itemType reflect.Type
		err := meta.EachListItem(list, func(o apiruntime.Object) error {
			b, err := json.Marshal(o)
			raw, itemType = append(raw, b), reflect.TypeOf(o).Elem()
			return err
		})
		if err != nil || len(raw) < minMeasured {
			if err != nil {
				return nil, err
			}
			continue
		}
		before := heapAlloc()
		objs := make([]any, 0, len(raw))
		for _, b := range raw {
			o := reflect.New(itemType).Interface().(apiruntime.Object)
			if err := json.Unmarshal(b, o); err != nil {
				return nil, err
			}
			t, err := transformOf(opts, o)(o)
			if err != nil {
				return nil, err
			}
			objs = append(objs, t)
		}
		if after := heapAlloc(); after > before {
			out[kind] = float64(after-before) / float64(len(objs))
		}
		runtime.KeepAlive(objs)
		runtime.KeepAlive(raw)
	}
	return out, nil
}

// transformOf is the transform the cache applies to obj's kind: its own,
// or the default.
func transformOf(opts cache.Options, obj apiruntime.Object) toolscache.TransformFunc {
	for kind, by := range opts.ByObject {
		if reflect.TypeOf(kind) == reflect.TypeOf(obj) && by.Transform != nil {
			return by.Transform
		}
	}
	return opts.DefaultTransform
}

// heapAlloc is the live heap: the heap allocated right after a
// collection. (The heap in use would count the spans that decoding's
// garbage leaves partly empty.)
func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
