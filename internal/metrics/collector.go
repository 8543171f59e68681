// Package metrics exports the domain state of the growth.scaleup.io objects
// as Prometheus gauges, the way kube-state-metrics does for built-in kinds:
// on each scrape the Collector reads the objects in the manager's cache
// and emits gauges computed from their status. No controller records
// anything, so a deleted object's series disappear with it and every
// metric is named in this package.
//
// The manager serves them as text appended to controller-runtime's
// /metrics (Handler), written straight from the cache: a client_golang
// Collector builds a constant metric and a protobuf message per series,
// about 1 KiB each, and a fleet of 10,000 targets and 100,000 partners has
// over 400,000 series. Collect remains for tests and other registries.
//
// Cardinality is bounded: the labels are the object's namespace and name
// and at most one small enum (a level, stream or stall cause of the
// model, a stage, a partner phase, a program metric, an owner role, a task
// state). Rule text, metric values and other strings people write never
// become labels.
package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/cachestore"
)

// Namespace is the prefix of every metric name.
const Namespace = "scaleup"

// DefaultListTimeout bounds the lists of one scrape: a cache that is still
// syncing blocks a list until it has synced.
const DefaultListTimeout = 5 * time.Second

// Collector is a prometheus.Collector over the objects of a client.Reader,
// normally the manager's cache (mgr.GetCache()).
type Collector struct {
	reader  client.Reader
	clock   clock.PassiveClock
	timeout time.Duration
}

// New returns a Collector reading from r; clk gives "now" for ages and
// days until a date (clock.RealClock{} outside tests).
func New(r client.Reader, clk clock.PassiveClock) *Collector {
	if clk == nil {
		clk = clock.RealClock{}
	}
	return &Collector{reader: r, clock: clk, timeout: DefaultListTimeout}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d.prom
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.collect(constMetrics(ch))
}

// collect reads every kind and sends its gauges to out. A kind that cannot
// be read is left out of this scrape (scaleup_collector_success{kind} is
// 0) rather than failing the whole scrape, which would also hide
// controller-runtime's own metrics.
func (c *Collector) collect(out sink) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	e := &emitter{out: out, now: c.clock.Now()}
	ok := func(kind string, err error) bool {
		e.gauge(descCollectorSuccess, boolValue(err == nil), kind)
		if err != nil {
			ctrl.Log.WithName("metrics").Error(err, "reading objects for the domain metrics", "kind", kind)
		}
		return err == nil
	}
	// Tasks first: the targets, plans and programs count the overdue ones.
	tasks, err := read[v1alpha1.ProjectTask](ctx, c, &v1alpha1.ProjectTaskList{})
	tasksOK := ok("ProjectTask", err)
	if tasksOK {
		e.overdue = overdueBySource(tasks)
	}
	models, err := read[v1alpha1.MaturityModel](ctx, c, &v1alpha1.MaturityModelList{})
	if ok("MaturityModel", err) {
		for _, m := range models {
			e.model(m)
		}
	}
	if targets, err := read[v1alpha1.MaturityTarget](ctx, c, &v1alpha1.MaturityTargetList{}); ok("MaturityTarget", err) {
		levels := modelLevels(models)
		for _, t := range targets {
			e.target(t, levels)
		}
	}
	if sources, err := read[v1alpha1.MetricSource](ctx, c, &v1alpha1.MetricSourceList{}); ok("MetricSource", err) {
		for _, s := range sources {
			e.source(s)
		}
	}
	if plans, err := read[v1alpha1.SupportPlan](ctx, c, &v1alpha1.SupportPlanList{}); ok("SupportPlan", err) {
		for _, p := range plans {
			e.plan(p)
		}
	}
	if programs, err := read[v1alpha1.PartnerProgram](ctx, c, &v1alpha1.PartnerProgramList{}); ok("PartnerProgram", err) {
		for _, p := range programs {
			e.program(p)
		}
	}
	// Partners as the cache stores them (packed): their conditions are
	// read without unpacking.
	if partners, err := cachestore.Items(ctx, c.reader, &v1alpha1.Partner{}, &v1alpha1.PartnerList{}); ok("Partner", err) {
		for _, item := range partners {
			if p, ok := item.(conditioned); ok {
				e.ready("Partner", p.GetNamespace(), p.GetName(), p.GetConditions())
			}
		}
	}
	if tasksOK {
		e.tasksByRole(tasks)
	}
	if campaigns, err := read[v1alpha1.Campaign](ctx, c, &v1alpha1.CampaignList{}); ok("Campaign", err) {
		for _, cp := range campaigns {
			e.campaign(cp)
		}
	}
}

// conditioned is an object with conditions, whole or packed.
type conditioned interface {
	GetNamespace() string
	GetName() string
	GetConditions() []metav1.Condition
}

// emitter sends the gauges of one scrape.
type emitter struct {
	out sink
	now time.Time
	// overdue counts the overdue ProjectTasks by "<kind>/<namespace>/<name>"
	// of their source; nil when the tasks could not be listed.
	overdue map[string]int
}

func (e *emitter) gauge(d *metricDesc, v float64, labels ...string) {
	e.out.gauge(d, v, labels)
}

// ready emits scaleup_object_ready: 1 when the Ready condition is True.
func (e *emitter) ready(kind, namespace, name string, conds []metav1.Condition) {
	e.gauge(descObjectReady, boolValue(meta.IsStatusConditionTrue(conds, v1alpha1.ConditionReady)), kind, namespace, name)
}

// taskCounts emits a kind's scaleup_<kind>_tasks{state} from status.tasks,
// and the overdue count from its ProjectTasks when they could be listed.
func (e *emitter) taskCounts(d *metricDesc, kind, namespace, name string, counts *v1alpha1.TaskCounts) {
	if counts != nil {
		e.gauge(d, float64(counts.Open), namespace, name, "open")
		e.gauge(d, float64(counts.Resolved), namespace, name, "resolved")
		e.gauge(d, float64(counts.HeldBack), namespace, name, "heldBack")
	}
	if e.overdue != nil {
		e.gauge(d, float64(e.overdue[kind+"/"+namespace+"/"+name]), namespace, name, "overdue")
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
