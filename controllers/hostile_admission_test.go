package controllers_test

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
)

// Hostile manifests that a tenant could write to confuse a person reading
// them (look-alike letters, invisible or direction-changing characters), to
// reach out of its namespace, or to make the operator or the apiserver do
// unbounded work. Each is refused at admission, naming the field; nothing
// is stored. Cases that are admitted and reported in status are in
// hostile_status_test.go.
var _ = Describe("Hostile manifests", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	const (
		cyrillicE  = "\u0435" // looks like e
		cyrillicO  = "\u043e" // looks like o
		cyrillicA  = "\u0410" // looks like A
		zwj        = "\u200d" // zero-width joiner
		zwsp       = "\u200b" // zero-width space
		rtlOverrid = "\u202e" // right-to-left override
		bom        = "\ufeff" // zero-width no-break space
	)
	name253 := strings.Repeat("n", 253)
	name254 := strings.Repeat("n", 254)

	DescribeTable("are refused at admission with a message naming the field",
		func(base, from, to, wantField string) { expectRefused(base, from, to, ns, wantField) },

		// Look-alike, invisible and direction-changing characters in names
		// that rules, tasks and status refer to.
		Entry("stream name with a Cyrillic e", modelYAML, "- name: service", "- name: s"+cyrillicE+"rvice",
			"spec.streams[0].name"),
		Entry("objective name with a zero-width joiner", modelYAML, "- name: response", "- name: resp"+zwj+"onse",
			"spec.streams[0].objectives[0].name"),
		Entry("level name with a right-to-left override", modelYAML, "{name: GrowingPains}]", "{name: Growing"+rtlOverrid+"Pains}]",
			"spec.levels[1].name"),
		Entry("stall cause with a Cyrillic o", modelYAML, "stallCauses: [{name: ComplexityAndCost}]",
			"stallCauses: [{name: C"+cyrillicO+"mplexityAndCost}]", "spec.stallCauses[0].name"),
		Entry("cause reference ending in a zero-width space", modelYAML, "causes: [ComplexityAndCost]",
			"causes: [ComplexityAndCost"+zwsp+"]", "spec.streams[0].objectives[0].causes[0]"),
		Entry("reported metric with a Cyrillic e", sourceYAML, "responseHours: 6", "r"+cyrillicE+"sponseHours: 6", "spec.reported.values"),
		Entry("reported metric with a zero-width space", sourceYAML, "responseHours: 6", "response"+zwsp+"Hours: 6", "spec.reported.values"),
		Entry("reported metric with a byte-order mark", sourceYAML, "responseHours: 6", bom+"responseHours: 6", "spec.reported.values"),
		Entry("Prometheus metric behind a right-to-left override", promSourceYAML, "metric: availabilityPercent",
			"metric: "+rtlOverrid+"availabilityPercent", "spec.prometheus.queries[0].metric"),
		Entry("HTTP metric in full-width letters", httpSourceYAML, "metric: firstResponseHours",
			"metric: \uff46irstResponseHours", "spec.http.metrics[0].metric"),
		Entry("HTTP header name with a Cyrillic e", httpSourceYAML, "name: X-Api-Key", "name: X-Api-K"+cyrillicE+"y",
			"spec.http.headers[0].name"),
		Entry("partner type with a Cyrillic A", partnerYAML, "type: Affiliate", "type: "+cyrillicA+"ffiliate", "spec.type"),
		Entry("program partner type with a zero-width joiner", programYAML, "{name: Affiliate,", "{name: Affi"+zwj+"liate,",
			"spec.partnerTypes[0].name"),
		Entry("onboarding step with a Cyrillic a", programYAML, "{name: training}", "{name: tr\u0430ining}",
			"spec.onboarding.steps[1].name"),
		Entry("support channel with a Cyrillic o", planYAML, "channel: Phone", "channel: Ph"+cyrillicO+"ne", "spec.channels[0].channel"),
		Entry("metric source reference with a Cyrillic e", targetYAML, "[{name: reported}]", "[{name: r"+cyrillicE+"ported}]",
			"spec.metricSources[0].name"),
		Entry("model reference behind a right-to-left override", targetYAML, "modelRef: {name: ecommerce}",
			"modelRef: {name: "+rtlOverrid+"ecommerce}", "spec.modelRef.name"),

		// Maximum lengths: an object name at 253 characters does not make
		// room for anything else to be longer.
		Entry("a model name of 254 characters", modelYAML, "{name: NAME}", "{name: "+name254+"}", "metadata.name"),
		Entry("a target name of 254 characters", targetYAML, "{name: NAME,", "{name: "+name254+",", "metadata.name"),
		Entry("a 253-character model with a rule over 1024 characters", strings.Replace(modelYAML, "NAME", name253, 1),
			"metrics.responseHours <= 8.0", "metrics.responseHours <= 8.0"+strings.Repeat(" && metrics.responseHours <= 8.0", 34),
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("a 253-character target with a business name over 256", strings.Replace(targetYAML, "NAME", name253, 1),
			"business: Acme", "business: "+strings.Repeat("\u00c5", 257), "spec.business"),
		Entry("a 253-character target with a 64-character level", strings.Replace(targetYAML, "NAME", name253, 1),
			"targetLevel: GrowingPains", "targetLevel: "+strings.Repeat("L", 64), "spec.targetLevel"),
		Entry("a 253-character source with a 64-character metric", strings.Replace(sourceYAML, "NAME", name253, 1),
			"responseHours: 6", strings.Repeat("m", 64)+": 6", "spec.reported.values"),
		Entry("a Prometheus query over 4096 characters", promSourceYAML, `"avg_over_time(up[30d]) * 100"`,
			`"`+strings.Repeat("up + ", 820)+`up"`, "spec.prometheus.queries[0].query"),
		Entry("an HTTP url over 2048 characters", httpSourceYAML, "url: http://shop.example/metrics.json",
			"url: http://shop.example/"+strings.Repeat("a", 2048), "spec.http.url"),
		Entry("a project title over 200 characters", modelYAML, "title: Shared inbox", "title: "+strings.Repeat("\u0416", 201),
			"spec.streams[0].objectives[0].projects[0].title"),
		Entry("a partner role over 512 characters", programYAML, "{name: Affiliate,", "{name: Affiliate, role: "+strings.Repeat("r", 513)+",",
			"spec.partnerTypes[0].role"),

		// Names with "/" or ".." cannot reach another namespace.
		Entry("a metric source in another namespace", targetYAML, "[{name: reported}]", "[{name: other-ns/source}]",
			"spec.metricSources[0].name"),
		Entry("a model reference climbing out", targetYAML, "modelRef: {name: ecommerce}", "modelRef: {name: ../ecommerce}",
			"spec.modelRef.name"),
		Entry("a partner's program in another namespace", partnerYAML, "programRef: {name: acme-partners}",
			"programRef: {name: other-ns/acme-partners}", "spec.programRef.name"),
		Entry("a header Secret in kube-system", httpSourceYAML, "valueFrom: {name: shop-api,", "valueFrom: {name: kube-system/shop-api,",
			"spec.http.headers[0].valueFrom.name"),
		Entry("a support plan's source in another namespace", planYAML, "  team: {heroes: 4}",
			"  metricSources: [{name: default/reported}]\n  team: {heroes: 4}", "spec.metricSources[0].name"),
		Entry("a program's source given as a path", programYAML, "  onboarding:", "  metricSources: [{name: ../../etc}]\n  onboarding:",
			"spec.metricSources[0].name"),

		// Rules that try to see more than the metrics.
		Entry("a rule reading the namespace", modelYAML, "metrics.responseHours <= 8.0", `namespace == 'kube-system'`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("a rule reading the request", modelYAML, "metrics.responseHours <= 8.0", `request.userInfo.username == 'admin'`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("a rule reading the object", modelYAML, "metrics.responseHours <= 8.0", `self.metadata.namespace != ''`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("a rule reading a metric named like a path", modelYAML, "metrics.responseHours <= 8.0", `metrics['../x'] > 1.0`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("a rule reading a metric in another namespace", modelYAML, "metrics.responseHours <= 8.0", `metrics['other-ns/responseHours'] > 1.0`,
			"spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("a rule reading a metric spelled with a Cyrillic e", modelYAML, "metrics.responseHours <= 8.0",
			`metrics['r`+cyrillicE+`sponseHours'] <= 8.0`, "spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("a rule reading a metric behind a zero-width joiner", modelYAML, "metrics.responseHours <= 8.0",
			`has(metrics.responseHours) && metrics['response`+zwj+`Hours'] <= 8.0`, "spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("a rule of nested comprehensions above the cost limit", modelYAML, "metrics.responseHours <= 8.0",
			nestedComprehension(3, 60, "metrics.responseHours <= 8.0"), "spec.streams[0].objectives[0].criteria[0].rule"),
		Entry("a stage rule reading the request", planYAML, "  team: {heroes: 4}",
			"  stages: [{stage: PreRevenue, rules: [{name: admin, rule: \"request.userInfo.username == 'admin'\"}]}]\n  team: {heroes: 4}",
			"spec.stages[0].rules[0].rule"),
		Entry("a stage rule of nested comprehensions above the cost limit", planYAML, "  team: {heroes: 4}",
			"  stages: [{stage: PreRevenue, rules: [{name: loops, rule: \""+nestedComprehension(3, 60, "metrics.heroes >= 1.0")+"\"}]}]\n  team: {heroes: 4}",
			"spec.stages[0].rules[0].rule"),
		Entry("an HTTP expression of nested comprehensions", httpSourceYAML, `"body.support.firstResponseHours"`,
			`"`+nestedComprehension(3, 60, "true")+` ? 1.0 : 0.0"`, "spec.http.metrics[0].expression"),

		// Stage rules that do not compile or do not type-check are refused
		// like a model's criteria, at the field the user wrote.
		Entry("a stage rule that does not compile", planYAML, "  team: {heroes: 4}",
			"  stages:\n  - {stage: PreRevenue, rules: [{name: heroes, rule: \"metrics.heroes >= 1.0\"}]}\n"+
				"  - {stage: RevenueTransition, rules: [{name: mix, rule: \"metrics.phoneVideoShare <=\"}]}\n  team: {heroes: 4}",
			`spec.stages[1].rules[0].rule: Invalid value: rule "metrics.phoneVideoShare <=" does not compile`),
		Entry("a stage rule that does not type-check", planYAML, "  team: {heroes: 4}",
			"  stages:\n  - {stage: RevenueTransition, rules: [{name: mix, rule: \"metrics.phoneVideoShare <= 0.3\"},"+
				" {name: load, rule: \"metrics.contactsPerHero / 2.0\"}]}\n  team: {heroes: 4}",
			`spec.stages[0].rules[1].rule: Invalid value: rule "metrics.contactsPerHero / 2.0" does not compile: returns double, want bool`),

		// Dates no business can have: the schema bounds joinedAt, and
		// everything else is judged against it (hostile_status_test.go).
		Entry("a partner who joined in year 1", partnerYAML, `joinedAt: "2026-05-04T09:00:00Z"`, `joinedAt: "0001-01-01T00:00:01Z"`,
			"spec.joinedAt"),
		Entry("a partner who joins in year 9999", partnerYAML, `joinedAt: "2026-05-04T09:00:00Z"`, `joinedAt: "9999-12-31T23:59:59Z"`,
			"spec.joinedAt"),
		Entry("a join date that is not a date", partnerYAML, `joinedAt: "2026-05-04T09:00:00Z"`, `joinedAt: "2026-02-30T09:00:00Z"`,
			"spec.joinedAt"),
		Entry("a step completed at a date that is not a date", partnerYAML, "  results: {revenue: 100}",
			"  onboarding: {completed: [{step: agreement, at: \"+99999-01-01T00:00:00Z\"}]}\n  results: {revenue: 100}",
			"spec.onboarding.completed[0].at"),

		// Lists one item above their MaxItems.
		Entry("11 levels", modelYAML, "levels: [{name: Startup}, {name: GrowingPains}]",
			"levels: ["+flowList(11, "{name: L%d}")+", {name: Startup}, {name: GrowingPains}]", "spec.levels"),
		Entry("21 stall causes", modelYAML, "stallCauses: [{name: ComplexityAndCost}]",
			"stallCauses: ["+flowList(20, "{name: C%d}")+", {name: ComplexityAndCost}]", "spec.stallCauses"),
		Entry("11 criteria", modelYAML, `criteria: [{level: GrowingPains, rule: "metrics.responseHours <= 8.0"}]`,
			"criteria: ["+flowList(11, `{level: GrowingPains, rule: "metrics.m%d > 0.0"}`)+"]", "spec.streams[0].objectives[0].criteria"),
		Entry("6 causes on an objective", modelYAML, "causes: [ComplexityAndCost]", "causes: ["+flowList(6, "ComplexityAndCost")+"]",
			"spec.streams[0].objectives[0].causes"),
		Entry("257 reported values", sourceYAML, "{responseHours: 6}", "{"+flowList(257, "m%d: 1")+"}", "spec.reported.values"),
		Entry("21 metric sources", targetYAML, "[{name: reported}]", "["+flowList(21, "{name: s%d}")+"]", "spec.metricSources"),
		Entry("65 Prometheus queries", promSourceYAML, `queries: [{metric: availabilityPercent, query: "avg_over_time(up[30d]) * 100"}]`,
			"queries: ["+flowList(65, "{metric: m%d, query: up}")+"]", "spec.prometheus.queries"),
		Entry("21 HTTP headers", httpSourceYAML, "headers: [{name: X-Api-Key, valueFrom: {name: shop-api, key: key}}]",
			"headers: ["+flowList(21, "{name: X-H%d, value: v}")+"]", "spec.http.headers"),
		Entry("7 support channels", planYAML, "  - {channel: Phone, share: 0.4, handlingMinutes: 9}\n",
			strings.Repeat("  - {channel: Email, share: 0.0, handlingMinutes: 9}\n", 6)+"  - {channel: Phone, share: 0.4, handlingMinutes: 9}\n",
			"spec.channels"),
		Entry("13 peak seasons", planYAML, `peakSeasons: [{name: black-friday, start: "11-24", end: "12-01", multiplier: 3.0}]`,
			"peakSeasons: ["+flowList(13, `{name: p%d, start: "11-24", end: "12-01", multiplier: 3.0}`)+"]", "spec.peakSeasons"),
		Entry("21 onboarding steps", programYAML, "steps: [{name: agreement}, {name: training}]",
			"steps: ["+flowList(21, "{name: s%d}")+"]", "spec.onboarding.steps"),
		Entry("11 partner types", programYAML, "  - {name: Affiliate, revenueShare: {percent: 8}}\n",
			"  - {name: Affiliate, revenueShare: {percent: 8}}\n"+flowLines(10, "  - {name: T%d, revenueShare: {percent: 8}}"),
			"spec.partnerTypes"),
		Entry("21 completed steps", partnerYAML, "  results: {revenue: 100}",
			"  onboarding: {completed: ["+flowList(21, `{step: s%d, at: "2026-05-05T09:00:00Z"}`)+"]}\n  results: {revenue: 100}",
			"spec.onboarding.completed"),
	)
})

// nestedComprehension is a CEL expression of depth nested exists_one()
// macros, each over a literal list of n numbers, around inner: exists_one
// visits every item (all() may stop at the first false), so the cheapest
// evaluation costs at least n^depth.
func nestedComprehension(depth, n int, inner string) string {
	list := "[" + flowList(n, "%d") + "]"
	expr := inner
	for d := depth; d > 0; d-- {
		expr = fmt.Sprintf("%s.exists_one(x%d, %s)", list, d, expr)
	}
	return expr
}

// flowList is n items of format (given the index), comma-separated.
func flowList(n int, format string) string {
	items := make([]string, n)
	for i := range items {
		items[i] = strings.ReplaceAll(format, "%d", fmt.Sprint(i))
	}
	return strings.Join(items, ", ")
}

// flowLines is n lines of format (given the index).
func flowLines(n int, format string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.ReplaceAll(format, "%d", fmt.Sprint(i)) + "\n")
	}
	return b.String()
}
