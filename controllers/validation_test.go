package controllers_test

import (
	"context"
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Each manifest is wrong in one way; admission must reject it with a
// message that names the offending field. Nothing is stored.
var _ = Describe("Invalid manifests", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	// The cases below are rejected for what they change, not for something
	// wrong in the manifest they start from.
	It("start from manifests that are admitted, a target without metric sources too", func() {
		noSources := strings.Replace(targetYAML, "  metricSources: [{name: reported}]\n", "", 1)
		Expect(noSources).NotTo(Equal(targetYAML))
		withStages := strings.Replace(planYAML, "  team: {heroes: 4}", "  stages: [{stage: PreRevenue, rules: "+
			"[{name: heroes, rule: \"metrics.heroes >= 1.0\"}, {name: mix, rule: \"metrics.phoneVideoShare <= 0.5\"}]}]\n  team: {heroes: 4}", 1)
		Expect(withStages).NotTo(Equal(planYAML))
		// The polled sources are left out: stored, they would be polled.
		for i, manifest := range []string{modelYAML, targetYAML, sourceYAML, planYAML, programYAML, partnerYAML, taskYAML, noSources, withStages} {
			obj := parseManifest(manifest, fmt.Sprintf("%s-%d", ns, i), ns)
			Expect(k8sClient.Create(context.Background(), obj)).To(Succeed(), "manifest %d:\n%s", i, manifest)
		}
	})

	DescribeTable("are rejected with a message naming the field",
		func(base, from, to, wantField string) {
			expectRefused(base, from, to, ns, wantField)
		},
		Entry("rule with a syntax error", modelYAML, `metrics.responseHours <= 8.0`, `metrics.responseHours <=`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("rule that is not a bool", modelYAML, `metrics.responseHours <= 8.0`, `metrics.responseHours * 2.0`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("rule over an undeclared variable", modelYAML, `metrics.responseHours <= 8.0`, `revenue > 1.0`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("rule reading a previous value by a name no source can report", modelYAML, `metrics.responseHours <= 8.0`,
			`previous['response-hours'] >= 1.0`, "spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("comparison period below 1h", modelYAML, "  stallCauses:", "  comparisonPeriod: 30m\n  stallCauses:", "spec.comparisonPeriod"),
		Entry("comparison period above a year", modelYAML, "  stallCauses:", "  comparisonPeriod: 9000h\n  stallCauses:", "spec.comparisonPeriod"),
		Entry("criterion at an unknown level", modelYAML, `criteria: [{level: GrowingPains`, `criteria: [{level: Unicorn`,
			"spec.streams[0].objectives[0].criteria[0].level"),
		Entry("project at an unknown level", modelYAML, `projects: [{level: GrowingPains`, `projects: [{level: Unicorn`,
			"spec.streams[0].objectives[0].projects[0].level"),
		Entry("objective pointing to an unknown stall cause", modelYAML, `causes: [ComplexityAndCost]`, `causes: [Gremlins]`,
			"spec.streams[0].objectives[0].causes[0]"),
		Entry("duplicate level names", modelYAML, `{name: GrowingPains}]`, `{name: Startup}]`, "spec.levels[1]"),
		Entry("a single level", modelYAML, `levels: [{name: Startup}, {name: GrowingPains}]`, `levels: [{name: Startup}]`,
			"spec.levels"),
		Entry("empty streams", modelYAML, "streams:\n  - name: service", "streams: []\n  oldStreams:\n  - name: service", "spec.streams"),
		Entry("duplicate objective names", modelYAML, "      projects: [{level: GrowingPains, title: Shared inbox, priority: High}]\n",
			"      projects: [{level: GrowingPains, title: Shared inbox, priority: High}]\n    - {name: response, owner: IT}\n",
			"spec.streams[0].objectives[1]"),
		Entry("owner role that does not exist", modelYAML, `owner: CustomerSupport`, `owner: Intern`,
			"spec.streams[0].objectives[0].owner"),
		Entry("stream name that is not a DNS label", modelYAML, `- name: service`, `- name: Customer_Service`,
			"spec.streams[0].name"),
		Entry("unknown project priority", modelYAML, `priority: High`, `priority: Urgent`,
			"spec.streams[0].objectives[0].projects[0].priority"),
		Entry("negative maxOpen", targetYAML, "metricSources: [{name: reported}]", "metricSources: [{name: reported}]\n  tasks: {maxOpen: -1}",
			"spec.tasks.maxOpen"),
		Entry("unknown task mode", targetYAML, "metricSources: [{name: reported}]", "metricSources: [{name: reported}]\n  tasks: {mode: Sometimes}",
			"spec.tasks.mode"),
		Entry("dueIn that is not a duration", targetYAML, "metricSources: [{name: reported}]", "metricSources: [{name: reported}]\n  tasks: {dueIn: soon}",
			"spec.tasks.dueIn"),
		Entry("interval below 10s", targetYAML, "metricSources: [{name: reported}]", "metricSources: [{name: reported}]\n  interval: 1s",
			"spec.interval"),
		Entry("missing modelRef", targetYAML, "modelRef: {name: ecommerce}", "", "spec.modelRef"),
		Entry("empty target level", targetYAML, "targetLevel: GrowingPains", `targetLevel: ""`, "spec.targetLevel"),
		Entry("a metric source named twice", targetYAML, "[{name: reported}]", "[{name: reported}, {name: reported}]",
			"spec.metricSources"),
		Entry("an exemption without a reason", targetYAML, "[{name: reported}]",
			"[{name: reported}]"+exemptionsYAML(`{stream: service, objective: response, reason: " ", approver: ops}`), "reason must not be blank"),
		Entry("an exemption without an approver", targetYAML, "[{name: reported}]",
			"[{name: reported}]"+exemptionsYAML(`{stream: service, objective: response, reason: waiting, approver: ""}`), "spec.exemptions[0].approver"),
		Entry("an exemption without an expiry", targetYAML, "[{name: reported}]",
			"[{name: reported}]\n  exemptions: [{stream: service, objective: response, reason: waiting, approver: ops}]", "spec.exemptions[0].expiresAt"),
		Entry("an objective exempted twice", targetYAML, "[{name: reported}]",
			"[{name: reported}]"+exemptionsYAML(`{stream: service, objective: response, reason: a, approver: b}`, `{stream: service, objective: response, reason: c, approver: d}`),
			"spec.exemptions must not name an objective twice"),
		Entry("stabilization with both a count and a duration", targetYAML, "[{name: reported}]",
			"[{name: reported}]\n  stabilization: {evaluations: 3, duration: 1h}", "set exactly one of stabilization.evaluations and stabilization.duration"),
		Entry("stabilization over zero evaluations", targetYAML, "[{name: reported}]",
			"[{name: reported}]\n  stabilization: {evaluations: 0}", "spec.stabilization.evaluations"),
		Entry("an objective weight of zero", modelYAML, "owner: CustomerSupport", "owner: CustomerSupport\n      weight: 0",
			"spec.streams[0].objectives[0].weight"),
		Entry("Reported source without values", sourceYAML, "reported: {values: {responseHours: 6}}", "", "spec.reported"),
		Entry("metric name that is not an identifier", sourceYAML, "responseHours: 6", `"response hours": 6`, "spec.reported.values"),
		Entry("unknown source type", sourceYAML, "type: Reported", "type: Guess", "spec.type"),
		Entry("maxAge that is not a duration", sourceYAML, "type: Reported", "type: Reported\n  maxAge: a-month", "spec.maxAge"),
		Entry("HTTP expression that does not compile", httpSourceYAML, `body.support.firstResponseHours"`, `body.support. +"`,
			"spec.http.metrics[0].expression"),
		Entry("HTTP expression that cannot be a number", httpSourceYAML, `"body.support.firstResponseHours"`, `"'fast'"`,
			"spec.http.metrics[0].expression"),
		Entry("header with both a value and a Secret", httpSourceYAML, "valueFrom: {name: shop-api, key: key}",
			"value: x, valueFrom: {name: shop-api, key: key}", "spec.http.headers[0]"),
		Entry("HTTP url without a scheme", httpSourceYAML, "url: http://shop.example", "url: shop.example", "spec.http.url"),
		Entry("poll interval below 5s", httpSourceYAML, "interval: 30s", "interval: 1s", "spec.interval"),
		Entry("HTTP timeout above 30s", httpSourceYAML, "    metrics:", "    timeout: 1m\n    metrics:", "timeout must be at most 30s"),
		Entry("HTTP response limit above 4 MiB", httpSourceYAML, "    metrics:", "    maxResponseBytes: 16777216\n    metrics:",
			"spec.http.maxResponseBytes"),
		Entry("Prometheus timeout above 30s", promSourceYAML, "    queries:", "    timeout: 31s\n    queries:", "timeout must be at most 30s"),
		Entry("Prometheus source without its block", promSourceYAML, "type: Prometheus", "type: HTTP", "spec.http is required"),
		Entry("Prometheus metric name that is not an identifier", promSourceYAML, "metric: availabilityPercent",
			"metric: availability-percent", "spec.prometheus.queries[0].metric"),
		Entry("Prometheus source with reported values too", promSourceYAML, "  prometheus:", "  reported: {values: {a: 1}}\n  prometheus:",
			"set only the one of spec.reported, spec.prometheus, spec.http and spec.objects"),
		Entry("Objects source without spec.objects", sourceYAML, "type: Reported\n  reported: {values: {responseHours: 6}}",
			"type: Objects", "spec.objects is required when spec.type is Objects"),
		Entry("spec.objects on a Reported source", sourceYAML, "  reported:", "  objects: {supportPlanRef: {name: support}}\n  reported:",
			"spec.objects is allowed only when spec.type is Objects"),
		Entry("Objects source naming no object", sourceYAML, "type: Reported\n  reported: {values: {responseHours: 6}}",
			"type: Objects\n  objects: {}", "spec.objects needs supportPlanRef, partnerProgramRef or both"),
		Entry("Objects source naming a plan of another namespace", sourceYAML, "type: Reported\n  reported: {values: {responseHours: 6}}",
			"type: Objects\n  objects: {supportPlanRef: {name: other/support}}", "spec.objects.supportPlanRef.name"),
		Entry("channel shares that do not sum to 1", planYAML, "share: 0.6", "share: 0.5", "spec.channels"),
		Entry("negative contacts", planYAML, "contactsPerWeek: 1000", "contactsPerWeek: -5", "spec.demand.contactsPerWeek"),
		Entry("unknown channel", planYAML, "channel: Phone", "channel: Pigeon", "spec.channels[0].channel"),
		Entry("negative heroes", planYAML, "heroes: 4", "heroes: -1", "spec.team.heroes"),
		Entry("a peak day that is not MM-DD", planYAML, `end: "12-01"`, `end: "13-01"`, "spec.peakSeasons[0].end"),
		Entry("a peak ending before it starts", planYAML, `start: "11-24", end: "12-01"`, `start: "12-01", end: "11-24"`,
			"end is before start: set wrapsNewYear: true"),
		Entry("a zero peak multiplier", planYAML, "multiplier: 3.0", "multiplier: 0.0", "spec.peakSeasons[0].multiplier"),
		Entry("concurrency below 1", planYAML, "concurrency: 3", "concurrency: 0.5", "spec.channels[1].concurrency"),
		Entry("utilisation above 1", planYAML, "team: {heroes: 4}", "team: {heroes: 4, targetUtilisation: 1.5}", "spec.team.targetUtilisation"),
		Entry("a share above 1", planYAML, "share: 0.4", "share: 1.4", "spec.channels[0].share"),
		Entry("duplicate onboarding step names", programYAML, "{name: training}", "{name: agreement}", "spec.onboarding.steps[1]"),
		Entry("revenue tiers out of order", programYAML, "fromRevenue: 50000", "fromRevenue: 0", "tiers must be in increasing order"),
		Entry("a revenue share both flat and tiered", programYAML, "revenueShare: {percent: 8}", "revenueShare: {percent: 8, tiers: [{fromRevenue: 0, percent: 1}]}",
			"set exactly one of percent and tiers"),
		Entry("a share above 100%", programYAML, "percent: 8", "percent: 180", "spec.partnerTypes[0].revenueShare.percent"),
		Entry("gradual expansion without stages", programYAML, ", stages: [{name: pilot, maxPartners: 10}, {name: growth, maxPartners: 50}]", "",
			"spec.expansion.stages is required"),
		Entry("stages that shrink", programYAML, "maxPartners: 50", "maxPartners: 5", "maxPartners in increasing order"),
		Entry("an activation target above 1", programYAML, "  onboarding:", "  targets: {activationRate: 60}\n  onboarding:", "spec.targets.activationRate"),
		Entry("negative partner revenue", partnerYAML, "revenue: 100", "revenue: -100", "spec.results.revenue"),
		Entry("a partner without a program", partnerYAML, "  programRef: {name: acme-partners}\n", "", "spec.programRef"),
		Entry("task state people cannot set", taskYAML, "ownerRole: CustomerSupport", "ownerRole: CustomerSupport\n  state: Abandoned",
			"spec.state"),
		Entry("task without a title", taskYAML, "title: Shared inbox", "", "spec.title"),
	)
})

// exemptionsYAML is a spec.exemptions block of the given entries, each
// with an expiry added.
func exemptionsYAML(entries ...string) string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = strings.TrimSuffix(e, "}") + `, expiresAt: "2026-06-01T00:00:00Z"}`
	}
	return "\n  exemptions: [" + strings.Join(out, ", ") + "]"
}
