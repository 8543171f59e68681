package v1alpha1

import (
	"context"
	"slices"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// The validators that only warn, called as the webhook server calls them,
// over a fake client holding what the manager's cache would.

// fakeReader is a client holding objects of growth.scaleup.io.
func fakeReader(objects ...client.Object) client.Reader {
	s := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(s); err != nil {
		panic(err)
	}
	return fake.NewClientBuilder().WithScheme(s).WithObjects(objects...).Build()
}

// validator is one kind's admission.Validator with the object to check.
type validator interface {
	create(context.Context) (admission.Warnings, error)
	update(context.Context) (admission.Warnings, error)
}

type check[T client.Object] struct {
	v   admission.Validator[T]
	obj T
}

func (c check[T]) create(ctx context.Context) (admission.Warnings, error) {
	return c.v.ValidateCreate(ctx, c.obj)
}

func (c check[T]) update(ctx context.Context) (admission.Warnings, error) {
	return c.v.ValidateUpdate(ctx, c.obj, c.obj)
}

func TestWarningValidators(t *testing.T) {
	inShop := func(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Namespace: "shop", Name: name} }
	model := ecommerceModel()
	reported := &v1alpha1.MetricSource{ObjectMeta: inShop("reported")}
	elsewhere := &v1alpha1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "other", Name: "prom"}}
	program := &v1alpha1.PartnerProgram{ObjectMeta: inShop("shop-partners"), Spec: v1alpha1.PartnerProgramSpec{
		PartnerTypes: []v1alpha1.PartnerType{{Name: "Affiliate"}},
		Onboarding:   v1alpha1.Onboarding{Steps: []v1alpha1.OnboardingStep{{Name: "agreement"}}},
	}}
	l := lookup{reader: fakeReader(model, reported, elsewhere, program)}

	sources := func(names ...string) []v1alpha1.LocalObjectReference {
		out := make([]v1alpha1.LocalObjectReference, len(names))
		for i, n := range names {
			out[i].Name = n
		}
		return out
	}
	target := func(model, level string, srcs ...string) validator {
		t := &v1alpha1.MaturityTarget{ObjectMeta: inShop("shop"), Spec: *targetSpec(model, level)}
		t.Spec.MetricSources = sources(srcs...)
		return check[*v1alpha1.MaturityTarget]{warnOnly[*v1alpha1.MaturityTarget](MaturityTargetValidator{lookup: l}.warnings), t}
	}
	supportPlan := func(srcs ...string) validator {
		p := plan("PreRevenue/heroes=metrics.heroes >= 1")
		p.Spec.MetricSources = sources(srcs...)
		return check[*v1alpha1.SupportPlan]{SupportPlanValidator{lookup: l}, p}
	}
	joined := metav1.NewTime(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	partner := func(program, typ string) validator {
		p := &v1alpha1.Partner{ObjectMeta: inShop("river-guides"),
			Spec: v1alpha1.PartnerSpec{ProgramRef: v1alpha1.LocalObjectReference{Name: program}, Type: typ, JoinedAt: joined}}
		return check[*v1alpha1.Partner]{warnOnly[*v1alpha1.Partner](PartnerValidator{lookup: l}.warnings), p}
	}
	partnerProgram := func(srcs ...string) validator {
		p := program.DeepCopy()
		p.Spec.MetricSources = sources(srcs...)
		return check[*v1alpha1.PartnerProgram]{warnOnly[*v1alpha1.PartnerProgram](PartnerProgramValidator{lookup: l}.warnings), p}
	}

	cases := []struct {
		name string
		v    validator
		want []string
	}{
		{"target that resolves", target("ecommerce-scaleup", "HighPerformance", "reported"), nil},
		{"target with a misspelt level and a missing source", target("ecommerce-scaleup", "High", "reported", "prom"), []string{
			`spec.targetLevel: "High" is not a level of MaturityModel ecommerce-scaleup (levels: Startup, GrowingPains, HighPerformance, EnterpriseGrade)`,
			`spec.metricSources[1].name: MetricSource "prom" not found in namespace shop; readers wait for it (MetricSources there: reported)`,
		}},
		{"target of a missing model", target("saas", "High"), []string{
			`spec.modelRef.name: MaturityModel "saas" not found; the target is evaluated once it exists (MaturityModels: ecommerce-scaleup)`,
		}},
		{"support plan that resolves", supportPlan("reported"), nil},
		{"support plan with a source of another namespace's name", supportPlan("prom"), []string{
			`spec.metricSources[0].name: MetricSource "prom" not found in namespace shop; readers wait for it (MetricSources there: reported)`,
		}},
		{"partner that fits", partner("shop-partners", "Affiliate"), nil},
		{"partner of an unknown type", partner("shop-partners", "Reseller"), []string{
			`spec.type: unknown type "Reseller", must be one of Affiliate (PartnerProgram shop-partners)`,
		}},
		{"partner of a missing program", partner("partners", "Affiliate"), []string{
			`spec.programRef.name: PartnerProgram "partners" not found in namespace shop; the partner waits for it (PartnerPrograms there: shop-partners)`,
		}},
		{"program that resolves", partnerProgram("reported"), nil},
		{"program with a missing source", partnerProgram("reportd"), []string{
			`spec.metricSources[0].name: MetricSource "reportd" not found in namespace shop; readers wait for it (MetricSources there: reported)`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for op, validate := range map[string]func(context.Context) (admission.Warnings, error){"create": tc.v.create, "update": tc.v.update} {
				warns, err := validate(context.Background())
				if err != nil {
					t.Fatalf("%s refused: %v", op, err)
				}
				if !slices.Equal(warns, tc.want) {
					t.Errorf("%s warned %q\nwant %q", op, warns, tc.want)
				}
			}
		})
	}
}

// TestWarnOnlyIgnoresDeletion: an object on its way out gets no advice,
// and a delete is never looked at.
func TestWarnOnlyIgnoresDeletion(t *testing.T) {
	asked := 0
	w := warnOnly[*v1alpha1.MaturityTarget](func(context.Context, *v1alpha1.MaturityTarget) admission.Warnings {
		asked++
		return admission.Warnings{"advice"}
	})
	gone := &v1alpha1.MaturityTarget{ObjectMeta: metav1.ObjectMeta{Name: "shop", DeletionTimestamp: &metav1.Time{}, Finalizers: []string{"x"}}}
	if warns, err := w.ValidateUpdate(context.Background(), gone, gone); warns != nil || err != nil {
		t.Errorf("update of a deleted object: %q, %v", warns, err)
	}
	if warns, err := w.ValidateDelete(context.Background(), gone); warns != nil || err != nil {
		t.Errorf("delete: %q, %v", warns, err)
	}
	if asked != 0 {
		t.Errorf("asked for advice %d times", asked)
	}
}
