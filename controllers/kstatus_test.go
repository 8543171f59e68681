package controllers_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// passState is how a kind's last pass ended, in the error policy's terms.
type passState string

const (
	waiting  passState = "waiting"    // for an object it references
	current  passState = "reconciled" // Ready
	stalled  passState = "stalled"    // on its spec, or its model's
	retrying passState = "retrying"   // after a transient error
)

// kstatusOf is what kstatus, and so Flux's health checks, Argo CD and
// `kubectl wait`, must read from each state.
var kstatusOf = map[passState]status.Status{
	waiting:  status.InProgressStatus,
	current:  status.CurrentStatus,
	stalled:  status.FailedStatus,
	retrying: status.InProgressStatus,
}

// conditioned is every kind of the API.
type conditioned interface {
	client.Object
	GetConditions() []metav1.Condition
}

// Every kind, driven into every state it can reach, reads as kstatus
// expects. The states no object can reach are not listed: a MaturityModel
// references nothing and makes no API call, so it neither waits nor
// retries; admission rejects every MetricSource spec its providers would
// refuse, so none stalls; a PartnerProgram has no spec check beyond
// admission; a Partner reads only from the cache; a ProjectTask is only
// ever Current. A MetricSource that cannot read its Secret retries, but
// this suite's manager reads with full rights: TestCredentialReadErrors
// covers it.
var _ = Describe("kstatus", func() {
	DescribeTable("reads each kind's state from its conditions",
		func(setup func(ns string) conditioned, state passState, reason string) {
			obj := setup(newNamespace())
			Eventually(func(g Gomega) {
				get(g, obj)
				g.Expect(condition(obj.GetConditions(), v1alpha1.ConditionReady).Reason).To(Equal(reason))
				u := toUnstructured(obj)
				if state == retrying {
					// The first pass failed: the status holds nothing but
					// the conditions that say why.
					g.Expect(u.Object["status"]).To(HaveKey("conditions"))
					g.Expect(u.Object["status"]).To(HaveLen(1))
				}
				res, err := status.Compute(u)
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(res.Status).To(Equal(kstatusOf[state]), res.Message)
			}).Should(Succeed())
		},

		Entry("MaturityModel reconciled (Succeeded)", func(ns string) conditioned {
			return created(testModel(ns))
		}, current, v1alpha1.ReasonSucceeded),
		Entry("MaturityModel stalled (InvalidRule)", Serial, func(ns string) conditioned {
			withoutValidatingWebhook()
			return brokenModel(ns)
		}, stalled, v1alpha1.ReasonInvalidRule),

		Entry("MaturityTarget waiting (ModelNotFound)", func(ns string) conditioned {
			return created(target(ns, "shop", ns, "HighPerformance", "later"))
		}, waiting, v1alpha1.ReasonModelNotFound),
		Entry("MaturityTarget waiting (MetricSourceNotFound)", func(ns string) conditioned {
			create(testModel(ns))
			return created(target(ns, "shop", ns, "HighPerformance", "later"))
		}, waiting, v1alpha1.ReasonMetricSourceNotFound),
		Entry("MaturityTarget reconciled (Succeeded)", func(ns string) conditioned {
			create(testModel(ns))
			create(reportedSource(ns, "reported", atGrowingPains()))
			return created(target(ns, "shop", ns, "HighPerformance", "reported"))
		}, current, v1alpha1.ReasonSucceeded),
		Entry("MaturityTarget stalled (UnknownLevel)", func(ns string) conditioned {
			create(testModel(ns))
			return created(target(ns, "shop", ns, "Unicorn", "later"))
		}, stalled, v1alpha1.ReasonUnknownLevel),
		Entry("MaturityTarget retrying (TaskApplyFailed)", func(ns string) conditioned {
			freezeTasks(ns)
			create(testModel(ns))
			create(reportedSource(ns, "reported", atGrowingPains()))
			return created(target(ns, "shop", ns, "HighPerformance", "reported"))
		}, retrying, v1alpha1.ReasonTaskApplyFailed),

		Entry("MetricSource waiting (CredentialsUnavailable)", func(ns string) conditioned {
			return created(&v1alpha1.MetricSource{
				ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "prom"},
				Spec: v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourcePrometheus, Prometheus: &v1alpha1.PrometheusSource{
					Address: "http://127.0.0.1:9090",
					Queries: []v1alpha1.PrometheusQuery{{Metric: "csat", Query: "acme_csat"}},
					Auth:    &v1alpha1.HTTPAuth{SecretRef: v1alpha1.LocalObjectReference{Name: "not-yet"}},
				}},
			})
		}, waiting, v1alpha1.ReasonCredentialsUnavailable),
		Entry("MetricSource reconciled (Succeeded)", func(ns string) conditioned {
			return created(reportedSource(ns, "reported", atGrowingPains()))
		}, current, v1alpha1.ReasonSucceeded),

		Entry("SupportPlan waiting (MetricSourceNotFound)", func(ns string) conditioned {
			plan := supportPlan(ns, 4)
			plan.Spec.MetricSources = []v1alpha1.LocalObjectReference{{Name: "later"}}
			return created(plan)
		}, waiting, v1alpha1.ReasonMetricSourceNotFound),
		Entry("SupportPlan reconciled (Succeeded)", func(ns string) conditioned {
			return created(supportPlan(ns, 4))
		}, current, v1alpha1.ReasonSucceeded),
		Entry("SupportPlan stalled (InvalidSpec)", func(ns string) conditioned {
			plan := supportPlan(ns, 4)
			plan.Spec.PeakSeasons[0].End = "04-31"
			return created(plan)
		}, stalled, v1alpha1.ReasonInvalidSpec),
		Entry("SupportPlan retrying (TaskApplyFailed)", func(ns string) conditioned {
			freezeTasks(ns)
			return created(supportPlan(ns, 4))
		}, retrying, v1alpha1.ReasonTaskApplyFailed),

		Entry("PartnerProgram waiting (MetricSourceNotFound)", func(ns string) conditioned {
			prog := partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen})
			prog.Spec.MetricSources = []v1alpha1.LocalObjectReference{{Name: "later"}}
			return created(prog)
		}, waiting, v1alpha1.ReasonMetricSourceNotFound),
		Entry("PartnerProgram reconciled (Succeeded)", func(ns string) conditioned {
			return created(partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}))
		}, current, v1alpha1.ReasonSucceeded),
		Entry("PartnerProgram retrying (TaskApplyFailed)", func(ns string) conditioned {
			freezeTasks(ns)
			prog, p := slowOnboarding(ns)
			create(p)
			return created(prog)
		}, retrying, v1alpha1.ReasonTaskApplyFailed),

		Entry("Partner waiting (ProgramNotFound)", func(ns string) conditioned {
			return created(partner(ns, "trailhead", fakeClock.Now()))
		}, waiting, v1alpha1.ReasonProgramNotFound),
		Entry("Partner reconciled (Succeeded)", func(ns string) conditioned {
			create(partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}))
			return created(partner(ns, "trailhead", fakeClock.Now()))
		}, current, v1alpha1.ReasonSucceeded),
		Entry("Partner stalled (InvalidSpec)", func(ns string) conditioned {
			create(partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}))
			p := partner(ns, "reseller", fakeClock.Now())
			p.Spec.Type = "Reseller"
			return created(p)
		}, stalled, v1alpha1.ReasonInvalidSpec),

		Entry("ProjectTask reconciled (Succeeded)", func(ns string) conditioned {
			return created(projectTask(ns, "inbox", fakeClock.Now().Add(time.Hour), v1alpha1.TaskOpen))
		}, current, v1alpha1.ReasonSucceeded),
	)
})

// created creates obj, deletes it when the test ends, and returns it.
func created[T client.Object](obj T) T {
	GinkgoHelper()
	create(obj)
	return obj
}
