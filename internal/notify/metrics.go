package notify

import (
	"github.com/prometheus/client_golang/prometheus"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
)

// Metrics are the sender's counters.
type Metrics struct {
	// Pending is the number of tasks whose latest transition waits for
	// the sink's acknowledgement (queued or retrying).
	Pending prometheus.Gauge
	// Failed counts delivery attempts the sink did not acknowledge.
	Failed prometheus.Counter
}

// NewMetrics returns unregistered metrics (tests use their own).
func NewMetrics() *Metrics {
	return &Metrics{
		Pending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "scaleup_task_events_pending",
			Help: "ProjectTasks whose latest transition the task-events sink has not acknowledged yet.",
		}),
		Failed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scaleup_task_events_failed_total",
			Help: "Task event deliveries the sink did not acknowledge (each is retried).",
		}),
	}
}

// DefaultMetrics are registered in controller-runtime's metrics registry,
// served on the manager's metrics endpoint.
var DefaultMetrics = NewMetrics()

func init() {
	crmetrics.Registry.MustRegister(DefaultMetrics.Pending, DefaultMetrics.Failed)
}
