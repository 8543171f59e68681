package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/samples"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
	"github.com/scaleup-operator/scaleup-operator/internal/supportplan"
)

const (
	ns     = "acme"
	target = "maturitytarget/acme-shop"
)

// The objectives of the sample model that acme-reported leaves below
// HighPerformance (see config/samples/growth_v1alpha1_metricsource.yaml).
var gaps = []string{
	"response-time", "product-accuracy", "performance", "conversion",
	"process-integration", "management-reporting", "business-it-alignment",
}

// Values that lift the remaining gaps (all but response-time) to HighPerformance.
var closeRemainingGaps = map[string]float64{
	"productDataAccuracyPercent":    98,
	"pageLoadSeconds":               2,
	"conversionRatePercent":         2.4,
	"integrationCoveragePercent":    75,
	"reportingFreshnessHours":       12,
	"projectCompletionRatePercent":  80,
	"businessRequestResolutionDays": 15,
}

var _ = Describe("the operator on the samples", Ordered, func() {
	BeforeAll(func() {
		By("applying config/samples with their dates moved to today (retried while the webhook comes up)")
		appliedAt = time.Now()
		rendered, err := samples.Render(filepath.Join(root, "config", "samples"), appliedAt)
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() error {
			_, err := kubectlStdin(string(rendered), "apply", "-f", "-")
			return err
		}).WithTimeout(time.Minute).Should(Succeed())
	})

	AfterEach(func() {
		if CurrentSpecReport().Failed() {
			state, _ := kubectl("get", "maturitymodels,metricsources,maturitytargets,supportplans,partnerprograms,projecttasks", "-A")
			plans, _ := kubectl("get", "supportplans", "-A", "-o", "jsonpath={range .items[*]}{.metadata.name}: {.status.conditions}{\"\\n\"}{end}")
			state += "\n" + plans
			_, _ = fmt.Fprintf(GinkgoWriter, "state:\n%s\nmanager log (tail):\n%s\n", state, managerLogTail())
		}
	})

	It("reconciles every sample to Ready", func() {
		for _, obj := range []string{"maturitymodel/ecommerce-scaleup", "metricsource/acme-reported", "metricsource/acme-objects", target} {
			_, err := kubectlWithTimeout(3*time.Minute, "wait", "-n", ns, "--for=condition=Ready", "--timeout=2m", obj)
			Expect(err).NotTo(HaveOccurred())
		}
	})

	It("puts acme-shop at GrowingPains with 14/21 objectives at its target, TargetMet False", func() {
		Expect(targetField("{.status.currentLevel}")).To(Equal("GrowingPains"))
		Expect(targetField("{.status.nextLevel}")).To(Equal("HighPerformance"))
		Expect(targetField("{.status.score.summary}")).To(Equal("14/21"))
		Expect(targetField(`{.status.conditions[?(@.type=="TargetMet")].status}`)).To(Equal("False"))
	})

	It("opens ProjectTasks for every gap, with an owner role and owned by acme-shop", func() {
		uid, err := targetField("{.metadata.uid}")
		Expect(err).NotTo(HaveOccurred())
		Eventually(func(g Gomega) {
			tasks, err := projectTasks()
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(tasks).NotTo(BeEmpty())
			objectives := map[string]bool{}
			for _, t := range tasks {
				g.Expect(t.Spec.OwnerRole).To(BeElementOf(
					v1alpha1.OwnerProductManager, v1alpha1.OwnerMarketing, v1alpha1.OwnerIT,
					v1alpha1.OwnerSalesMarketing, v1alpha1.OwnerCustomerSupport, v1alpha1.OwnerPartnerManager),
					"task %s", t.Name)
				g.Expect(t.Spec.Source.Kind).To(Equal("MaturityTarget"), "task %s", t.Name)
				g.Expect(t.Spec.Source.Name).To(Equal("acme-shop"), "task %s", t.Name)
				owner := metav1.GetControllerOf(&t)
				g.Expect(owner).NotTo(BeNil(), "task %s has no controller owner reference", t.Name)
				g.Expect(owner.Kind).To(Equal("MaturityTarget"))
				g.Expect(owner.Name).To(Equal("acme-shop"))
				g.Expect(string(owner.UID)).To(Equal(uid))
				objectives[t.Spec.Source.Objective] = true
			}
			g.Expect(keys(objectives)).To(ConsistOf(gaps))
		}).Should(Succeed())
	})

	It("rejects a MaturityModel whose rule does not compile, in the webhook", func() {
		broken := `apiVersion: growth.scaleup.io/v1alpha1
kind: MaturityModel
metadata:
  name: e2e-broken
spec:
  levels: [{name: Low}, {name: High}]
  streams:
  - name: stream
    objectives:
    - name: objective
      owner: IT
      criteria:
      - level: High
        rule: "metrics.x >="
`
		// Only the webhook compiles rules (the CRD schema cannot), and it
		// returns an Invalid status that the apiserver passes through as is.
		_, err := kubectlStdin(broken, "apply", "-f", "-")
		Expect(err).To(MatchError(And(
			ContainSubstring(`The MaturityModel "e2e-broken" is invalid`),
			ContainSubstring(`spec.streams[0].objectives[0].criteria[0].rule`),
			ContainSubstring("does not compile"))))
		_, err = kubectl("get", "maturitymodel/e2e-broken")
		Expect(err).To(MatchError(ContainSubstring("NotFound")))
	})

	It("follows a reported metric: closing the response-time gap raises the score and resolves its tasks", func() {
		Expect(patchMetrics(map[string]float64{"firstResponseHours": 3})).To(Succeed())
		Eventually(func() (string, error) {
			return targetField("{.status.score.summary}")
		}).Should(Equal("15/21"))
		Expect(targetField("{.status.currentLevel}")).To(Equal("GrowingPains"))
		Eventually(func(g Gomega) {
			tasks, err := projectTasks()
			g.Expect(err).NotTo(HaveOccurred())
			for _, t := range tasks {
				resolved := meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionResolved)
				g.Expect(resolved).To(Equal(t.Spec.Source.Objective == "response-time"), "task %s resolved", t.Name)
			}
		}).Should(Succeed())
	})

	It("meets the target once every gap closes", func() {
		Expect(patchMetrics(closeRemainingGaps)).To(Succeed())
		Eventually(func() (string, error) {
			return targetField(`{.status.conditions[?(@.type=="TargetMet")].status}`)
		}).Should(Equal("True"))
		Expect(targetField("{.status.currentLevel}")).To(Equal("HighPerformance"))
		Expect(targetField("{.status.score.summary}")).To(Equal("21/21"))
		Eventually(func(g Gomega) {
			tasks, err := projectTasks()
			g.Expect(err).NotTo(HaveOccurred())
			for _, t := range tasks {
				g.Expect(meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionResolved)).
					To(BeTrue(), "task %s resolved", t.Name)
			}
		}).Should(Succeed())
	})

	// The next peak and the hire tasks depend on the day: the expectations
	// come from the sample plan projected on the day the manager sees, the
	// days before and after this spec's start and end (the spec may straddle
	// midnight).
	It("projects acme-shop's support plan to its next peak and opens hire tasks due by the hire-by date, or now", func() {
		_, err := kubectlWithTimeout(3*time.Minute, "wait", "-n", ns, "--for=condition=Ready", "--timeout=2m", "supportplan/acme-shop")
		Expect(err).NotTo(HaveOccurred())
		field := func(path string) string {
			out, err := kubectl("get", "-n", ns, "supportplan/acme-shop", "-o", "jsonpath="+path)
			Expect(err).NotTo(HaveOccurred())
			return out
		}
		Expect(field("{.status.heroes}")).To(Equal("6"))
		Expect(field(`{.status.conditions[?(@.type=="CapacitySufficient")].status}`)).To(Equal("False"))
		before := expectedSupport(time.Now())
		Eventually(func(g Gomega) {
			out, err := kubectl("get", "-n", ns, "projecttasks", "-l", "growth.scaleup.io/source-kind=SupportPlan,growth.scaleup.io/stream=capacity",
				"-o", `jsonpath={range .items[*]}{.spec.title}{"|"}{.spec.dueDate}{"\n"}{end}`)
			g.Expect(err).NotTo(HaveOccurred())
			after := expectedSupport(time.Now())
			nextPeak := field("{.status.nextPeak}")
			g.Expect(nextPeak).To(BeElementOf(before.nextPeak, after.nextPeak))
			want := before
			if nextPeak != before.nextPeak {
				want = after
			}
			g.Expect(want.hires).NotTo(BeEmpty(), "the sample plan needs hires on every day")
			tasks := map[string]string{} // title -> dueDate
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				title, due, _ := strings.Cut(line, "|")
				tasks[title] = due
			}
			for _, h := range want.hires {
				g.Expect(tasks).To(HaveKey(h.title))
				due, err := time.Parse(time.RFC3339, tasks[h.title])
				g.Expect(err).NotTo(HaveOccurred())
				if h.now {
					// Due when the manager opened it, after the samples were applied.
					g.Expect(due).To(BeTemporally(">=", appliedAt.Truncate(time.Second)), h.title)
				} else {
					g.Expect(due).To(BeTemporally("==", h.due), h.title)
				}
			}
		}).Should(Succeed())
	})

	It("runs acme's partner program: phases, the pilot stage's seats and a waitlist", func() {
		_, err := kubectlWithTimeout(3*time.Minute, "wait", "-n", ns, "--for=condition=Ready", "--timeout=2m", "partnerprogram/acme-partners")
		Expect(err).NotTo(HaveOccurred())
		Eventually(func(g Gomega) {
			stage, err := kubectl("get", "-n", ns, "partnerprogram/acme-partners", "-o", "jsonpath={.status.stage} {.status.partners} {.status.expansion}")
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(stage).To(Equal("pilot 8 Closed"))
			phase, err := kubectl("get", "-n", ns, "partner/wild-ads", "-o", "jsonpath={.status.phase}")
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(phase).To(Equal("Waitlisted"))
			phase, err = kubectl("get", "-n", ns, "partner/summit-blog", "-o", "jsonpath={.status.phase}")
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(phase).To(Equal("Churned"))
		}).Should(Succeed())
	})

	It("deletes acme-shop's ProjectTasks with it, through the garbage collector and their owner references", func() {
		if !cluster.ControllerManager {
			Skip("kube-controller-manager is not in KUBEBUILDER_ASSETS, so nothing garbage-collects " +
				"the ProjectTasks of a deleted MaturityTarget (hack/k8s-assets.sh builds it)")
		}
		Expect(cluster.ControllerManagerErr()).To(Succeed())
		tasks, err := projectTasks()
		Expect(err).NotTo(HaveOccurred())
		Expect(tasks).NotTo(BeEmpty())

		_, err = kubectlWithTimeout(time.Minute, "delete", "-n", ns, target, "--timeout=50s")
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() (string, error) {
			return kubectl("get", "projecttasks", "-n", ns, "-l", targetTasks, "-o", "name")
		}).WithTimeout(time.Minute).Should(BeEmpty(), func() string {
			state := "running"
			if err := cluster.ControllerManagerErr(); err != nil {
				state = err.Error()
			}
			return fmt.Sprintf("ProjectTasks left after acme-shop was deleted; kube-controller-manager %s, "+
				"its log (tail):\n%s", state, fileTail(cluster.ControllerManagerLog, 40))
		})
	})
})

