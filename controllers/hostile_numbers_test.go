package controllers_test

import (
	"context"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

// Numbers JSON cannot carry and duplicate keys, sent the way kubectl apply
// sends them: as a server-side apply patch of the YAML itself, which the
// client does not re-encode. The apiserver refuses them before the schema
// or the webhook sees the object; NaN and Inf are refused while decoding
// the patch, so that message names the value, not the field. Nothing is
// stored.
var _ = Describe("Hostile numbers and keys", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	// numericFields is every numeric spec field of the base manifests: the
	// text to replace, the replacement with VALUE for the number, and the
	// field's path in the apiserver's message (server-side apply names an
	// item of a map list by its key).
	numericFields := []struct{ base, from, to, field string }{
		{sourceYAML, "responseHours: 6", "responseHours: VALUE", "spec.reported.values.responseHours"},
		{planYAML, "heroes: 4", "heroes: VALUE", "spec.team.heroes"},
		{planYAML, "contactsPerWeek: 1000", "contactsPerWeek: VALUE", "spec.demand.contactsPerWeek"},
		{planYAML, "multiplier: 3.0", "multiplier: VALUE", `spec.peakSeasons[name="black-friday"].multiplier`},
		{planYAML, "share: 0.4", "share: VALUE", `spec.channels[channel="Phone"].share`},
		{planYAML, "handlingMinutes: 9", "handlingMinutes: VALUE", `spec.channels[channel="Phone"].handlingMinutes`},
		{planYAML, "concurrency: 3", "concurrency: VALUE", `spec.channels[channel="Chat"].concurrency`},
		{partnerYAML, "revenue: 100", "revenue: VALUE", "spec.results.revenue"},
		{partnerYAML, "revenue: 100", "revenue: 100, visits: VALUE", "spec.results.visits"},
		{programYAML, "percent: 8", "percent: VALUE", `spec.partnerTypes[name="Affiliate"].revenueShare.percent`},
		{programYAML, "fromRevenue: 50000", "fromRevenue: VALUE", `spec.partnerTypes[name="Distributor"].revenueShare.tiers[1].fromRevenue`},
		{programYAML, "maxPartners: 10", "maxPartners: VALUE", `spec.expansion.stages[name="pilot"].maxPartners`},
		{targetYAML, "metricSources: [{name: reported}]", "metricSources: [{name: reported}]\n  tasks: {maxOpen: VALUE}", "spec.tasks.maxOpen"},
	}

	apply := func(base, from, to string) error {
		GinkgoHelper()
		obj := &unstructured.Unstructured{} // the object to patch: kind, name, namespace
		Expect(yaml.Unmarshal([]byte(base), &obj.Object)).To(Succeed())
		obj.SetName(ns)
		obj.SetNamespace(ns)
		body := strings.ReplaceAll(strings.ReplaceAll(strings.Replace(base, from, to, 1), "NAME", ns), "NS", ns)
		Expect(body).NotTo(Equal(strings.ReplaceAll(strings.ReplaceAll(base, "NAME", ns), "NS", ns)), "the case must change the manifest")
		return k8sClient.Patch(context.Background(), obj, client.RawPatch(types.ApplyPatchType, []byte(body)),
			client.FieldOwner("hostile-test"), client.FieldValidation("Strict"))
	}

	It("refuses NaN and infinities in every numeric field", func() {
		for _, f := range numericFields {
			for _, v := range []string{".nan", ".inf", "-.inf"} {
				err := apply(f.base, f.from, strings.Replace(f.to, "VALUE", v, 1))
				Expect(err).To(MatchError(ContainSubstring("unsupported value")), "%s: %s", f.field, v)
			}
		}
	})

	It("refuses a number beyond a double in every numeric field, naming it", func() {
		var unnamed []string
		for _, f := range numericFields {
			err := apply(f.base, f.from, strings.Replace(f.to, "VALUE", "1e309", 1))
			Expect(err).To(HaveOccurred(), f.field)
			if !strings.Contains(err.Error(), f.field) {
				unnamed = append(unnamed, f.field+": "+err.Error())
			}
		}
		Expect(unnamed).To(BeEmpty())
	})

	DescribeTable("refuses a key given twice, naming it",
		func(base, from, to, key string) {
			Expect(apply(base, from, to)).To(MatchError(ContainSubstring(key)))
		},
		Entry("a reported metric", sourceYAML, "responseHours: 6", "responseHours: 6, responseHours: 7", `"responseHours"`),
		Entry("partner revenue", partnerYAML, "revenue: 100", "revenue: 100, revenue: 200", `"revenue"`),
		Entry("support heroes", planYAML, "heroes: 4", "heroes: 4, heroes: 400", `"heroes"`),
		Entry("a target's model", targetYAML, "modelRef: {name: ecommerce}", "modelRef: {name: ecommerce, name: other}", `"name"`),
	)
})
