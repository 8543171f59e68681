// Package metrics exports the domain state of the growth.scaleup.io objects
// as Prometheus gauges, the way kube-state-metrics does for built-in kinds:
// on each scrape the Collector lists the objects from the manager's cache
// and emits constant gauges computed from their status. No controller
// records anything, so a deleted object's series disappear with it and
// every metric is named in this package.
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
		ch <- d
	}
}

// Collect implements prometheus.Collector. A kind whose list fails is left
// out of this scrape (scaleup_collector_success{kind} is 0) rather than
// failing the whole scrape, which would also hide controller-runtime's own
// metrics.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	e := &emitter{ch: ch, now: c.clock.Now()}

	models := &v1alpha1.MaturityModelList{}
	targets := &v1alpha1.MaturityTargetList{}
	sources := &v1alpha1.MetricSourceList{}
	plans := &v1alpha1.SupportPlanList{}
	programs := &v1alpha1.PartnerProgramList{}
	partners := &v1alpha1.PartnerList{}
	tasks := &v1alpha1.ProjectTaskList{}
	campaigns := &v1alpha1.CampaignList{}
	ok := map[string]bool{}
	for _, l := range []struct {
		kind string
		list client.ObjectList
	}{
		{"MaturityModel", models}, {"MaturityTarget", targets}, {"MetricSource", sources},
		{"SupportPlan", plans}, {"PartnerProgram", programs}, {"Partner", partners}, {"ProjectTask", tasks},
		{"Campaign", campaigns},
	} {
		// Read only: the cache's objects are not copied for each scrape.
		err := c.reader.List(ctx, l.list, client.UnsafeDisableDeepCopy)
		ok[l.kind] = err == nil
		e.gauge(descCollectorSuccess, boolValue(err == nil), l.kind)
		if err != nil {
			ctrl.Log.WithName("metrics").Error(err, "listing objects for the domain metrics", "kind", l.kind)
		}
	}

	if ok["ProjectTask"] {
		e.overdue = overdueBySource(tasks.Items)
	}
	if ok["MaturityModel"] {
		for i := range models.Items {
			e.model(&models.Items[i])
		}
	}
	if ok["MaturityTarget"] {
		levels := modelLevels(models.Items)
		for i := range targets.Items {
			e.target(&targets.Items[i], levels)
		}
	}
	if ok["MetricSource"] {
		for i := range sources.Items {
			e.source(&sources.Items[i])
		}
	}
	if ok["SupportPlan"] {
		for i := range plans.Items {
			e.plan(&plans.Items[i])
		}
	}
	if ok["PartnerProgram"] {
		for i := range programs.Items {
			e.program(&programs.Items[i])
		}
	}
	if ok["Partner"] {
		for i := range partners.Items {
			p := &partners.Items[i]
			e.ready("Partner", p.Namespace, p.Name, p.Status.Conditions)
		}
	}
	if ok["ProjectTask"] {
		e.tasksByRole(tasks.Items)
	}
	if ok["Campaign"] {
		for i := range campaigns.Items {
			e.campaign(&campaigns.Items[i])
		}
	}
}

// emitter sends the gauges of one scrape.
type emitter struct {
	ch  chan<- prometheus.Metric
	now time.Time
	// overdue counts the overdue ProjectTasks by "<kind>/<namespace>/<name>"
	// of their source; nil when the tasks could not be listed.
	overdue map[string]int
}

func (e *emitter) gauge(d *prometheus.Desc, v float64, labels ...string) {
	e.ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

// ready emits scaleup_object_ready: 1 when the Ready condition is True.
func (e *emitter) ready(kind, namespace, name string, conds []metav1.Condition) {
	e.gauge(descObjectReady, boolValue(meta.IsStatusConditionTrue(conds, v1alpha1.ConditionReady)), kind, namespace, name)
}

// taskCounts emits a kind's scaleup_<kind>_tasks{state} from status.tasks,
// and the overdue count from its ProjectTasks when they could be listed.
func (e *emitter) taskCounts(d *prometheus.Desc, kind, namespace, name string, counts *v1alpha1.TaskCounts) {
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