// supportExpectation is what the manager must show for the sample support
// plan on a given day.
type supportExpectation struct {
	nextPeak string // status.nextPeak
	hires    []hireTask
}

// hireTask is a task that a capacity gap opens: due on its hire-by date, or
// now when that date has passed.
type hireTask struct {
	title string
	due   time.Time
	now   bool
}

// expectedSupport projects the sample support plan, as applied, on now.
func expectedSupport(now time.Time) supportExpectation {
	GinkgoHelper()
	b, err := os.ReadFile(filepath.Join(root, "config", "samples", "growth_v1alpha1_supportplan.yaml"))
	Expect(err).NotTo(HaveOccurred())
	var plan v1alpha1.SupportPlan
	Expect(yaml.UnmarshalStrict(b, &plan)).To(Succeed())
	in, err := supportplan.Input(&plan.Spec, nil, now)
	Expect(err).NotTo(HaveOccurred())
	p, err := support.Project(in)
	Expect(err).NotTo(HaveOccurred())
	Expect(p.NextPeak).NotTo(BeNil())
	want := supportExpectation{nextPeak: p.NextPeak.Name + " " + p.NextPeak.Start.Format(time.DateOnly)}
	for _, f := range supportplan.Findings(&plan.Spec, in, p) {
		if f.Type != v1alpha1.ConditionCapacitySufficient {
			continue
		}
		for _, g := range f.Gaps {
			Expect(g.Due.Before(now.Truncate(time.Second))).To(BeFalse(), "task %q due %s, before now", g.Templates[0].Title, g.Due)
			want.hires = append(want.hires, hireTask{title: g.Templates[0].Title, due: g.Due.Truncate(time.Second), now: !g.Due.After(now)})
		}
	}
	return want
}

