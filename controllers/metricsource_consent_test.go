package controllers_test

import (
	"context"
	"encoding/json"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/promfake"
)

// The operator reads only Secrets offered to MetricSources with a label.
var _ = Describe("MetricSource credentials", func() {
	var (
		ns   string
		prom *promfake.Server
	)

	BeforeEach(func() {
		ns = newNamespace()
		prom = promfake.New()
		DeferCleanup(prom.Close)
		prom.Set("acme_csat", 85)
		prom.RequireToken(secretToken)
	})

	promSource := func(name, secret string) *v1alpha1.MetricSource {
		return &v1alpha1.MetricSource{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.MetricSourceSpec{
				Type:     v1alpha1.MetricSourcePrometheus,
				Interval: &metav1.Duration{Duration: 5 * time.Second},
				Prometheus: &v1alpha1.PrometheusSource{
					Address: prom.URL,
					Auth:    &v1alpha1.HTTPAuth{SecretRef: v1alpha1.LocalObjectReference{Name: secret}},
					Queries: []v1alpha1.PrometheusQuery{{Metric: "csat", Query: "acme_csat"}},
				},
			},
		}
	}

	It("reads a Secret only once it carries the opt-in label", func() {
		ctx := context.Background()
		secret := credentialsSecret(ns, "unlabelled")
		secret.Labels = nil
		create(secret)
		src := promSource("prom", "unlabelled")
		create(src)
		Eventually(func(g Gomega) {
			get(g, src)
			ready := condition(src.Status.Conditions, "Ready")
			g.Expect(ready.Status).To(BeEquivalentTo("False"))
			g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonCredentialsNotOptedIn))
			g.Expect(ready.Message).To(Equal(`credentials: Secret unlabelled (spec.prometheus.auth.secretRef) is not offered to ` +
				`MetricSources: add the label growth.scaleup.io/metric-credentials: "true" to it`))
			g.Expect(condition(src.Status.Conditions, "Reconciling").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
		raw, err := json.Marshal(src)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(raw)).NotTo(ContainSubstring(secretToken))

		By("labelling the Secret; the source reads it at its next poll, without an edit")
		labelled := secret.DeepCopy()
		labelled.Labels = map[string]string{v1alpha1.LabelMetricCredentials: "true"}
		Expect(k8sClient.Patch(ctx, labelled, client.MergeFrom(secret))).To(Succeed())
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(condition(src.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(src.Status.Values).To(HaveLen(1))
		}).Should(Succeed())
	})
})

// credentialsSecret is a Secret holding secretToken, offered to MetricSources.
func credentialsSecret(ns, name string) *corev1.Secret {
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name,
			Labels: map[string]string{v1alpha1.LabelMetricCredentials: "true"}},
		Data: map[string][]byte{"token": []byte(secretToken)},
	}
}
