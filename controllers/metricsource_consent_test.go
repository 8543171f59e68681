package controllers_test

import (
	"context"
	"encoding/json"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/promfake"
)

// A MetricSource may name only Secrets its author may read, and the
// operator reads only Secrets offered to MetricSources with a label. Two
// users edit sources in one namespace: alice may get the Secret, bob may
// not; both may create and edit MetricSources.
var _ = Describe("MetricSource credentials", func() {
	var (
		ns    string
		prom  *promfake.Server
		alice client.Client
		bob   client.Client
	)

	BeforeEach(func() {
		ns = newNamespace()
		prom = promfake.New()
		DeferCleanup(prom.Close)
		prom.Set("acme_csat", 85)
		prom.RequireToken(secretToken)
		create(credentialsSecret(ns, "prom-auth"))

		grant(ns, "source-editor", rbacv1.PolicyRule{
			APIGroups: []string{v1alpha1.GroupVersion.Group}, Resources: []string{"metricsources"},
			Verbs: []string{"get", "create", "update", "patch"},
		}, "alice", "bob")
		grant(ns, "token-reader", rbacv1.PolicyRule{
			APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{"prom-auth"}, Verbs: []string{"get"},
		}, "alice")
		alice, bob = clientAs("alice"), clientAs("bob")
	})

	promSource := func(name, secret string) *v1alpha1.MetricSource {
		src := &v1alpha1.MetricSource{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.MetricSourceSpec{
				Type:     v1alpha1.MetricSourcePrometheus,
				Interval: &metav1.Duration{Duration: 5 * time.Second},
				Prometheus: &v1alpha1.PrometheusSource{
					Address: prom.URL,
					Queries: []v1alpha1.PrometheusQuery{{Metric: "csat", Query: "acme_csat"}},
				},
			},
		}
		if secret != "" {
			src.Spec.Prometheus.Auth = &v1alpha1.HTTPAuth{SecretRef: v1alpha1.LocalObjectReference{Name: secret}}
		}
		return src
	}
	deniedFor := func(user, field string) string {
		return field + `: user "` + user + `" may not get Secret "prom-auth" in namespace "` + ns + `"`
	}

	It("admits a source naming a Secret only from a user who may get that Secret", func() {
		ctx := context.Background()
		src := promSource("alices", "prom-auth")
		Expect(alice.Create(ctx, src)).To(Succeed())
		DeferCleanup(func() { _ = k8sClient.Delete(ctx, src) })
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(condition(src.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())

		err := bob.Create(ctx, promSource("bobs", "prom-auth"))
		Expect(apierrors.IsForbidden(err)).To(BeTrue(), "%v", err)
		Expect(err.Error()).To(ContainSubstring(deniedFor("bob", "spec.prometheus.auth.secretRef.name")))

		By("bob's source without credentials is admitted")
		plain := promSource("bobs-plain", "")
		Expect(bob.Create(ctx, plain)).To(Succeed())
		DeferCleanup(func() { _ = k8sClient.Delete(ctx, plain) })
	})

	It("lets another user edit a source without checking the references it already had, unless the edit sends them elsewhere", func() {
		ctx := context.Background()
		src := promSource("alices", "prom-auth")
		Expect(alice.Create(ctx, src)).To(Succeed())
		DeferCleanup(func() { _ = k8sClient.Delete(ctx, src) })

		By("bob changes the interval")
		edited := src.DeepCopy()
		edited.Spec.Interval = &metav1.Duration{Duration: time.Minute}
		Expect(bob.Patch(ctx, edited, client.MergeFrom(src))).To(Succeed())

		By("bob points the source at another server")
		other := promfake.New()
		DeferCleanup(other.Close)
		moved := edited.DeepCopy()
		moved.Spec.Prometheus.Address = other.URL
		err := bob.Patch(ctx, moved, client.MergeFrom(edited))
		Expect(apierrors.IsForbidden(err)).To(BeTrue(), "%v", err)
		Expect(err.Error()).To(ContainSubstring(deniedFor("bob", "spec.prometheus.auth.secretRef.name")))

		By("alice may")
		Expect(alice.Patch(ctx, moved, client.MergeFrom(edited))).To(Succeed())
	})

	It("reads a Secret only once it carries the opt-in label, warning at admission until then", func() {
		ctx := context.Background()
		secret := credentialsSecret(ns, "unlabelled")
		secret.Labels = nil
		create(secret)
		src := promSource("prom", "unlabelled")
		Expect(createWithWarnings(src)).To(Equal([]string{
			`spec.prometheus.auth.secretRef.name: Secret "unlabelled" lacks the label growth.scaleup.io/metric-credentials: "true"; ` +
				`the source does not read it until it has the label`,
		}))
		DeferCleanup(func() { _ = k8sClient.Delete(ctx, src) })
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

// grant gives users rule in ns with a Role and a RoleBinding.
func grant(ns, name string, rule rbacv1.PolicyRule, users ...string) {
	GinkgoHelper()
	create(&rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Rules: []rbacv1.PolicyRule{rule}})
	b := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: name},
	}
	for _, u := range users {
		b.Subjects = append(b.Subjects, rbacv1.Subject{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: u})
	}
	create(b)
	// The API server's authorizer learns of new bindings from a watch.
	for _, u := range users {
		for _, verb := range rule.Verbs {
			attrs := &authorizationv1.ResourceAttributes{Namespace: ns, Verb: verb,
				Group: rule.APIGroups[0], Resource: rule.Resources[0]}
			if len(rule.ResourceNames) > 0 {
				attrs.Name = rule.ResourceNames[0]
			}
			Eventually(func(g Gomega) bool {
				sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{User: u, ResourceAttributes: attrs}}
				g.Expect(k8sClient.Create(context.Background(), sar)).To(Succeed())
				return sar.Status.Allowed
			}).Should(BeTrue(), "%s may %s %s", u, verb, rule.Resources[0])
		}
	}
}

// clientAs is a client that acts as user, through impersonation.
func clientAs(user string) client.Client {
	GinkgoHelper()
	c := rest.CopyConfig(cfg)
	c.Impersonate = rest.ImpersonationConfig{UserName: user, Groups: []string{"system:authenticated"}}
	cl, err := client.New(c, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())
	return cl
}
