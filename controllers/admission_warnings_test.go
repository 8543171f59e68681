package controllers_test

import (
	"context"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// A reference that does not resolve yet is admitted with a warning that
// names the field and the values that would resolve; the object is stored.
// The webhook reads the manager's cache, which may lag a moment behind the
// objects a test just created: an expectation that depends on them is
// first awaited with dry-run creates.
var _ = Describe("Admission warnings", func() {
	var ns string
	BeforeEach(func() {
		ns = newNamespace()
		create(testModel(ns))
		create(reportedSource(ns, "reported", atGrowingPains()))
	})

	It("name a target level the model does not have, and admit the target", func() {
		expectWarnings(target(ns, "shop", ns, "HighPerformace", "reported"), Equal([]string{
			`spec.targetLevel: "HighPerformace" is not a level of MaturityModel ` + ns + ` (levels: Startup, GrowingPains, HighPerformance)`,
		}))
	})

	It("name a model that does not exist and a missing MetricSource, listing only the sources of the namespace", func() {
		other := newNamespace()
		create(reportedSource(other, "elsewhere", atGrowingPains()))
		expectWarnings(target(other, "probe", ns, "HighPerformance", "elsewhere"), BeEmpty())

		expectWarnings(target(ns, "shop", ns+"-typo", "HighPerformance", "reported", "reportd"), SatisfyAll(
			HaveLen(2),
			HaveEach(Not(ContainSubstring("elsewhere"))),
			ContainElement(HavePrefix(`spec.modelRef.name: MaturityModel "`+ns+`-typo" not found; the target is evaluated once it exists (MaturityModels: `)),
			ContainElement(`spec.metricSources[1].name: MetricSource "reportd" not found in namespace `+ns+
				`; readers wait for it (MetricSources there: reported)`),
		))
	})

	It("are not given when every reference resolves", func() {
		expectWarnings(target(ns, "shop", ns, "HighPerformance", "reported"), BeEmpty())
	})

	It("name a Partner's missing program or unknown type, never a program of another namespace", func() {
		other := newNamespace()
		hidden := partnerProgram(other, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen})
		hidden.Name = "other-tenants-program"
		create(hidden)
		create(partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}))
		joined := fakeClock.Now().Add(-24 * time.Hour)
		probe := partner(other, "probe", joined)
		probe.Spec.ProgramRef.Name = hidden.Name
		expectWarnings(probe, BeEmpty())

		p := partner(ns, "typo-program", joined)
		p.Spec.ProgramRef.Name = hidden.Name
		expectWarnings(p, Equal([]string{
			`spec.programRef.name: PartnerProgram "other-tenants-program" not found in namespace ` + ns +
				`; the partner waits for it (PartnerPrograms there: partners)`,
		}))

		p = partner(ns, "typo-type", joined)
		p.Spec.Type = "Afiliate"
		expectWarnings(p, Equal([]string{
			`spec.type: unknown type "Afiliate", must be one of Affiliate, Distributor (PartnerProgram partners)`,
		}))
	})

	It("name a SupportPlan's and a PartnerProgram's missing MetricSources", func() {
		plan := supportPlan(ns, 4)
		plan.Spec.MetricSources = []v1alpha1.LocalObjectReference{{Name: "tickets"}}
		expectWarnings(plan, Equal([]string{
			`spec.metricSources[0].name: MetricSource "tickets" not found in namespace ` + ns + `; readers wait for it (MetricSources there: reported)`,
		}))
		prog := partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen})
		prog.Spec.MetricSources = []v1alpha1.LocalObjectReference{{Name: "reported"}, {Name: "tickets"}}
		expectWarnings(prog, Equal([]string{
			`spec.metricSources[1].name: MetricSource "tickets" not found in namespace ` + ns + `; readers wait for it (MetricSources there: reported)`,
		}))
	})
})

// expectWarnings waits, with dry-run creates, until creating obj draws
// warnings that match (the webhook's cache catching up with the objects
// the test made), then creates obj, checks its warnings match too and that
// it was stored. obj is deleted when the test ends.
func expectWarnings(obj client.Object, match types.GomegaMatcher) {
	GinkgoHelper()
	Eventually(func() []string {
		return createWithWarnings(obj.DeepCopyObject().(client.Object), client.DryRunAll)
	}).Should(match)
	Expect(createWithWarnings(obj)).To(match)
	DeferCleanup(func() { _ = k8sClient.Delete(context.Background(), obj) })
	Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(obj), obj.DeepCopyObject().(client.Object))).To(Succeed())
}

// warningsKey carries, in a request's context, where the API server's
// warnings for that request go.
type warningsKey struct{}

type warningList struct {
	mu   sync.Mutex
	list []string
}

// contextWarnings hands each warning to the list in the request's context.
type contextWarnings struct{}

func (contextWarnings) HandleWarningHeaderWithContext(ctx context.Context, code int, _ string, message string) {
	if l, ok := ctx.Value(warningsKey{}).(*warningList); ok && code == 299 {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.list = append(l.list, message)
	}
}

var (
	warnClientOnce sync.Once
	warnClient     client.Client
)

// createWithWarnings creates obj and returns the warnings of admission.
func createWithWarnings(obj client.Object, opts ...client.CreateOption) []string {
	GinkgoHelper()
	warnClientOnce.Do(func() {
		c := rest.CopyConfig(cfg)
		c.WarningHandler, c.WarningHandlerWithContext = nil, contextWarnings{}
		var err error
		warnClient, err = client.New(c, client.Options{Scheme: scheme})
		Expect(err).NotTo(HaveOccurred())
	})
	l := &warningList{}
	Expect(warnClient.Create(context.WithValue(context.Background(), warningsKey{}, l), obj, opts...)).To(Succeed())
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.list
}
