package dashboard

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// kind is one kind the page reads, with where it goes in Objects.
type kind struct {
	name          string // plural, for the page
	obj           client.Object
	list          func() client.ObjectList
	clusterScoped bool
	into          func(o *Objects, l client.ObjectList)
}

var kinds = []kind{
	{name: "MaturityModels", obj: &v1alpha1.MaturityModel{}, clusterScoped: true,
		list: func() client.ObjectList { return &v1alpha1.MaturityModelList{} },
		into: func(o *Objects, l client.ObjectList) { o.Models = l.(*v1alpha1.MaturityModelList).Items }},
	{name: "MaturityTargets", obj: &v1alpha1.MaturityTarget{},
		list: func() client.ObjectList { return &v1alpha1.MaturityTargetList{} },
		into: func(o *Objects, l client.ObjectList) { o.Targets = l.(*v1alpha1.MaturityTargetList).Items }},
	{name: "SupportPlans", obj: &v1alpha1.SupportPlan{},
		list: func() client.ObjectList { return &v1alpha1.SupportPlanList{} },
		into: func(o *Objects, l client.ObjectList) { o.Plans = l.(*v1alpha1.SupportPlanList).Items }},
	{name: "PartnerPrograms", obj: &v1alpha1.PartnerProgram{},
		list: func() client.ObjectList { return &v1alpha1.PartnerProgramList{} },
		into: func(o *Objects, l client.ObjectList) { o.Programs = l.(*v1alpha1.PartnerProgramList).Items }},
	{name: "ProjectTasks", obj: &v1alpha1.ProjectTask{},
		list: func() client.ObjectList { return &v1alpha1.ProjectTaskList{} },
		into: func(o *Objects, l client.ObjectList) { o.Tasks = l.(*v1alpha1.ProjectTaskList).Items }},
}

// Watcher keeps the objects of the page in an informer cache fed by
// watches made with the user's credentials: no polling.
type Watcher struct {
	namespace string
	cache     cache.Cache
	allowed   []kind
	denied    []Denied
}

// Watch checks which kinds the user may list in namespace ("" for every
// namespace) with one list each, starts informers for those, calls changed
// on every add, update and delete they see, and returns once they have
// synced. It runs until ctx ends.
func Watch(ctx context.Context, cfg *rest.Config, scheme *runtime.Scheme, namespace string, changed func()) (*Watcher, error) {
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return nil, err
	}
	opts := cache.Options{Scheme: scheme, ReaderFailOnMissingInformer: true}
	if namespace != "" {
		opts.DefaultNamespaces = map[string]cache.Config{namespace: {}}
	}
	ca, err := cache.New(cfg, opts)
	if err != nil {
		return nil, err
	}
	w := &Watcher{namespace: namespace, cache: ca}
	notify := toolscache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { changed() },
		UpdateFunc: func(any, any) { changed() },
		DeleteFunc: func(any) { changed() },
	}
	for _, k := range kinds {
		ns := namespace
		if k.clusterScoped {
			ns = ""
		}
		err := c.List(ctx, k.list(), client.InNamespace(ns), client.Limit(1))
		switch {
		case apierrors.IsForbidden(err):
			w.denied = append(w.denied, Denied{Kind: k.name, Namespace: ns})
			continue
		case err != nil:
			return nil, fmt.Errorf("listing %s: %w", k.name, err)
		}
		inf, err := ca.GetInformer(ctx, k.obj)
		if err != nil {
			return nil, err
		}
		if _, err := inf.AddEventHandler(notify); err != nil {
			return nil, err
		}
		w.allowed = append(w.allowed, k)
	}
	go func() { _ = ca.Start(ctx) }()
	if !ca.WaitForCacheSync(ctx) {
		return nil, fmt.Errorf("the watches did not sync: %w", context.Cause(ctx))
	}
	return w, nil
}

// Snapshot returns the objects as the watches last saw them. It is safe
// for concurrent use, as the cache is.
func (w *Watcher) Snapshot(ctx context.Context) (Objects, error) {
	o := Objects{Namespace: w.namespace, Denied: w.denied}
	for _, k := range w.allowed {
		l := k.list()
		if err := w.cache.List(ctx, l); err != nil {
			return Objects{}, fmt.Errorf("listing %s from the cache: %w", k.name, err)
		}
		k.into(&o, l)
	}
	return o, nil
}
