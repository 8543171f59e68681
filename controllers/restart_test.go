package controllers_test

import (
	"maps"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	dto "github.com/prometheus/client_model/go"
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var _ = Describe("A manager restart", Serial, func() {
	It("re-evaluates every target without duplicating tasks or writing anything", func() {
		ns := newNamespace()
		create(testModel(ns))
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		create(t)

		// Before the restart, every write of the first evaluation has landed:
		// each task carries the conditions of both controllers that write it
		// (the target's Resolved, the task's own Ready and Overdue), and the
		// resourceVersions read the same twice in a row.
		var names []string
		versions := map[string]string{}
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 2}))
			list := tasksOf(g, ns, "shop")
			g.Expect(list).To(HaveLen(2))
			seen := map[string]string{t.Name: t.ResourceVersion}
			names = nil
			for _, task := range list {
				names = append(names, task.Name)
				g.Expect(task.Status.ObservedGeneration).To(Equal(task.Generation))
				for _, typ := range []string{v1alpha1.ConditionReady, v1alpha1.ConditionOverdue, v1alpha1.ConditionResolved} {
					g.Expect(meta.FindStatusCondition(task.Status.Conditions, typ)).NotTo(BeNil(), "task %s has no %s condition yet", task.Name, typ)
				}
				seen[task.Name] = task.ResourceVersion
			}
			stable := maps.Equal(seen, versions)
			versions = seen
			g.Expect(stable).To(BeTrue(), "resourceVersions still moving")
		}).Should(Succeed())
		targetVersion := t.ResourceVersion

		stopManager()
		before := reconcileCount("maturitytarget")
		startManager()
		// The new manager lists every object and reconciles it once.
		Eventually(func() float64 { return reconcileCount("maturitytarget") }).Should(BeNumerically(">", before))

		Consistently(func(g Gomega) {
			get(g, t)
			g.Expect(t.ResourceVersion).To(Equal(targetVersion), "an unchanged evaluation writes nothing")
			list := tasksOf(g, ns, "shop")
			g.Expect(list).To(HaveLen(2))
			for _, task := range list {
				g.Expect(names).To(ContainElement(task.Name))
				g.Expect(task.ResourceVersion).To(Equal(versions[task.Name]))
			}
		}).Should(Succeed())
	})
})

// reconcileCount reads controller-runtime's reconcile counter for one
// controller from the metrics registry every manager registers with.
func reconcileCount(controller string) float64 {
	GinkgoHelper()
	families, err := metrics.Registry.Gather()
	Expect(err).NotTo(HaveOccurred())
	var total float64
	for _, f := range families {
		if f.GetName() != "controller_runtime_reconcile_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			if labelValue(m, "controller") == controller {
				total += m.GetCounter().GetValue()
			}
		}
	}
	return total
}

func labelValue(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}
