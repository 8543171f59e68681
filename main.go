// Command manager runs the scaleup-operator controllers and webhooks.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	_ "k8s.io/client-go/plugin/pkg/client/auth"
	"k8s.io/client-go/rest"
	"k8s.io/utils/clock"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	growthv1alpha1 "github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/controllers"
	"github.com/scaleup-operator/scaleup-operator/internal/egress"
	domainmetrics "github.com/scaleup-operator/scaleup-operator/internal/metrics"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
	"github.com/scaleup-operator/scaleup-operator/internal/notify"
	webhookv1alpha1 "github.com/scaleup-operator/scaleup-operator/internal/webhook/v1alpha1"
)

// defaultMaxConcurrentReconciles is the workers per controller: a reconcile
// mostly waits on the API server, so a few in flight keep it busy (see the
// Performance section of the README for the measurements behind it).
const defaultMaxConcurrentReconciles = 4

var (
	scheme   = runtime.NewScheme()
	setupLog = ctrl.Log.WithName("setup")
)

func init() {
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(growthv1alpha1.AddToScheme(scheme))
}

func main() {
	var (
		metricsAddr, probeAddr       string
		pprofAddr                    string
		webhookHost, webhookCertPath string
		webhookPort                  int
		enableLeaderElection         bool
		leaseDuration, renewDeadline time.Duration
		leaseRetryPeriod             time.Duration
		leaseNamespace               string
		secureMetrics, enableHTTP2   bool
		enableWebhooks               bool
		maxConcurrentReconciles      int
		kubeAPIQPS                   float64
		kubeAPIBurst                 int
		allowCIDRs, denyCIDRs        string
		minRetryDelay, maxRetryDelay time.Duration
		taskEventsSink               string
		revisionNamespace            string
		partnerCoalesceWindow        time.Duration
		partnerCalendarInterval      time.Duration
		watchLabelSelector           string
	)
	flag.StringVar(&metricsAddr, "metrics-bind-address", "0", "The address the metrics endpoint binds to. "+
		"Use :8443 for HTTPS or :8080 for HTTP, or leave as 0 to disable the metrics service.")
	flag.StringVar(&probeAddr, "health-probe-bind-address", ":8081", "The address the probe endpoint binds to (0 disables it).")
	flag.StringVar(&pprofAddr, "pprof-bind-address", "0",
		"The address the Go profiler (/debug/pprof/) binds to, e.g. 127.0.0.1:6060 (0 disables it). It is unauthenticated: bind it to loopback.")
	flag.BoolVar(&enableLeaderElection, "leader-elect", false,
		"Enable leader election for the controller manager, so that only one replica is active at a time.")
	// Longer than controller-runtime's 15 s/10 s/2 s, as Flux's controllers
	// do: a leader keeps its lease through an API server outage of up to
	// the renew deadline instead of exiting, at the price of a takeover
	// after up to the lease duration when a leader dies without releasing.
	flag.DurationVar(&leaseDuration, "leader-elect-lease-duration", 35*time.Second,
		"How long a follower waits after the last renewal before it takes over a lease that was not released.")
	flag.DurationVar(&renewDeadline, "leader-elect-renew-deadline", 30*time.Second,
		"How long the leader retries renewing its lease (for example through an API server outage) before it gives up and exits.")
	flag.DurationVar(&leaseRetryPeriod, "leader-elect-retry-period", 5*time.Second,
		"How often the candidates try to acquire or renew the lease.")
	flag.StringVar(&leaseNamespace, "leader-elect-namespace", "",
		"Namespace of the leader election lease (empty: the namespace the manager runs in; required outside a cluster).")
	flag.BoolVar(&secureMetrics, "metrics-secure", true,
		"Serve metrics over HTTPS with authentication and authorization. Use --metrics-secure=false for HTTP.")
	flag.BoolVar(&enableHTTP2, "enable-http2", false,
		"Enable HTTP/2 for the metrics and webhook servers (off by default: HTTP/2 Stream Cancellation and Rapid Reset CVEs).")
	flag.BoolVar(&enableWebhooks, "enable-webhooks", true, "Serve the validating admission webhooks.")
	flag.StringVar(&webhookHost, "webhook-host", "", "The address the webhook server binds to (empty: all interfaces).")
	flag.IntVar(&webhookPort, "webhook-port", webhook.DefaultPort, "The port the webhook server listens on.")
	flag.StringVar(&webhookCertPath, "webhook-cert-path", "", "Directory holding the webhook certificate (tls.crt, tls.key).")
	flag.IntVar(&maxConcurrentReconciles, "max-concurrent-reconciles", defaultMaxConcurrentReconciles,
		"How many objects of one kind each controller reconciles at a time.")
	flag.Float64Var(&kubeAPIQPS, "kube-api-qps", 0,
		"Client-side limit on requests per second to the API server (0: none, the API server's priority and fairness applies).")
	flag.IntVar(&kubeAPIBurst, "kube-api-burst", 0, "Burst above --kube-api-qps (0: twice the QPS).")
	flag.StringVar(&denyCIDRs, "metric-source-deny-cidrs", "",
		"Comma-separated CIDRs Prometheus and HTTP MetricSources may not connect to, e.g. the cluster's pod and service ranges "+
			"and the nodes' addresses. Loopback, link-local and cloud metadata addresses are refused without it.")
	flag.StringVar(&allowCIDRs, "metric-source-allow-cidrs", "",
		"Comma-separated CIDRs that are the only ones MetricSources may connect to (empty: every address not refused). "+
			"A CIDR inside a range refused by default (loopback, link-local, metadata) re-allows it, e.g. 127.0.0.0/8 for a local demo.")
	flag.DurationVar(&minRetryDelay, "min-retry-delay", controllers.DefaultMinRetryDelay,
		"How long a failed reconcile waits before its first retry; each further failure doubles it.")
	flag.DurationVar(&maxRetryDelay, "max-retry-delay", controllers.DefaultMaxRetryDelay,
		"The longest wait between retries of a failing reconcile.")
	flag.StringVar(&taskEventsSink, "task-events-sink", "",
		"http(s) URL that ProjectTask transitions (opened, overdue, resolved, reassigned) are sent to as CloudEvents "+
			"(structured JSON, at least once); empty turns them off. Set by the platform team, it is trusted: "+
			"the MetricSource egress policy does not apply to it.")
	flag.StringVar(&revisionNamespace, "revision-namespace", defaultRevisionNamespace(),
		"Namespace where each MaturityModel's applied generation is kept as a ControllerRevision, for spec.rollout.mode Preview "+
			"(default: $POD_NAMESPACE, the operator's namespace; \"default\" outside a cluster).")
	flag.DurationVar(&partnerCoalesceWindow, "partner-coalesce-window", controllers.DefaultPartnerCoalesceWindow,
		"How long a PartnerProgram gathers the changes of its partners into one pass: a burst of partner changes "+
			"costs one pass over the program's partners per window, a single change is seen at once.")
	flag.DurationVar(&partnerCalendarInterval, "partner-calendar-interval", controllers.DefaultPartnerCalendarInterval,
		"How often the partners whose phase moved with the calendar (an Active partner without activity turning Inactive, "+
			"the days in a phase's reason) are found in the cache and reconciled again.")
	flag.StringVar(&watchLabelSelector, "watch-label-selector", "",
		"Cache and reconcile only the growth.scaleup.io objects whose labels match this selector, to split them between "+
			"replicas (shards) by the "+growthv1alpha1.ShardLabel+" label: e.g. "+growthv1alpha1.ShardLabel+"=shard1 on one replica and "+
			"'!"+growthv1alpha1.ShardLabel+"' (the objects without the label) on another. Empty: every object. MaturityModels are "+
			"read by every shard; every replica serves the webhooks for all shards.")
	opts := zap.Options{Development: false}
	opts.BindFlags(flag.CommandLine)
	flag.Parse()

	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&opts)))
	egressPolicy, err := metricSourceEgress(allowCIDRs, denyCIDRs)
	if err != nil {
		setupLog.Error(err, "invalid MetricSource egress flags")
		os.Exit(1)
	}
	setupLog.Info("MetricSource egress", "policy", egressPolicy.String())
	if taskEventsSink != "" {
		if err := notify.ValidateSink(taskEventsSink); err != nil {
			setupLog.Error(err, "invalid --task-events-sink")
			os.Exit(1)
		}
	}

	shard, err := shardSelector(watchLabelSelector)
	if err != nil {
		setupLog.Error(err, "invalid --watch-label-selector")
		os.Exit(1)
	}

	var tlsOpts []func(*tls.Config)
	if !enableHTTP2 {
		tlsOpts = append(tlsOpts, func(c *tls.Config) { c.NextProtos = []string{"http/1.1"} })
	}

	metricsOptions := metricsserver.Options{
		BindAddress:   metricsAddr,
		SecureServing: secureMetrics,
		TLSOpts:       tlsOpts,
	}
	var metricsAuth func(*rest.Config, *http.Client) (metricsserver.Filter, error)
	if secureMetrics {
		metricsAuth = filters.WithAuthenticationAndAuthorization
	}
	// The scaleup_* gauges are computed from the manager's cache on each
	// scrape and appended to /metrics (internal/metrics). domain is set once
	// the manager, whose cache it reads, exists; the server starts later.
	var domain *domainmetrics.Collector
	metricsOptions.FilterProvider = domainmetrics.FilterProvider(metricsAuth, func() *domainmetrics.Collector { return domain })

	if limit, ok := memoryLimit(os.Getenv(memoryLimitEnv), os.Getenv("GOMEMLIMIT")); ok {
		debug.SetMemoryLimit(limit)
		setupLog.Info("memory limit set", "GOMEMLIMIT", limit)
	}

	restConfig := ctrl.GetConfigOrDie()
	if kubeAPIQPS > 0 {
		restConfig.QPS, restConfig.Burst = float32(kubeAPIQPS), kubeAPIBurst
		if restConfig.Burst <= 0 {
			restConfig.Burst = int(2 * kubeAPIQPS)
		}
	}
	mgr, err := ctrl.NewManager(restConfig, ctrl.Options{
		Scheme:                  scheme,
		Metrics:                 metricsOptions,
		HealthProbeBindAddress:  probeAddr,
		PprofBindAddress:        pprofAddr,
		LeaderElection:          enableLeaderElection,
		LeaderElectionID:        leaderElectionID(watchLabelSelector),
		LeaderElectionNamespace: leaseNamespace,
		LeaseDuration:           &leaseDuration,
		RenewDeadline:           &renewDeadline,
		RetryPeriod:             &leaseRetryPeriod,
		// On a graceful stop (a rollout, a drained node) the lease is
		// released at once, so the other replica takes over without waiting
		// for the lease to expire. Safe: Start returns only after every
		// controller has stopped.
		LeaderElectionReleaseOnCancel: true,
		// Shorter than the Deployment's terminationGracePeriodSeconds (45 s),
		// so that a stop is never cut short by SIGKILL.
		GracefulShutdownTimeout: ptr.To(gracefulShutdown),
		// What the cache keeps of each object: see CacheOptions.
		Cache:      controllers.CacheOptions(shard, revisionNamespace),
		Controller: config.Controller{MaxConcurrentReconciles: maxConcurrentReconciles},
		WebhookServer: webhook.NewServer(webhook.Options{
			Host:    webhookHost,
			Port:    webhookPort,
			CertDir: webhookCertPath,
			TLSOpts: tlsOpts,
		}),
	})
	if err != nil {
		setupLog.Error(err, "unable to create manager")
		os.Exit(1)
	}

	if err := controllers.Setup(mgr, controllers.Options{
		Clock:                   clock.RealClock{},
		MetricSources:           metricsource.Options{Egress: egressPolicy},
		MinRetryDelay:           minRetryDelay,
		MaxRetryDelay:           maxRetryDelay,
		TaskEvents:              notify.Options{Sink: taskEventsSink},
		PartnerCoalesceWindow:   partnerCoalesceWindow,
		PartnerCalendarInterval: partnerCalendarInterval,
		// Where models keep their applied generation for Preview.
		RevisionNamespace: revisionNamespace,
		Sharded:           shard != nil,
	}); err != nil {
		setupLog.Error(err, "unable to set up controllers")
		os.Exit(1)
	}
	domain = domainmetrics.New(mgr.GetCache(), clock.RealClock{})
	if enableWebhooks {
		if err := webhookv1alpha1.Setup(mgr, webhookv1alpha1.Options{Sharded: shard != nil}); err != nil {
			setupLog.Error(err, "unable to set up webhooks")
			os.Exit(1)
		}
	}

	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		setupLog.Error(err, "unable to set up health check")
		os.Exit(1)
	}
	readyCheck := healthz.Ping
	if enableWebhooks {
		readyCheck = mgr.GetWebhookServer().StartedChecker()
	}
	if err := mgr.AddReadyzCheck("readyz", readyCheck); err != nil {
		setupLog.Error(err, "unable to set up ready check")
		os.Exit(1)
	}

	setupLog.Info("starting manager")
	if err := mgr.Start(ctrl.SetupSignalHandler()); err != nil {
		setupLog.Error(err, "problem running manager")
		os.Exit(1)
	}
}

// metricSourceEgress builds the egress policy of the MetricSource polls from
// the --metric-source-*-cidrs flags.
func metricSourceEgress(allow, deny string) (*egress.Policy, error) {
	allowed, err := egress.ParseCIDRs(allow)
	if err != nil {
		return nil, fmt.Errorf("--metric-source-allow-cidrs: %w", err)
	}
	denied, err := egress.ParseCIDRs(deny)
	if err != nil {
		return nil, fmt.Errorf("--metric-source-deny-cidrs: %w", err)
	}
	return egress.NewPolicy(allowed, denied), nil
}

// defaultRevisionNamespace is the operator's own namespace, from the
// downward API (config/manager sets POD_NAMESPACE); outside a cluster,
// "default", which every cluster has.
func defaultRevisionNamespace() string {
	if ns := os.Getenv("POD_NAMESPACE"); ns != "" {
		return ns
	}
	return "default"
}
