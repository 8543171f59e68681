package controllers_test

import (
	"context"
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// Each manifest is wrong in one way; admission must reject it with a
// message that names the offending field. Nothing is stored.
var _ = Describe("Invalid manifests", func() {
	const model = `
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
	const target = `
apiVersion: growth.scaleup.io/v1alpha1
kind: MaturityTarget
metadata: {name: NAME, namespace: NS}
spec:
  business: Acme
  modelRef: {name: ecommerce}
  targetLevel: GrowingPains
  metricSources: [{name: reported}]
`
	const source = `
apiVersion: growth.scaleup.io/v1alpha1
kind: MetricSource
metadata: {name: NAME, namespace: NS}
spec:
  type: Reported
  reported: {values: {responseHours: 6}}
`
	const httpSource = `
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
	const promSource = `
apiVersion: growth.scaleup.io/v1alpha1
kind: MetricSource
metadata: {name: NAME, namespace: NS}
spec:
  type: Prometheus
  prometheus:
    address: http://prometheus.monitoring:9090
    queries: [{metric: availabilityPercent, query: "avg_over_time(up[30d]) * 100"}]
`
	const plan = `
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
	const program = `
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
	const partner = `
apiVersion: growth.scaleup.io/v1alpha1
kind: Partner
metadata: {name: NAME, namespace: NS}
spec:
  programRef: {name: acme-partners}
  type: Affiliate
  joinedAt: "2026-05-04T09:00:00Z"
  results: {revenue: 100}
`
	const task = `
apiVersion: growth.scaleup.io/v1alpha1
kind: ProjectTask
metadata: {name: NAME, namespace: NS}
spec:
  title: Shared inbox
  ownerRole: CustomerSupport
  source: {kind: MaturityTarget, name: shop}
`
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	// The cases below are rejected for what they change, not for something
	// wrong in the manifest they start from.
	It("start from manifests that are admitted, a target without metric sources too", func() {
		noSources := strings.Replace(target, "  metricSources: [{name: reported}]\n", "", 1)
		Expect(noSources).NotTo(Equal(target))
		for i, manifest := range []string{model, target, source, noSources} {
			obj := &unstructured.Unstructured{}
			Expect(yaml.Unmarshal([]byte(manifest), &obj.Object)).To(Succeed())
			obj.SetName(fmt.Sprintf("%s-%d", ns, i))
			if obj.GetNamespace() != "" {
				obj.SetNamespace(ns)
			}
			Expect(k8sClient.Create(context.Background(), obj)).To(Succeed(), "manifest %d:\n%s", i, manifest)
		}
	})

	DescribeTable("are rejected with a message naming the field",
		func(base, from, to, wantField string) {
			manifest := strings.Replace(base, from, to, 1)
			Expect(manifest).NotTo(Equal(base), "the case must change the manifest")
			obj := &unstructured.Unstructured{}
			Expect(yaml.Unmarshal([]byte(manifest), &obj.Object)).To(Succeed())
			obj.SetName(ns)
			if obj.GetNamespace() != "" {
				obj.SetNamespace(ns)
			}
			err := k8sClient.Create(context.Background(), obj)
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(ContainSubstring(wantField))
		},
		Entry("rule with a syntax error", model, `metrics.responseHours <= 8.0`, `metrics.responseHours <=`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("rule that is not a bool", model, `metrics.responseHours <= 8.0`, `metrics.responseHours * 2.0`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("rule over an undeclared variable", model, `metrics.responseHours <= 8.0`, `revenue > 1.0`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("criterion at an unknown level", model, `criteria: [{level: GrowingPains`, `criteria: [{level: Unicorn`,
			"spec.streams[0].objectives[0].criteria[0].level"),
		Entry("project at an unknown level", model, `projects: [{level: GrowingPains`, `projects: [{level: Unicorn`,
			"spec.streams[0].objectives[0].projects[0].level"),
		Entry("objective pointing to an unknown stall cause", model, `causes: [ComplexityAndCost]`, `causes: [Gremlins]`,
			"spec.streams[0].objectives[0].causes[0]"),
		Entry("duplicate level names", model, `{name: GrowingPains}]`, `{name: Startup}]`, "spec.levels[1]"),
		Entry("a single level", model, `levels: [{name: Startup}, {name: GrowingPains}]`, `levels: [{name: Startup}]`,
			"spec.levels"),
		Entry("empty streams", model, "streams:\n  - name: service", "streams: []\n  oldStreams:\n  - name: service", "spec.streams"),
		Entry("duplicate objective names", model, "      projects: [{level: GrowingPains, title: Shared inbox, priority: High}]\n",
			"      projects: [{level: GrowingPains, title: Shared inbox, priority: High}]\n    - {name: response, owner: IT}\n",
			"spec.streams[0].objectives[1]"),
		Entry("owner role that does not exist", model, `owner: CustomerSupport`, `owner: Intern`,
			"spec.streams[0].objectives[0].owner"),
		Entry("stream name that is not a DNS label", model, `- name: service`, `- name: Customer_Service`,
			"spec.streams[0].name"),
		Entry("unknown project priority", model, `priority: High`, `priority: Urgent`,
			"spec.streams[0].objectives[0].projects[0].priority"),
		Entry("negative maxOpen", target, "metricSources: [{name: reported}]", "metricSources: [{name: reported}]\n  tasks: {maxOpen: -1}",
			"spec.tasks.maxOpen"),
		Entry("unknown task mode", target, "metricSources: [{name: reported}]", "metricSources: [{name: reported}]\n  tasks: {mode: Sometimes}",
			"spec.tasks.mode"),
		Entry("dueIn that is not a duration", target, "metricSources: [{name: reported}]", "metricSources: [{name: reported}]\n  tasks: {dueIn: soon}",
			"spec.tasks.dueIn"),
		Entry("interval below 10s", target, "metricSources: [{name: reported}]", "metricSources: [{name: reported}]\n  interval: 1s",
			"spec.interval"),
		Entry("missing modelRef", target, "modelRef: {name: ecommerce}", "", "spec.modelRef"),
		Entry("empty target level", target, "targetLevel: GrowingPains", `targetLevel: ""`, "spec.targetLevel"),
		Entry("a metric source named twice", target, "[{name: reported}]", "[{name: reported}, {name: reported}]",
			"spec.metricSources"),
		Entry("Reported source without values", source, "reported: {values: {responseHours: 6}}", "", "spec.reported"),
		Entry("metric name that is not an identifier", source, "responseHours: 6", `"response hours": 6`, "spec.reported.values"),
		Entry("unknown source type", source, "type: Reported", "type: Guess", "spec.type"),
		Entry("maxAge that is not a duration", source, "type: Reported", "type: Reported\n  maxAge: a-month", "spec.maxAge"),
		Entry("HTTP expression that does not compile", httpSource, `body.support.firstResponseHours"`, `body.support. +"`,
			"spec.http.metrics[0].expression"),
		Entry("HTTP expression that cannot be a number", httpSource, `"body.support.firstResponseHours"`, `"'fast'"`,
			"spec.http.metrics[0].expression"),
		Entry("header with both a value and a Secret", httpSource, "valueFrom: {name: shop-api, key: key}",
			"value: x, valueFrom: {name: shop-api, key: key}", "spec.http.headers[0]"),
		Entry("HTTP url without a scheme", httpSource, "url: http://shop.example", "url: shop.example", "spec.http.url"),
		Entry("poll interval below 5s", httpSource, "interval: 30s", "interval: 1s", "spec.interval"),
		Entry("HTTP timeout above 30s", httpSource, "    metrics:", "    timeout: 1m\n    metrics:", "timeout must be at most 30s"),
		Entry("HTTP response limit above 4 MiB", httpSource, "    metrics:", "    maxResponseBytes: 16777216\n    metrics:",
			"spec.http.maxResponseBytes"),
		Entry("Prometheus timeout above 30s", promSource, "    queries:", "    timeout: 31s\n    queries:", "timeout must be at most 30s"),
		Entry("Prometheus source without its block", promSource, "type: Prometheus", "type: HTTP", "spec.http is required"),
		Entry("Prometheus metric name that is not an identifier", promSource, "metric: availabilityPercent",
			"metric: availability-percent", "spec.prometheus.queries[0].metric"),
		Entry("Prometheus source with reported values too", promSource, "  prometheus:", "  reported: {values: {a: 1}}\n  prometheus:",
			"set only the one of spec.reported, spec.prometheus and spec.http"),
		Entry("channel shares that do not sum to 1", plan, "share: 0.6", "share: 0.5", "spec.channels"),
		Entry("negative contacts", plan, "contactsPerWeek: 1000", "contactsPerWeek: -5", "spec.demand.contactsPerWeek"),
		Entry("unknown channel", plan, "channel: Phone", "channel: Pigeon", "spec.channels[0].channel"),
		Entry("negative heroes", plan, "heroes: 4", "heroes: -1", "spec.team.heroes"),
		Entry("a peak day that is not MM-DD", plan, `end: "12-01"`, `end: "13-01"`, "spec.peakSeasons[0].end"),
		Entry("a peak ending before it starts", plan, `start: "11-24", end: "12-01"`, `start: "12-01", end: "11-24"`,
			"end is before start: set wrapsNewYear: true"),
		Entry("a zero peak multiplier", plan, "multiplier: 3.0", "multiplier: 0.0", "spec.peakSeasons[0].multiplier"),
		Entry("concurrency below 1", plan, "concurrency: 3", "concurrency: 0.5", "spec.channels[1].concurrency"),
		Entry("utilisation above 1", plan, "team: {heroes: 4}", "team: {heroes: 4, targetUtilisation: 1.5}", "spec.team.targetUtilisation"),
		Entry("a share above 1", plan, "share: 0.4", "share: 1.4", "spec.channels[0].share"),
		Entry("duplicate onboarding step names", program, "{name: training}", "{name: agreement}", "spec.onboarding.steps[1]"),
		Entry("revenue tiers out of order", program, "fromRevenue: 50000", "fromRevenue: 0", "tiers must be in increasing order"),
		Entry("a revenue share both flat and tiered", program, "revenueShare: {percent: 8}", "revenueShare: {percent: 8, tiers: [{fromRevenue: 0, percent: 1}]}",
			"set exactly one of percent and tiers"),
		Entry("a share above 100%", program, "percent: 8", "percent: 180", "spec.partnerTypes[0].revenueShare.percent"),
		Entry("gradual expansion without stages", program, ", stages: [{name: pilot, maxPartners: 10}, {name: growth, maxPartners: 50}]", "",
			"spec.expansion.stages is required"),
		Entry("stages that shrink", program, "maxPartners: 50", "maxPartners: 5", "maxPartners in increasing order"),
		Entry("an activation target above 1", program, "  onboarding:", "  targets: {activationRate: 60}\n  onboarding:", "spec.targets.activationRate"),
		Entry("negative partner revenue", partner, "revenue: 100", "revenue: -100", "spec.results.revenue"),
		Entry("a partner without a program", partner, "  programRef: {name: acme-partners}\n", "", "spec.programRef"),
		Entry("task state people cannot set", task, "ownerRole: CustomerSupport", "ownerRole: CustomerSupport\n  state: Abandoned",
			"spec.state"),
		Entry("task without a title", task, "title: Shared inbox", "", "spec.title"),
	)
})
