package metrics

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/internal/cachestore"
)

// read returns the cached objects of list's kind, read only and in place.
func read[T any, PT interface {
	*T
	client.Object
}](ctx context.Context, c *Collector, list client.ObjectList) ([]PT, error) {
	return cachestore.Objects[T, PT](ctx, c.reader, list)
}
