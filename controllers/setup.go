// Package controllers holds the reconcilers of the growth.scaleup.io kinds.
// Each reconciler is thin: it reads objects, calls a pure package under
// internal/ for the decisions, and writes the result with one status patch.
package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/cachestore"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
	"github.com/scaleup-operator/scaleup-operator/internal/notify"
	"github.com/scaleup-operator/scaleup-operator/internal/packed"
)

// FieldManager is the server-side apply field manager for everything the
// controllers write into generated objects. People's fields (a task's
// assignee and state) belong to other managers and are never overwritten.
const FieldManager = "scaleup-operator"

// Field index names. Watches map events to the objects that reference the
// changed object through these indexes instead of listing everything.
const (
	// IndexModelRef indexes MaturityTargets by spec.modelRef.name.
	IndexModelRef = "spec.modelRef.name"
	// IndexMetricSources indexes MaturityTargets by each spec.metricSources[].name.
	IndexMetricSources = "spec.metricSources.name"
	// IndexPlanMetricSources indexes SupportPlans by each spec.metricSources[].name.
	IndexPlanMetricSources = "supportplan.spec.metricSources.name"
	// IndexPartnerProgram indexes Partners by "<namespace>/<spec.programRef.name>",
	// an index of the informer itself, read in place (partnersOf).
	IndexPartnerProgram = "spec.programRef.name"
	// IndexProgramMetricSources indexes PartnerPrograms by each spec.metricSources[].name.
	IndexProgramMetricSources = "partnerprogram.spec.metricSources.name"
	// IndexProgramReadinessTarget indexes PartnerPrograms by
	// spec.readiness.maturityTargetRef.name.
	IndexProgramReadinessTarget = "partnerprogram.spec.readiness.maturityTargetRef.name"
	// IndexSourceSupportPlan indexes MetricSources by
	// spec.objects.supportPlanRef.name.
	IndexSourceSupportPlan = "metricsource.spec.objects.supportPlanRef.name"
	// IndexSourcePartnerProgram indexes MetricSources by
	// spec.objects.partnerProgramRef.name.
	IndexSourcePartnerProgram = "metricsource.spec.objects.partnerProgramRef.name"
	// IndexCampaignModelRef indexes Campaigns by spec.modelRef.name.
	IndexCampaignModelRef = "campaign.spec.modelRef.name"
	// IndexTaskSource indexes ProjectTasks by "<kind>/<name>" of their
	// controller owner.
	IndexTaskSource = "spec.source.kindName"
)

// Options configures the controllers.
type Options struct {
	// Clock is the time source for due dates, freshness and history.
	// Tests inject a fake clock.
	Clock clock.PassiveClock
	// Models caches compiled MaturityModels; shared with the webhook so a
	// model is compiled once per generation. Created when nil.
	Models *maturity.Cache
	// MetricSources are the limits of every poll: where it may connect,
	// how many bytes all polls decode at once.
	MetricSources metricsource.Options
	// MinRetryDelay and MaxRetryDelay bound the backoff between retries of
	// a reconcile that failed (DefaultMinRetryDelay, DefaultMaxRetryDelay
	// when zero).
	MinRetryDelay, MaxRetryDelay time.Duration
	// TaskEvents sends ProjectTask transitions as CloudEvents to
	// TaskEvents.Sink (off when empty).
	TaskEvents notify.Options
	// RevisionNamespace is the operator's namespace, where each
	// MaturityModel's applied generation is kept as a ControllerRevision
	// (the cache must watch ControllerRevisions there: RevisionCache).
	// Empty disables spec.rollout.mode Preview: every generation applies.
	RevisionNamespace string
	// Sharded says this manager caches only its shard's objects
	// (--watch-label-selector): a model's preview, which covers every
	// target of the model, then reads them from the API server.
	Sharded bool
	// PartnerCoalesceWindow gathers the partner changes of a
	// PartnerProgram into one pass per window
	// (DefaultPartnerCoalesceWindow when zero).
	PartnerCoalesceWindow time.Duration
	// PartnerCalendarInterval is how often the partners whose phase moved
	// with the calendar are brought back (DefaultPartnerCalendarInterval
	// when zero).
	PartnerCalendarInterval time.Duration
}

