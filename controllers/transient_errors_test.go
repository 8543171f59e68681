package controllers_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// taskFreeze is the message of the admission policy freezeTasks installs.
const taskFreeze = "ProjectTasks are frozen in this namespace"

// freezeTasks makes the API server deny every ProjectTask create in ns with
// a ValidatingAdmissionPolicy, so the controllers' task writes fail there as
// they would on a real denial, and returns once the policy is in force. The
// returned function lifts it and returns once creates go through again.
func freezeTasks(ns string) (lift func()) {
	ctx := context.Background()
	policy := &admissionv1.ValidatingAdmissionPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "freeze-tasks-" + ns},
		Spec: admissionv1.ValidatingAdmissionPolicySpec{
			FailurePolicy: ptr.To(admissionv1.Fail),
			MatchConstraints: &admissionv1.MatchResources{ResourceRules: []admissionv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionv1.RuleWithOperations{
					Operations: []admissionv1.OperationType{admissionv1.Create},
					Rule: admissionv1.Rule{
						APIGroups: []string{v1alpha1.GroupVersion.Group}, APIVersions: []string{"*"}, Resources: []string{"projecttasks"},
					},
				},
			}}},
			Validations: []admissionv1.Validation{{Expression: "false", Message: taskFreeze}},
		},
	}
	binding := &admissionv1.ValidatingAdmissionPolicyBinding{
		ObjectMeta: metav1.ObjectMeta{Name: policy.Name},
		Spec: admissionv1.ValidatingAdmissionPolicyBindingSpec{
			PolicyName:        policy.Name,
			ValidationActions: []admissionv1.ValidationAction{admissionv1.Deny},
			MatchResources: &admissionv1.MatchResources{NamespaceSelector: &metav1.LabelSelector{
				MatchLabels: map[string]string{"kubernetes.io/metadata.name": ns},
			}},
		},
	}
	create(policy)
	create(binding)
	// The API server loads policies asynchronously: probe with a dry run.
	probe := func() error {
		t := projectTask(ns, "probe", fakeClock.Now(), v1alpha1.TaskOpen)
		return k8sClient.Create(ctx, t, client.DryRunAll)
	}
	Eventually(probe).Should(MatchError(ContainSubstring(taskFreeze)))
	return func() {
		GinkgoHelper()
		Expect(k8sClient.Delete(ctx, binding)).To(Succeed())
		Expect(k8sClient.Delete(ctx, policy)).To(Succeed())
		Eventually(probe).Should(Succeed())
	}
}

var _ = Describe("A transient error", func() {
	ctx := context.Background()

	It("fails a target's pass without writing any of its results, and the next pass completes it", func() {
		ns := newNamespace()
		create(testModel(ns))
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns, "GrowingPains", "reported")
		create(t)
		var last v1alpha1.MaturityTargetStatus
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.ObservedGeneration).To(Equal(t.Generation))
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(condition(t.Status.Conditions, "TargetMet").Status).To(BeEquivalentTo("True"))
			g.Expect(t.Status.Score).To(HaveField("Summary", "4/4"))
			last = t.Status
		}).Should(Succeed())

		lift := freezeTasks(ns)
		By("raising the target, which needs tasks the API server now denies")
		Eventually(func(g Gomega) {
			get(g, t)
			t.Spec.TargetLevel = "HighPerformance"
			g.Expect(k8sClient.Update(ctx, t)).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, t)
			ready := condition(t.Status.Conditions, "Ready")
			g.Expect(ready).To(SatisfyAll(
				HaveField("Status", BeEquivalentTo("False")), HaveField("Reason", "TaskApplyFailed"),
				HaveField("ObservedGeneration", t.Generation), HaveField("Message", ContainSubstring(taskFreeze))))
			g.Expect(condition(t.Status.Conditions, "Reconciling").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
		// Everything but Ready and Reconciling is the last complete pass's:
		// observedGeneration, score, TargetMet, task counts.
		Expect(t.Status.ObservedGeneration).To(Equal(last.ObservedGeneration))
		Expect(t.Status.ObservedGeneration).To(BeNumerically("<", t.Generation))
		for _, typ := range []string{"TargetMet", "MetricsAvailable"} {
			Expect(condition(t.Status.Conditions, typ)).To(Equal(condition(last.Conditions, typ)))
		}
		failed, kept := t.Status, last
		failed.Conditions, kept.Conditions = nil, nil
		Expect(failed).To(Equal(kept))
		Expect(tasksOf(Default, ns, "shop")).To(BeEmpty())
		Expect(status.Compute(toUnstructured(t))).To(HaveField("Status", status.InProgressStatus))

		By("lifting the denial, the retry completes the pass")
		lift()
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.ObservedGeneration).To(Equal(t.Generation))
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(condition(t.Status.Conditions, "Reconciling").Status).To(BeEquivalentTo("Absent"))
			g.Expect(condition(t.Status.Conditions, "TargetMet").Status).To(BeEquivalentTo("False"))
			g.Expect(t.Status.Score).To(HaveField("Summary", "2/4"))
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 2}))
		}).Should(Succeed())
		Expect(status.Compute(toUnstructured(t))).To(HaveField("Status", status.CurrentStatus))
	})
})
