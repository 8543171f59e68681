// Package cachestore reads the objects of the manager's informer cache in
// place, for the passes that look at every object of a kind at once (the
// metrics collector, the partner calendar).
package cachestore

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// storeOf is what the informers of controller-runtime's cache are (client-go
// SharedIndexInformers): their store holds the cached objects themselves.
type storeOf interface {
	GetStore() toolscache.Store
}

// Objects returns the cached objects of list's kind, read only and in
// place: callers must not modify them. From the manager's cache it walks
// the informer's store: a List, even without deep copies, copies every
// object's struct into the list (about 50 MiB for 100,000 Partners). Any
// other reader is listed.
func Objects[T any, PT interface {
	*T
	client.Object
}](ctx context.Context, reader client.Reader, list client.ObjectList) ([]PT, error) {
	items, err := Items(ctx, reader, PT(new(T)), list)
	if err != nil {
		return nil, err
	}
	return only[T, PT](items), nil
}

// Items returns what the cache stores for obj's kind, read only and in
// place, as Objects does, but as stored: a kind the cache keeps in another
// form (a packed Partner) comes in that form. A reader other than the
// manager's cache lists into list.
func Items(ctx context.Context, reader client.Reader, obj client.Object, list client.ObjectList) ([]any, error) {
	if informers, ok := reader.(cache.Informers); ok {
		informer, err := informers.GetInformer(ctx, obj)
		if err != nil {
			return nil, err
		}
		if s, ok := informer.(storeOf); ok {
			return s.GetStore().List(), nil
		}
	}
	if err := reader.List(ctx, list, client.UnsafeDisableDeepCopy); err != nil {
		return nil, err
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, item := range items {
		out[i] = item
	}
	return out, nil
}

// only keeps the items of type PT.
func only[T any, PT interface {
	*T
	client.Object
}](items []any) []PT {
	out := make([]PT, 0, len(items))
	for _, item := range items {
		if o, ok := item.(PT); ok {
			out = append(out, o)
		}
	}
	return out
}

// indexerOf is what the informers of controller-runtime's cache are: their
// indexer holds the cached objects under the indexes added to them.
type indexerOf interface {
	GetIndexer() toolscache.Indexer
}

// AddIndex adds index name to the informer of obj's kind: keys says under
// which keys an object is found. Unlike a controller-runtime field index
// (one entry under its namespace and one across namespaces per object),
// it holds each object once per key, and ByIndex reads it in place.
func AddIndex(ctx context.Context, informers cache.Informers, obj client.Object, name string, keys func(client.Object) []string) error {
	informer, err := informers.GetInformer(ctx, obj)
	if err != nil {
		return err
	}
	return informer.AddIndexers(toolscache.Indexers{name: func(o any) ([]string, error) {
		if co, ok := o.(client.Object); ok {
			return keys(co), nil
		}
		return nil, nil
	}})
}

// ByIndex returns the cached objects of T's kind that index name (added by
// AddIndex) holds under key, read only and in place: callers must not
// modify them. A pass over a program's 10,000 partners then copies none of
// them (a List copies every object's struct, about 15 MiB per pass).
func ByIndex[T any, PT interface {
	*T
	client.Object
}](ctx context.Context, informers cache.Informers, name, key string) ([]PT, error) {
	items, err := ItemsByIndex(ctx, informers, PT(new(T)), name, key)
	if err != nil {
		return nil, err
	}
	return only[T, PT](items), nil
}

// ItemsByIndex is ByIndex for obj's kind, its items as stored (see Items).
func ItemsByIndex(ctx context.Context, informers cache.Informers, obj client.Object, name, key string) ([]any, error) {
	informer, err := informers.GetInformer(ctx, obj)
	if err != nil {
		return nil, err
	}
	ix, ok := informer.(indexerOf)
	if !ok {
		return nil, fmt.Errorf("the informer of %T has no index %q", obj, name)
	}
	return ix.GetIndexer().ByIndex(name, key)
}
