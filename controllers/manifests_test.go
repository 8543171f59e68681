package controllers_test

import (
	"context"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// Manifests admission tests start from: each is admitted as it is (the
// "Invalid manifests" table checks that), and a case changes one thing.
// NAME and NS are replaced by the test's own name and namespace.
const modelYAML = `
apiVersion: growth.scaleup.io/v1alpha1
kind: MaturityModel
metadata: {name: NAME}
spec:
  levels: [{name: Startup}, {name: GrowingPains}]
  stallCauses: [{name: ComplexityAndCost}]
  streams:
  - name: service
    objectives:
    - name: response
      owner: CustomerSupport
      causes: [ComplexityAndCost]
      criteria: [{level: GrowingPains, rule: "metrics.responseHours <= 8.0"}]
      projects: [{level: GrowingPains, title: Shared inbox, priority: High}]
`
const targetYAML = `
apiVersion: growth.scaleup.io/v1alpha1
kind: MaturityTarget
metadata: {name: NAME, namespace: NS}
spec:
  business: Acme
  modelRef: {name: ecommerce}
  targetLevel: GrowingPains
  metricSources: [{name: reported}]
`
const sourceYAML = `
apiVersion: growth.scaleup.io/v1alpha1
kind: MetricSource
metadata: {name: NAME, namespace: NS}
spec:
  type: Reported
  reported: {values: {responseHours: 6}}
`
const httpSourceYAML = `
apiVersion: growth.scaleup.io/v1alpha1
kind: MetricSource
metadata: {name: NAME, namespace: NS}
spec:
  type: HTTP
  interval: 30s
  http:
    url: http://shop.example/metrics.json
    headers: [{name: X-Api-Key, valueFrom: {name: shop-api, key: key}}]
    metrics: [{metric: firstResponseHours, expression: "body.support.firstResponseHours"}]
`
const promSourceYAML = `
apiVersion: growth.scaleup.io/v1alpha1
kind: MetricSource
metadata: {name: NAME, namespace: NS}
spec:
  type: Prometheus
  prometheus:
    address: http://prometheus.monitoring:9090
    queries: [{metric: availabilityPercent, query: "avg_over_time(up[30d]) * 100"}]
`
const planYAML = `
apiVersion: growth.scaleup.io/v1alpha1
kind: SupportPlan
metadata: {name: NAME, namespace: NS}
spec:
  business: Acme
  targetStage: RevenueTransition
  team: {heroes: 4}
  demand: {contactsPerWeek: 1000}
  peakSeasons: [{name: black-friday, start: "11-24", end: "12-01", multiplier: 3.0}]
  channels:
  - {channel: Phone, share: 0.4, handlingMinutes: 9}
  - {channel: Chat, share: 0.6, handlingMinutes: 8, concurrency: 3}
`
const programYAML = `
apiVersion: growth.scaleup.io/v1alpha1
kind: PartnerProgram
metadata: {name: NAME, namespace: NS}
spec:
  business: Acme
  partnerTypes:
  - {name: Affiliate, revenueShare: {percent: 8}}
  - {name: Distributor, revenueShare: {tiers: [{fromRevenue: 0, percent: 12}, {fromRevenue: 50000, percent: 15}]}}
  onboarding: {steps: [{name: agreement}, {name: training}]}
  expansion: {mode: Gradual, stages: [{name: pilot, maxPartners: 10}, {name: growth, maxPartners: 50}]}
`
const partnerYAML = `
apiVersion: growth.scaleup.io/v1alpha1
kind: Partner
metadata: {name: NAME, namespace: NS}
spec:
  programRef: {name: acme-partners}
  type: Affiliate
  joinedAt: "2026-05-04T09:00:00Z"
  results: {revenue: 100}
`
const taskYAML = `
apiVersion: growth.scaleup.io/v1alpha1
kind: ProjectTask
metadata: {name: NAME, namespace: NS}
spec:
  title: Shared inbox
  ownerRole: CustomerSupport
  source: {kind: MaturityTarget, name: shop}
`

// manifestObject parses manifest with from replaced by to; a manifest still
// named NAME takes name, a namespaced one takes ns.
func manifestObject(base, from, to, name, ns string) *unstructured.Unstructured {
	GinkgoHelper()
	manifest := strings.Replace(base, from, to, 1)
	Expect(manifest).NotTo(Equal(base), "the case must change the manifest")
	return parseManifest(manifest, name, ns)
}

// parseManifest parses manifest; one still named NAME takes name, a
// namespaced one takes ns.
func parseManifest(manifest, name, ns string) *unstructured.Unstructured {
	GinkgoHelper()
	obj := &unstructured.Unstructured{}
	Expect(yaml.Unmarshal([]byte(manifest), &obj.Object)).To(Succeed())
	if obj.GetName() == "NAME" {
		obj.SetName(name)
	}
	if obj.GetNamespace() != "" {
		obj.SetNamespace(ns)
	}
	return obj
}

// expectRefused creates the changed manifest and expects admission to
// refuse it with a message naming wantField. Nothing is stored.
func expectRefused(base, from, to, ns, wantField string) {
	GinkgoHelper()
	err := k8sClient.Create(context.Background(), manifestObject(base, from, to, ns, ns))
	Expect(err).To(HaveOccurred())
	Expect(err.Error()).To(ContainSubstring(wantField))
}
