package controllers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// leakedKey is what a remote system answers; it must reach neither status
// nor the manager's log.
const leakedKey = "AKIAleakedSECRETvalue0042"

// httpMetricSource polls url for each "metric=expression".
func httpMetricSource(ns, name, url string, metrics ...string) *v1alpha1.MetricSource {
	src := &v1alpha1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MetricSourceSpec{
			Type:     v1alpha1.MetricSourceHTTP,
			Interval: &metav1.Duration{Duration: 5 * time.Second},
			HTTP:     &v1alpha1.HTTPSource{URL: url},
		},
	}
	for _, m := range metrics {
		metric, expr, _ := strings.Cut(m, "=")
		src.Spec.HTTP.Metrics = append(src.Spec.HTTP.Metrics, v1alpha1.HTTPMetric{Metric: metric, Expression: expr})
	}
	return src
}

// serve starts a loopback server that lives as long as the test.
func serve(h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(h)
	DeferCleanup(srv.Close)
	return srv
}

var _ = Describe("MetricSources in a shared cluster", func() {
	It("refuses a destination the egress policy does not allow, naming its class", func() {
		ns := newNamespace()
		other := serve(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"n": 1}`)) })
		redirector := serve(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/", http.StatusFound)
		})
		// The suite allows 127.0.0.1 only: 127.0.0.2 is refused before any
		// connection is made.
		refused := httpMetricSource(ns, "loopback", "http://127.0.0.2:9/metrics.json", "n=body.n")
		redirected := httpMetricSource(ns, "redirected", redirector.URL, "n=body.n")
		create(refused)
		create(redirected)
		for src, want := range map[*v1alpha1.MetricSource]string{
			refused:    "destination not allowed: loopback address",
			redirected: "destination not allowed: redirect to another scheme or host",
		} {
			Eventually(func(g Gomega) {
				get(g, src)
				ready := condition(src.Status.Conditions, "Ready")
				g.Expect(ready.Status).To(BeEquivalentTo("False"))
				g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonDestinationNotAllowed))
				g.Expect(ready.Message).To(ContainSubstring(want))
				g.Expect(condition(src.Status.Conditions, "Stalled").Status).To(BeEquivalentTo("True"))
				g.Expect(src.Status.ObservedGeneration).To(Equal(src.Generation))
			}).Should(Succeed())
		}
	})

	It("copies nothing a remote system answers into status or logs", func() {
		ns := newNamespace()
		srv := serve(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/500" {
				http.Error(w, "internal error, key="+leakedKey, http.StatusInternalServerError)
				return
			}
			_, _ = fmt.Fprintf(w, `{"SecretAccessKey": %q, "n": 3}`, leakedKey)
		})
		failing := httpMetricSource(ns, "failing", srv.URL+"/500", "n=body.n")
		extracting := httpMetricSource(ns, "extracting", srv.URL, "n=body.n", "key=body[body.SecretAccessKey]",
			"sum=body.SecretAccessKey + 1")
		create(failing)
		create(extracting)
		Eventually(func(g Gomega) {
			get(g, failing)
			ready := condition(failing.Status.Conditions, "Ready")
			g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonProviderUnavailable))
			g.Expect(ready.Message).To(HaveSuffix(": HTTP 500 Internal Server Error"))
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, extracting)
			g.Expect(condition(extracting.Status.Conditions, "Ready").Reason).To(Equal(v1alpha1.ReasonMetricsFailed))
			g.Expect(extracting.Status.Values).To(ConsistOf(
				SatisfyAll(HaveField("Name", "key"), HaveField("Error", "expression failed: missing key")),
				SatisfyAll(HaveField("Name", "n"), HaveField("Value", HaveValue(BeEquivalentTo(3)))),
				SatisfyAll(HaveField("Name", "sum"), HaveField("Error", "expression failed: wrong type")),
			))
		}).Should(Succeed())
		for _, src := range []*v1alpha1.MetricSource{failing, extracting} {
			raw, err := json.Marshal(src)
			Expect(err).NotTo(HaveOccurred())
			Expect(string(raw)).NotTo(ContainSubstring(leakedKey))
		}
		Expect(managerLog.String()).NotTo(ContainSubstring(leakedKey))
	})

	It("keeps polling one namespace's source while another's hang or answer too much", func() {
		// Three sources of one namespace hang until the test ends: they hold
		// that namespace's two poll slots and wait for a third, no more.
		var inFlight, most atomic.Int64
		release := make(chan struct{})
		slow := serve(func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				if m := most.Load(); n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		DeferCleanup(func() { close(release) })
		slowNS := newNamespace()
		for i := range 3 {
			src := httpMetricSource(slowNS, fmt.Sprintf("slow-%d", i), slow.URL, "n=body.n")
			src.Spec.HTTP.Timeout = &metav1.Duration{Duration: 30 * time.Second}
			create(src)
		}

		// Another answers 4 MiB of zeros: within its byte limit, over the
		// value budget, refused before it is decoded.
		huge := make([]byte, 0, 4<<20)
		huge = append(huge, '[')
		for len(huge) < 4<<20-4 {
			huge = append(huge, '0', ',')
		}
		huge = append(huge, '0', ']')
		hugeSrv := serve(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(huge) })
		hostile := httpMetricSource(newNamespace(), "huge", hugeSrv.URL, "n=body.size()")
		hostile.Spec.HTTP.MaxResponseBytes = ptr.To(int64(4 << 20))
		create(hostile)

		good := serve(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"orders": {"count": 12}}`)) })
		shop := httpMetricSource(newNamespace(), "shop", good.URL, "orders=body.orders.count")
		create(shop)

		Eventually(func(g Gomega) {
			get(g, shop)
			g.Expect(condition(shop.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(shop.Status.Values).To(ConsistOf(HaveField("Value", HaveValue(BeEquivalentTo(12)))))
			get(g, hostile)
			ready := condition(hostile.Status.Conditions, "Ready")
			g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonProviderUnavailable))
			g.Expect(ready.Message).To(HaveSuffix("response too large: more than 100000 JSON values"))
			// Still hanging: the slow namespace's polls are in flight.
			g.Expect(inFlight.Load()).To(BeEquivalentTo(2))
		}).Should(Succeed())
		Expect(most.Load()).To(BeEquivalentTo(2), "one namespace held more than its share of poll slots")
	})
})
