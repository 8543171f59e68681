package controllers_test

import (
	"bytes"
	"context"
	"io"
	"net/netip"
	"path/filepath"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/controllers"
	"github.com/scaleup-operator/scaleup-operator/internal/egress"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
	"github.com/scaleup-operator/scaleup-operator/internal/notify"
	webhookv1alpha1 "github.com/scaleup-operator/scaleup-operator/internal/webhook/v1alpha1"
)

// The suite runs the real controllers and the validating webhook in a
// manager against a real kube-apiserver and etcd (envtest). Each test works
// in a namespace of its own; time-dependent logic reads the fake clock.
var (
	testEnv   *envtest.Environment
	cfg       *rest.Config
	k8sClient client.Client
	scheme    = runtime.NewScheme()
	fakeClock *clocktesting.FakeClock
	stopMgr   context.CancelFunc
	mgrDone   chan struct{}
	// revisionNamespace is where models keep their applied generation.
	revisionNamespace = "default"
	// managerLog keeps everything the manager logged, so tests can assert
	// that no credential is ever logged.
	managerLog = &syncBuffer{}
)

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestControllers(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Controller Suite")
}

var _ = BeforeSuite(func() {
	logf.SetLogger(zap.New(zap.WriteTo(io.MultiWriter(GinkgoWriter, managerLog)), zap.UseDevMode(true)))
	SetDefaultEventuallyTimeout(30 * time.Second)
	SetDefaultEventuallyPollingInterval(100 * time.Millisecond)
	SetDefaultConsistentlyDuration(2 * time.Second)
	SetDefaultConsistentlyPollingInterval(200 * time.Millisecond)

	Expect(clientgoscheme.AddToScheme(scheme)).To(Succeed())
	Expect(v1alpha1.AddToScheme(scheme)).To(Succeed())

	testEnv = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		WebhookInstallOptions: envtest.WebhookInstallOptions{
			Paths: []string{filepath.Join("..", "config", "webhook", "manifests.yaml")},
		},
	}
	var err error
	cfg, err = testEnv.Start()
	Expect(err).NotTo(HaveOccurred())
	k8sClient, err = client.New(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())

	fakeClock = clocktesting.NewFakeClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	taskEvents = startTaskSink()
	startManager()
})

var _ = AfterSuite(func() {
	stopManager()
	Expect(testEnv.Stop()).To(Succeed())
})

// startManager runs a fresh manager with every controller and webhook, as
// main.go does, but with the fake clock.
func startManager() {
	wh := testEnv.WebhookInstallOptions
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                 scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Cache:                  controllers.CacheOptions(nil, revisionNamespace),
		// Restart tests start a second manager in the same process.
		Controller: config.Controller{SkipNameValidation: ptr.To(true)},
		WebhookServer: webhook.NewServer(webhook.Options{
			Host: wh.LocalServingHost, Port: wh.LocalServingPort, CertDir: wh.LocalServingCertDir,
		}),
	})
	Expect(err).NotTo(HaveOccurred())
	Expect(controllers.Setup(mgr, controllers.Options{Clock: fakeClock, MetricSources: testMetricSources,
		TaskEvents:        notify.Options{Sink: taskEvents.url, MinRetryDelay: 10 * time.Millisecond, MaxRetryDelay: 100 * time.Millisecond},
		RevisionNamespace: revisionNamespace,
		// The calendar looks at the fake clock often: a test steps it and
		// waits for the partners it moved.
		PartnerCalendarInterval: 100 * time.Millisecond,
	})).To(Succeed())
	Expect(webhookv1alpha1.Setup(mgr, webhookv1alpha1.Options{Clock: fakeClock})).To(Succeed())

	ctx, cancel := context.WithCancel(context.Background())
	stopMgr = cancel
	mgrDone = make(chan struct{})
	go func() {
		defer GinkgoRecover()
		defer close(mgrDone)
		Expect(mgr.Start(ctx)).To(Succeed())
	}()
	Eventually(func() error { return mgr.GetWebhookServer().StartedChecker()(nil) }).Should(Succeed())
}

func stopManager() {
	stopMgr()
	Eventually(mgrDone).Should(BeClosed())
}

// testMetricSources let the manager poll the tests' servers, which listen
// on 127.0.0.1 (the default policy refuses loopback); 127.0.0.2 stays
// refused, as a destination that is not allowed.
var testMetricSources = metricsource.Options{
	Egress: egress.NewPolicy([]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, nil),
}

// newNamespace creates a namespace of the test's own and removes it after.
func newNamespace() string {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "test-"}}
	Expect(k8sClient.Create(context.Background(), ns)).To(Succeed())
	DeferCleanup(func() { _ = k8sClient.Delete(context.Background(), ns) })
	return ns.Name
}
