package controllers_test

import (
	"context"
	"strconv"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/promfake"
)

// What the readers of a MetricSource see while it changes: a source that
// has published keeps serving its values, so its readers stay Ready; only a
// source that never published makes them wait.
var _ = Describe("Readers of a MetricSource", func() {
	var ns string
	BeforeEach(func() {
		ns = newNamespace()
		create(testModel(ns))
	})

	It("stay Ready through 20 consecutive edits of a Reported source", func() {
		values := atGrowingPains()
		src := reportedSource(ns, "reported", values)
		create(src)
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		create(t)
		// responseHours fails HighPerformance (<= 4) at every value used
		// here, so the target shows the value it evaluated in the
		// objective's blocking rule.
		shows := func(mt *v1alpha1.MaturityTarget, hours float64) bool {
			want := "responseHours=" + strconv.FormatFloat(hours, 'g', -1, 64) + " (reported)"
			for _, o := range mt.Status.Objectives {
				if o.Blocking == nil {
					continue
				}
				for _, v := range o.Blocking.Values {
					if v == want {
						return true
					}
				}
			}
			return false
		}
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(shows(t, values["responseHours"])).To(BeTrue())
		}).Should(Succeed())

		By("recording every Ready the target shows from now on")
		rec := watchTarget(t)
		last := 0.0
		for i := 1; i <= 20; i++ {
			last = 5 + float64(i)/8 // 5.125 ... 7.5, exact in binary
			values["responseHours"] = last
			patchValues(src, values)
			Eventually(func(g Gomega) {
				get(g, t)
				g.Expect(shows(t, last)).To(BeTrue())
			}).Should(Succeed())
		}
		Eventually(func() bool { return rec.saw(func(mt *v1alpha1.MaturityTarget) bool { return shows(mt, last) }) }).Should(BeTrue())
		rec.stop()

		seen := rec.ready()
		// At least one status write per edit reached the watch.
		Expect(len(seen)).To(BeNumerically(">", 20))
		Expect(seen).To(HaveEach("True/Succeeded"))
	})

	It("wait, InProgress, for a source that has never published", func() {
		prom := promfake.New()
		DeferCleanup(prom.Close)
		src := &v1alpha1.MetricSource{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "prom"},
			Spec: v1alpha1.MetricSourceSpec{
				Type: v1alpha1.MetricSourcePrometheus,
				Prometheus: &v1alpha1.PrometheusSource{
					Address: prom.URL,
					Auth:    &v1alpha1.HTTPAuth{SecretRef: v1alpha1.LocalObjectReference{Name: "not-there"}},
					Queries: []v1alpha1.PrometheusQuery{{Metric: "csat", Query: "acme_csat"}},
				},
			},
		}
		create(src)
		t := target(ns, "shop", ns, "HighPerformance", "prom")
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			ready := condition(t.Status.Conditions, "Ready")
			g.Expect(ready.Reason).To(Equal("MetricSourceNotReady"))
			g.Expect(ready.Message).To(ContainSubstring("MetricSource prom:"))
			g.Expect(condition(t.Status.Conditions, "Reconciling").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
		Expect(status.Compute(toUnstructured(t))).To(HaveField("Status", status.InProgressStatus))
	})
})

// targetRecorder keeps every state of one MaturityTarget a watch delivers.
type targetRecorder struct {
	mu     sync.Mutex
	states []*v1alpha1.MaturityTarget
	failed string
	cancel context.CancelFunc
	done   chan struct{}
}

// watchTarget starts recording t's states from its current
// resourceVersion on, t's current state included.
func watchTarget(t *v1alpha1.MaturityTarget) *targetRecorder {
	GinkgoHelper()
	wc, err := client.NewWithWatch(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	w, err := wc.Watch(ctx, &v1alpha1.MaturityTargetList{}, &client.ListOptions{
		Namespace:     t.Namespace,
		FieldSelector: fields.OneTermEqualSelector("metadata.name", t.Name),
		Raw:           &metav1.ListOptions{ResourceVersion: t.ResourceVersion},
	})
	Expect(err).NotTo(HaveOccurred())
	r := &targetRecorder{states: []*v1alpha1.MaturityTarget{t.DeepCopy()}, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		defer w.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.ResultChan():
				r.mu.Lock()
				switch {
				case !ok:
					r.failed = "the watch ended early"
				case ev.Type == watch.Error:
					r.failed = "the watch failed: " + apiStatusMessage(ev.Object)
				case ev.Type == watch.Added || ev.Type == watch.Modified:
					r.states = append(r.states, ev.Object.(*v1alpha1.MaturityTarget).DeepCopy())
				}
				stop := r.failed != ""
				r.mu.Unlock()
				if stop {
					return
				}
			}
		}
	}()
	DeferCleanup(r.stop)
	return r
}

// saw says whether any recorded state matches.
func (r *targetRecorder) saw(match func(*v1alpha1.MaturityTarget) bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.states {
		if match(s) {
			return true
		}
	}
	return false
}

// stop ends the watch and fails the test if it ended on its own before.
func (r *targetRecorder) stop() {
	GinkgoHelper()
	r.cancel()
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	Expect(r.failed).To(BeEmpty())
}

// ready lists "status/reason" of the Ready condition of every state seen.
func (r *targetRecorder) ready() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.states))
	for _, s := range r.states {
		c := condition(s.Status.Conditions, "Ready")
		out = append(out, string(c.Status)+"/"+c.Reason)
	}
	return out
}

func apiStatusMessage(obj any) string {
	if s, ok := obj.(*metav1.Status); ok {
		return s.Message
	}
	return "unknown error"
}
