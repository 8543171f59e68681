package controllers_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// requestEchoer is every kind: it echoes the requested-at token it handled.
type requestEchoer interface {
	client.Object
	GetLastHandledRequestedAt() string
}

// requestReconcile sets obj's requested-at annotation to value, as
// `kubectl annotate --overwrite` does.
func requestReconcile(obj client.Object, value string) {
	GinkgoHelper()
	patch := fmt.Sprintf(`{"metadata":{"annotations":{%q:%q}}}`, v1alpha1.AnnotationRequestedAt, value)
	Expect(k8sClient.Patch(context.Background(), obj, client.RawPatch(types.MergePatchType, []byte(patch)))).To(Succeed())
}

// touch changes an annotation other than requested-at.
func touch(obj client.Object, value string) {
	GinkgoHelper()
	patch := fmt.Sprintf(`{"metadata":{"annotations":{"example.com/touched":%q}}}`, value)
	Expect(k8sClient.Patch(context.Background(), obj, client.RawPatch(types.MergePatchType, []byte(patch)))).To(Succeed())
}

// expectHandled waits until obj's status echoes value.
func expectHandled(obj requestEchoer, value string) {
	GinkgoHelper()
	Eventually(func(g Gomega) {
		get(g, obj)
		g.Expect(obj.GetLastHandledRequestedAt()).To(Equal(value))
	}).Should(Succeed())
}

// nudge brings obj back after the fake clock moved, as its own
// RequeueAfter would in a cluster, and waits until it was handled.
func nudge(obj requestEchoer) {
	GinkgoHelper()
	value := fmt.Sprintf("nudge-%d", fakeClock.Now().Unix())
	requestReconcile(obj, value)
	expectHandled(obj, value)
}

// countingServer is an HTTP metrics endpoint on 127.0.0.1 that counts its
// requests and answers 503 while down.
type countingServer struct {
	URL      string
	requests atomic.Int32
	down     atomic.Bool
}

func newCountingServer() *countingServer {
	s := &countingServer{}
	s.URL = serve(func(w http.ResponseWriter, _ *http.Request) {
		s.requests.Add(1)
		if s.down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{"n": 1}`))
	}).URL
	return s
}

// hourlySource polls srv once an hour: within a test, only a request (or
// a spec change) polls it.
func hourlySource(ns string, srv *countingServer) *v1alpha1.MetricSource {
	src := httpMetricSource(ns, "hourly", srv.URL, "n=body.n")
	src.Spec.Interval = &metav1.Duration{Duration: time.Hour}
	return src
}

var _ = Describe("The requested-at annotation", func() {
	It("re-evaluates each of the seven kinds at once, and status echoes it", func() {
		ns := newNamespace()
		model := created(testModel(ns))
		src := created(reportedSource(ns, "reported", atGrowingPains()))
		objects := []requestEchoer{
			model, src,
			created(target(ns, "shop", ns, "HighPerformance", "reported")),
			created(supportPlan(ns, 4)),
			created(partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen})),
			created(partner(ns, "trailhead", fakeClock.Now())),
			created(projectTask(ns, "inbox", fakeClock.Now().Add(time.Hour), v1alpha1.TaskOpen)),
		}
		for _, obj := range objects {
			By(fmt.Sprintf("%T %s", obj, obj.GetName()))
			requestReconcile(obj, "first")
			expectHandled(obj, "first")
			requestReconcile(obj, "second")
			expectHandled(obj, "second")
		}
	})

	It("re-polls a MetricSource for a new value only", func() {
		ns := newNamespace()
		srv := newCountingServer()
		src := created(hourlySource(ns, srv))
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(condition(src.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
		Expect(srv.requests.Load()).To(BeEquivalentTo(1))

		By("a new value polls before the interval, and status echoes it once the poll is published")
		requestReconcile(src, "1")
		expectHandled(src, "1")
		Expect(srv.requests.Load()).To(BeEquivalentTo(2))

		By("the same value again, another annotation: no poll")
		requestReconcile(src, "1")
		touch(src, "yes")
		Consistently(func(g Gomega) {
			g.Expect(srv.requests.Load()).To(BeEquivalentTo(2))
			get(g, src)
			g.Expect(src.Status.LastHandledRequestedAt).To(Equal("1"))
		}).Should(Succeed())

		By("the next new value polls again")
		requestReconcile(src, "2")
		expectHandled(src, "2")
		Expect(srv.requests.Load()).To(BeEquivalentTo(3))
	})
})
