package e2e

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// objectsScenario is one business across kinds: a MaturityTarget whose only
// objective reads the capacity gap of the business's SupportPlan through an
// Objects MetricSource. The plan has no peak season and no growth, so its
// figures do not depend on the day: 1000 contacts a week by email at 6
// minutes are 100 hero hours, 32 hours per hero (40 at 80%): 4 heroes
// needed; with 2 the gap is 2. The source is applied before the plan: it
// waits for it.
const objectsScenario = `
apiVersion: growth.scaleup.io/v1alpha1
kind: MaturityModel
metadata: {name: objects-e2e}
spec:
  levels: [{name: Startup}, {name: GrowingPains}]
  stallCauses: [{name: ComplexityAndCost}]
  streams:
  - name: support
    objectives:
    - name: capacity
      owner: CustomerSupport
      causes: [ComplexityAndCost]
      criteria: [{level: GrowingPains, rule: "metrics.supportCapacityGap <= 0.0"}]
---
apiVersion: v1
kind: Namespace
metadata: {name: objects-e2e}
---
apiVersion: growth.scaleup.io/v1alpha1
kind: MetricSource
metadata: {name: support-figures, namespace: objects-e2e}
spec:
  type: Objects
  objects: {supportPlanRef: {name: support}}
---
apiVersion: growth.scaleup.io/v1alpha1
kind: MaturityTarget
metadata: {name: shop, namespace: objects-e2e}
spec:
  business: Objects Outfitters
  modelRef: {name: objects-e2e}
  targetLevel: GrowingPains
  metricSources: [{name: support-figures}]
`

const objectsPlan = `
apiVersion: growth.scaleup.io/v1alpha1
kind: SupportPlan
metadata: {name: support, namespace: objects-e2e}
spec:
  business: Objects Outfitters
  targetStage: PreRevenue
  team: {heroes: 2, hoursPerHeroPerWeek: 40, targetUtilisation: 0.8}
  demand: {contactsPerWeek: 1000}
  channels: [{channel: Email, share: 1, handlingMinutes: 6}]
`

var _ = Describe("one business across kinds", Ordered, func() {
	const ns = "objects-e2e"

	AfterEach(func() {
		if CurrentSpecReport().Failed() {
			state, _ := kubectl("get", "scaleup", "-n", ns, "-o", "yaml")
			_, _ = fmt.Fprintf(GinkgoWriter, "namespace %s:\n%s\nmanager log (tail):\n%s\n", ns, state, managerLogTail())
		}
	})
	AfterAll(func() {
		_, _ = kubectl("delete", "namespace", ns, "--wait=false")
		_, _ = kubectl("delete", "maturitymodel", "objects-e2e", "--wait=false")
	})

	wait := func(obj, condition string) {
		GinkgoHelper()
		_, err := kubectlWithTimeout(3*time.Minute, "wait", "-n", ns, "--for="+condition, "--timeout=2m", obj)
		Expect(err).NotTo(HaveOccurred())
	}

	It("waits for a SupportPlan that does not exist yet", func() {
		Eventually(func() error { // the webhook may still be coming up
			_, err := kubectlStdin(objectsScenario, "apply", "-f", "-")
			return err
		}).WithTimeout(time.Minute).Should(Succeed())
		wait("metricsource/support-figures", "condition=Reconciling")
		Expect(kubectl("get", "-n", ns, "metricsource/support-figures",
			"-o", `jsonpath={.status.conditions[?(@.type=="Ready")].reason}`)).To(Equal("ObjectNotFound"))
	})

	It("publishes the plan once it exists: 2 heroes missing, the target below its level", func() {
		_, err := kubectlStdin(objectsPlan, "apply", "-f", "-")
		Expect(err).NotTo(HaveOccurred())
		wait("metricsource/support-figures", "condition=Ready")
		wait("metricsource/support-figures", `jsonpath={.status.values[?(@.name=="supportCapacityGap")].value}=2`)
		wait("maturitytarget/shop", "condition=Ready")
		wait("maturitytarget/shop", "condition=TargetMet=False")
		Expect(kubectl("get", "-n", ns, "maturitytarget/shop", "-o", "jsonpath={.status.currentLevel}")).To(Equal("Startup"))
	})

	It("raises the target's level when the plan's gap closes", func() {
		_, err := kubectl("patch", "-n", ns, "supportplan/support", "--type=merge", "-p", `{"spec":{"team":{"heroes":4}}}`)
		Expect(err).NotTo(HaveOccurred())
		wait("metricsource/support-figures", `jsonpath={.status.values[?(@.name=="supportCapacityGap")].value}=0`)
		wait("maturitytarget/shop", "condition=TargetMet")
		Expect(kubectl("get", "-n", ns, "maturitytarget/shop", "-o", "jsonpath={.status.currentLevel}")).To(Equal("GrowingPains"))
	})
})
