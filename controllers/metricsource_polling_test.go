package controllers_test

import (
	"encoding/json"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/promfake"
)

const secretToken = "s3cr3t-t0ken-never-shown"

var _ = Describe("A Prometheus MetricSource", func() {
	var (
		ns   string
		prom *promfake.Server
		src  *v1alpha1.MetricSource
	)

	BeforeEach(func() {
		ns = newNamespace()
		prom = promfake.New()
		DeferCleanup(prom.Close)
		for name, v := range atGrowingPains() {
			prom.Set("acme_"+name, v)
		}
		prom.RequireToken(secretToken)
		create(credentialsSecret(ns, "prom-auth"))
		src = &v1alpha1.MetricSource{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "prom"},
			Spec: v1alpha1.MetricSourceSpec{
				Type:     v1alpha1.MetricSourcePrometheus,
				Interval: &metav1.Duration{Duration: 5 * time.Second},
				Prometheus: &v1alpha1.PrometheusSource{
					Address: prom.URL,
					Auth:    &v1alpha1.HTTPAuth{SecretRef: v1alpha1.LocalObjectReference{Name: "prom-auth"}},
				},
			},
		}
		for _, name := range []string{"availability", "csat", "pageSeconds", "responseHours"} {
			src.Spec.Prometheus.Queries = append(src.Spec.Prometheus.Queries, v1alpha1.PrometheusQuery{Metric: name, Query: "acme_" + name})
		}
	})

	It("moves a target's level with the polled values, survives an outage without acting on stale data, and recovers", func() {
		create(testModel(ns))
		create(src)
		t := target(ns, "shop", ns, "HighPerformance", "prom")
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 2}))
		}).Should(Succeed())

		By("the business improves in Prometheus")
		prom.Set("acme_responseHours", 3)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Score).To(HaveField("Passed", BeEquivalentTo(3)))
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 1, Resolved: 1}))
		}).Should(Succeed())

		By("Prometheus goes down")
		prom.SetDown(true)
		Eventually(func(g Gomega) {
			get(g, src)
			ready := condition(src.Status.Conditions, "Ready")
			g.Expect(ready.Reason).To(Equal("ProviderUnavailable"))
			g.Expect(ready.Message).To(ContainSubstring("503"))
			g.Expect(src.Status.Values).To(HaveEach(SatisfyAll(HaveField("Value", Not(BeNil())), HaveField("Error", Not(BeEmpty())))))
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "MetricsAvailable").Reason).To(Equal("MetricsStale"))
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("False"))
		}).Should(Succeed())
		By("while it is down a change would close the other gap, but nothing acts on stale data")
		prom.Set("acme_availability", 99.95)
		Consistently(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 1, Resolved: 1}))
		}, 7*time.Second).Should(Succeed())

		By("Prometheus comes back")
		prom.SetDown(false)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("HighPerformance"))
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Resolved: 2}))
		}, time.Minute).Should(Succeed())
	})

	It("writes nothing when a poll returns the same numbers", func() {
		create(src)
		var version string
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(condition(src.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(src.Status.Values).To(HaveLen(4))
			version = src.ResourceVersion
		}).Should(Succeed())
		before := reconcileCount("metricsource")
		// At least two more polls (every 5-5.5s) happen in this window.
		Consistently(func(g Gomega) {
			get(g, src)
			g.Expect(src.ResourceVersion).To(Equal(version))
		}, 12*time.Second, time.Second).Should(Succeed())
		Expect(reconcileCount("metricsource") - before).To(BeNumerically(">=", 2))
	})

	It("never shows a credential in status or logs", func() {
		prom.RequireToken("a-different-token")
		create(src)
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(condition(src.Status.Conditions, "Ready").Message).To(ContainSubstring("401"))
		}).Should(Succeed())
		raw, err := json.Marshal(src)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(raw)).NotTo(ContainSubstring(secretToken))
		Expect(managerLog.String()).NotTo(ContainSubstring(secretToken))
	})

	It("waits for a missing Secret, naming it", func() {
		src.Spec.Prometheus.Auth.SecretRef.Name = "not-there"
		create(src)
		Eventually(func(g Gomega) {
			get(g, src)
			ready := condition(src.Status.Conditions, "Ready")
			g.Expect(ready.Reason).To(Equal("CredentialsUnavailable"))
			g.Expect(ready.Message).To(ContainSubstring("Secret not-there (spec.prometheus.auth.secretRef) not found"))
			g.Expect(condition(src.Status.Conditions, "Reconciling").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())

	})
})