// appliedAt is when the samples were applied.
var appliedAt time.Time

// targetTasks selects the ProjectTasks generated for MaturityTargets.
const targetTasks = "growth.scaleup.io/source-kind=MaturityTarget"

// targetField returns a field of acme-shop, selected with a jsonpath.
func targetField(path string) (string, error) {
	return kubectl("get", "-n", ns, target, "-o", "jsonpath="+path)
}

// projectTasks lists the ProjectTasks of MaturityTargets in namespace acme.
func projectTasks() ([]v1alpha1.ProjectTask, error) {
	out, err := kubectl("get", "-n", ns, "projecttasks", "-l", targetTasks, "-o", "json")
	if err != nil {
		return nil, err
	}
	var list v1alpha1.ProjectTaskList
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		return nil, err
	}
	return list.Items, nil
}

// patchMetrics sets reported values of the MetricSource acme-reported.
func patchMetrics(values map[string]float64) error {
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"reported": map[string]any{"values": values}}})
	if err != nil {
		return err
	}
	_, err = kubectl("patch", "-n", ns, "metricsource/acme-reported", "--type=merge", "-p", string(patch))
	return err
}

// kubectlStdin is kubectl with stdin.
func kubectlStdin(stdin string, args ...string) (string, error) {
	return kubectlWithInput(30*time.Second, strings.NewReader(stdin), args...)
}

// fileTail returns the last n lines of the file at path.
func fileTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