// Retry delays of a failed reconcile, as Flux's controllers have them:
// controller-runtime's own start at 5 ms, so when the API server goes away
// every object in flight retries about ten times in its first five seconds
// and all of them hit it at once when it comes back. A failing reconcile
// waits 750 ms, then twice as long each time, at most five minutes.
const (
	DefaultMinRetryDelay = 750 * time.Millisecond
	DefaultMaxRetryDelay = 5 * time.Minute
)

// controllerOptions are each controller's options: a rate limiter of its
// own, as it counts failures per request and requests of two kinds may
// share a name.
func (o Options) controllerOptions() controller.Options {
	return controller.Options{
		RateLimiter: workqueue.NewTypedItemExponentialFailureRateLimiter[reconcile.Request](o.MinRetryDelay, o.MaxRetryDelay),
	}
}

// Events are written through the events.k8s.io/v1 API by the manager's
// recorder (controller-runtime's GetEventRecorder).
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Setup registers the field indexes and every controller with the manager.
func Setup(mgr ctrl.Manager, opts Options) error {
	if opts.Clock == nil {
		opts.Clock = clock.RealClock{}
	}
	if opts.Models == nil {
		opts.Models = maturity.NewCache()
	}
	if opts.MinRetryDelay <= 0 {
		opts.MinRetryDelay = DefaultMinRetryDelay
	}
	if opts.MaxRetryDelay < opts.MinRetryDelay {
		opts.MaxRetryDelay = max(DefaultMaxRetryDelay, opts.MinRetryDelay)
	}
	if err := setupIndexes(context.Background(), mgr.GetFieldIndexer()); err != nil {
		return err
	}
	if err := cachestore.AddIndex(context.Background(), mgr.GetCache(), &v1alpha1.Partner{}, IndexPartnerProgram, func(o client.Object) []string {
		if program, ok := packed.ProgramOf(o); ok {
			return []string{programKey(o.GetNamespace(), program)}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("index %s: %w", IndexPartnerProgram, err)
	}
	c := mgr.GetClient()
	rec := mgr.GetEventRecorder(EventController)
	var notifier TaskNotifier
	if opts.TaskEvents.Sink != "" {
		sender, err := notify.Setup(mgr, opts.TaskEvents, opts.Clock)
		if err != nil {
			return err
		}
		notifier = sender
	}
	setups := []func(ctrl.Manager, controller.Options) error{
		(&MaturityModelReconciler{Client: c, Recorder: rec, Models: opts.Models, Clock: opts.Clock,
			RevisionNamespace: opts.RevisionNamespace, Targets: modelTargetsReader(mgr, opts.Sharded)}).SetupWithManager,
		(&MetricSourceReconciler{Client: c, Secrets: mgr.GetAPIReader(), Recorder: rec, Clock: opts.Clock,
			Providers: metricsource.NewProviders(opts.MetricSources)}).SetupWithManager,
		(&MaturityTargetReconciler{Client: c, Recorder: rec, Models: opts.Models, Clock: opts.Clock,
			RevisionNamespace: opts.RevisionNamespace}).SetupWithManager,
		(&CampaignReconciler{Client: c, Recorder: rec, Models: opts.Models, Clock: opts.Clock}).SetupWithManager,
		(&ProjectTaskReconciler{Client: c, Recorder: rec, Clock: opts.Clock, Notifier: notifier}).SetupWithManager,
		(&SupportPlanReconciler{Client: c, Recorder: rec, Models: opts.Models, Clock: opts.Clock}).SetupWithManager,
		(&PartnerReconciler{Client: c, Partners: mgr.GetCache(), Recorder: rec, Clock: opts.Clock,
			CalendarInterval: opts.PartnerCalendarInterval}).SetupWithManager,
		(&PartnerProgramReconciler{Client: c, Partners: mgr.GetCache(), Recorder: rec, Clock: opts.Clock,
			CoalesceWindow: opts.PartnerCoalesceWindow}).SetupWithManager,
	}
	for _, setup := range setups {
		if err := setup(mgr, opts.controllerOptions()); err != nil {
			return err
		}
	}
	return nil
}

// fieldIndexes are the indexes the watches and the aggregations list by.
var fieldIndexes = []struct {
	obj     client.Object
	name    string
	extract client.IndexerFunc
}{
	{&v1alpha1.MaturityTarget{}, IndexModelRef, func(o client.Object) []string {
		return []string{o.(*v1alpha1.MaturityTarget).Spec.ModelRef.Name}
	}},
	{&v1alpha1.MaturityTarget{}, IndexMetricSources, func(o client.Object) []string {
		return sourceNames(o.(*v1alpha1.MaturityTarget).Spec.MetricSources)
	}},
	{&v1alpha1.SupportPlan{}, IndexPlanMetricSources, func(o client.Object) []string {
		return sourceNames(o.(*v1alpha1.SupportPlan).Spec.MetricSources)
	}},
	{&v1alpha1.PartnerProgram{}, IndexProgramMetricSources, func(o client.Object) []string {
		return sourceNames(o.(*v1alpha1.PartnerProgram).Spec.MetricSources)
	}},
	{&v1alpha1.PartnerProgram{}, IndexProgramReadinessTarget, func(o client.Object) []string {
		if g := o.(*v1alpha1.PartnerProgram).Spec.Readiness; g != nil {
			return []string{g.MaturityTargetRef.Name}
		}
		return nil
	}},
	{&v1alpha1.MetricSource{}, IndexSourceSupportPlan, func(o client.Object) []string {
		return objectsRefs(o, func(s *v1alpha1.ObjectsSource) *v1alpha1.LocalObjectReference { return s.SupportPlanRef })
	}},
	{&v1alpha1.MetricSource{}, IndexSourcePartnerProgram, func(o client.Object) []string {
		return objectsRefs(o, func(s *v1alpha1.ObjectsSource) *v1alpha1.LocalObjectReference { return s.PartnerProgramRef })
	}},
	{&v1alpha1.Campaign{}, IndexCampaignModelRef, func(o client.Object) []string {
		return []string{o.(*v1alpha1.Campaign).Spec.ModelRef.Name}
	}},
	{&v1alpha1.ProjectTask{}, IndexTaskSource, func(o client.Object) []string {
		ref := metav1.GetControllerOf(o)
		if ref == nil {
			return nil
		}
		return []string{ref.Kind + "/" + ref.Name}
	}},
}

// programKey is a program's key in IndexPartnerProgram.
func programKey(namespace, name string) string { return namespace + "/" + name }

// partnersOf are the cached partners of program namespace/name, whole:
// the cache keeps them packed, and they are unpacked into arena, valid
// until its next use. Callers only read them: they share maps and
// conditions with the cache.
func partnersOf(ctx context.Context, informers cache.Informers, namespace, name string, arena *packed.Arena) ([]*v1alpha1.Partner, error) {
	items, err := partnerItemsOf(ctx, informers, namespace, name)
	if err != nil {
		return nil, err
	}
	return arena.Unpack(items), nil
}

// partnerItemsOf are the cache's items of the partners of program
// namespace/name, as stored (packed.Of reads them).
func partnerItemsOf(ctx context.Context, informers cache.Informers, namespace, name string) ([]any, error) {
	return cachestore.ItemsByIndex(ctx, informers, &v1alpha1.Partner{}, IndexPartnerProgram, programKey(namespace, name))
}

func setupIndexes(ctx context.Context, indexer client.FieldIndexer) error {
	for _, ix := range fieldIndexes {
		if err := indexer.IndexField(ctx, ix.obj, ix.name, ix.extract); err != nil {
			return fmt.Errorf("index %s: %w", ix.name, err)
		}
	}
	return nil
}

func sourceNames(refs []v1alpha1.LocalObjectReference) []string {
	names := make([]string, 0, len(refs))
	for _, r := range refs {
		names = append(names, r.Name)
	}
	return names
}

// requestsFor lists the objects matching opts (through a field index) and
// returns a reconcile request for each: the map function of every watch
// that fans an event out to the objects referring to it.
func requestsFor(ctx context.Context, c client.Client, list client.ObjectList, opts ...client.ListOption) []reconcile.Request {
	if err := c.List(ctx, list, opts...); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "listing objects for a watch event")
		return nil
	}
	var reqs []reconcile.Request
	_ = meta.EachListItem(list, func(o runtime.Object) error {
		reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o.(client.Object))})
		return nil
	})
	return reqs
}
