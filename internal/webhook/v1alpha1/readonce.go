package v1alpha1

import (
	"context"
	"reflect"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// readOnce is the reader of the webhooks, over the API server (a sharded
// manager) or over the cache with a miss confirmed by the API server
// (liveOnMiss): within one admission (a context of withReadOnce) it reads
// each object once, so the shard check and the warnings, which both read
// the references, cost one read per reference. Outside one, it reads
// through.
type readOnce struct {
	client.Reader
}

type readOnceKey struct{}

type readKey struct {
	kind reflect.Type
	key  client.ObjectKey
}

type readResult struct {
	obj client.Object
	err error
}

// withReadOnce starts an admission's reads.
func withReadOnce(ctx context.Context) context.Context {
	if _, ok := ctx.Value(readOnceKey{}).(map[readKey]readResult); ok {
		return ctx
	}
	return context.WithValue(ctx, readOnceKey{}, map[readKey]readResult{})
}

// Get implements client.Reader. An admission's checks run one after the
// other, so the map needs no lock. Found and not found are remembered; any
// other error is not.
func (r readOnce) Get(ctx context.Context, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
	read, ok := ctx.Value(readOnceKey{}).(map[readKey]readResult)
	if !ok {
		return r.Reader.Get(ctx, key, obj, opts...)
	}
	k := readKey{kind: reflect.TypeOf(obj), key: key}
	if res, ok := read[k]; ok {
		if res.err == nil {
			reflect.ValueOf(obj).Elem().Set(reflect.ValueOf(res.obj.DeepCopyObject()).Elem())
		}
		return res.err
	}
	err := r.Reader.Get(ctx, key, obj, opts...)
	if err == nil || apierrors.IsNotFound(err) {
		read[k] = readResult{obj: obj.DeepCopyObject().(client.Object), err: err}
	}
	return err
}
