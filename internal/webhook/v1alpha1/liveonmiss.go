package v1alpha1

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// liveOnMiss is the reader of an unsharded manager's webhooks: it reads
// from the manager's cache, and asks the API server, by name, about an
// object the cache does not hold before saying it does not exist.
//
// The cache lags a moment behind writes, and the objects that refer to each
// other usually arrive together (`kubectl apply -f dir/`, a GitOps sync, an
// import): a target admitted right after its MetricSource would otherwise
// draw a false "not found" warning, and each such warning lists the
// namespace for the names it suggests, which copies as many objects as the
// namespace holds on every admission. One read by name settles it. Lists
// stay in the cache.
type liveOnMiss struct {
	client.Reader // the cache
	live          client.Reader
}

// Get implements client.Reader.
func (r liveOnMiss) Get(ctx context.Context, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
	err := r.Reader.Get(ctx, key, obj, opts...)
	if !apierrors.IsNotFound(err) {
		return err
	}
	return r.live.Get(ctx, key, obj, opts...)
}
