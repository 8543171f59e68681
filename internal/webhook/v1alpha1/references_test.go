package v1alpha1

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func ecommerceModel() *v1alpha1.MaturityModel {
	m := &v1alpha1.MaturityModel{ObjectMeta: metav1.ObjectMeta{Name: "ecommerce-scaleup"}}
	for _, l := range []string{"Startup", "GrowingPains", "HighPerformance", "EnterpriseGrade"} {
		m.Spec.Levels = append(m.Spec.Levels, v1alpha1.Level{Name: l})
	}
	return m
}

func targetSpec(model, level string) *v1alpha1.MaturityTargetSpec {
	return &v1alpha1.MaturityTargetSpec{ModelRef: v1alpha1.ClusterObjectReference{Name: model}, TargetLevel: level}
}

func TestModelWarnings(t *testing.T) {
	cases := []struct {
		name   string
		spec   *v1alpha1.MaturityTargetSpec
		model  *v1alpha1.MaturityModel
		models []string
		want   []string
	}{
		{"resolves", targetSpec("ecommerce-scaleup", "HighPerformance"), ecommerceModel(), nil, nil},
		{"misspelt level", targetSpec("ecommerce-scaleup", "HighPerformace"), ecommerceModel(), nil, []string{
			`spec.targetLevel: "HighPerformace" is not a level of MaturityModel ecommerce-scaleup (levels: Startup, GrowingPains, HighPerformance, EnterpriseGrade)`,
		}},
		{"level in the wrong case", targetSpec("ecommerce-scaleup", "startup"), ecommerceModel(), nil, []string{
			`spec.targetLevel: "startup" is not a level of MaturityModel ecommerce-scaleup (levels: Startup, GrowingPains, HighPerformance, EnterpriseGrade)`,
		}},
		{"missing model, others listed sorted", targetSpec("ecommerce", "HighPerformance"), nil, []string{"saas", "ecommerce-scaleup"}, []string{
			`spec.modelRef.name: MaturityModel "ecommerce" not found; the target is evaluated once it exists (MaturityModels: ecommerce-scaleup, saas)`,
		}},
		{"no model at all", targetSpec("ecommerce", "HighPerformance"), nil, nil, []string{
			`spec.modelRef.name: MaturityModel "ecommerce" not found; the target is evaluated once it exists (MaturityModels: none)`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := modelWarnings(tc.spec, tc.model, tc.models); !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestSourceWarnings(t *testing.T) {
	refs := func(names ...string) []v1alpha1.LocalObjectReference {
		out := make([]v1alpha1.LocalObjectReference, len(names))
		for i, n := range names {
			out[i].Name = n
		}
		return out
	}
	cases := []struct {
		name     string
		refs     []v1alpha1.LocalObjectReference
		existing []string
		want     []string
	}{
		{"none named", nil, []string{"reported"}, nil},
		{"all exist", refs("reported", "prom"), []string{"prom", "reported", "other"}, nil},
		{"one misspelt", refs("prom", "reportd"), []string{"reported", "prom"}, []string{
			`spec.metricSources[1].name: MetricSource "reportd" not found in namespace acme; readers wait for it (MetricSources there: prom, reported)`,
		}},
		{"empty namespace", refs("a", "b"), nil, []string{
			`spec.metricSources[0].name: MetricSource "a" not found in namespace acme; readers wait for it (MetricSources there: none)`,
			`spec.metricSources[1].name: MetricSource "b" not found in namespace acme; readers wait for it (MetricSources there: none)`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := sourceWarnings("acme", tc.refs, tc.existing); !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestPartnerWarnings(t *testing.T) {
	joined := metav1.NewTime(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	partner := func(program, typ string, steps ...string) *v1alpha1.Partner {
		p := &v1alpha1.Partner{
			ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "p"},
			Spec:       v1alpha1.PartnerSpec{ProgramRef: v1alpha1.LocalObjectReference{Name: program}, Type: typ, JoinedAt: joined},
		}
		for _, s := range steps {
			p.Spec.Onboarding.Completed = append(p.Spec.Onboarding.Completed, v1alpha1.CompletedStep{Step: s, At: joined})
		}
		return p
	}
	program := &v1alpha1.PartnerProgram{
		ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "acme-partners"},
		Spec: v1alpha1.PartnerProgramSpec{
			PartnerTypes: []v1alpha1.PartnerType{{Name: "Affiliate"}, {Name: "Distributor"}},
			Onboarding:   v1alpha1.Onboarding{Steps: []v1alpha1.OnboardingStep{{Name: "agreement"}, {Name: "training"}}},
		},
	}
	cases := []struct {
		name     string
		partner  *v1alpha1.Partner
		program  *v1alpha1.PartnerProgram
		programs []string
		want     []string
	}{
		{"fits", partner("acme-partners", "Affiliate", "agreement"), program, nil, nil},
		{"missing program", partner("acme-partner", "Affiliate"), nil, []string{"acme-partners", "acme-pilot"}, []string{
			`spec.programRef.name: PartnerProgram "acme-partner" not found in namespace acme; the partner waits for it (PartnerPrograms there: acme-partners, acme-pilot)`,
		}},
		{"unknown type", partner("acme-partners", "Afiliate"), program, nil, []string{
			`spec.type: unknown type "Afiliate", must be one of Affiliate, Distributor (PartnerProgram acme-partners)`,
		}},
		{"unknown step", partner("acme-partners", "Affiliate", "kickoff"), program, nil, []string{
			`spec.onboarding.completed[0].step: unknown step "kickoff", must be one of agreement, training (PartnerProgram acme-partners)`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := partnerWarnings(tc.partner, tc.program, tc.programs); !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestReadinessWarnings(t *testing.T) {
	prog := func(gate *v1alpha1.ReadinessGate) *v1alpha1.PartnerProgram {
		return &v1alpha1.PartnerProgram{
			ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "acme-partners"},
			Spec:       v1alpha1.PartnerProgramSpec{Readiness: gate},
		}
	}
	gate := func(target, level string) *v1alpha1.ReadinessGate {
		return &v1alpha1.ReadinessGate{MaturityTargetRef: v1alpha1.LocalObjectReference{Name: target}, MinimumLevel: level}
	}
	target := &v1alpha1.MaturityTarget{ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "acme-shop"}}
	model := &v1alpha1.MaturityModel{
		ObjectMeta: metav1.ObjectMeta{Name: "ecommerce-scaleup"},
		Spec:       v1alpha1.MaturityModelSpec{Levels: []v1alpha1.Level{{Name: "Startup"}, {Name: "GrowingPains"}, {Name: "HighPerformance"}}},
	}
	cases := []struct {
		name    string
		prog    *v1alpha1.PartnerProgram
		target  *v1alpha1.MaturityTarget
		targets []string
		model   *v1alpha1.MaturityModel
		want    []string
	}{
		{"no gate", prog(nil), nil, nil, nil, nil},
		{"fits", prog(gate("acme-shop", "GrowingPains")), target, nil, model, nil},
		{"missing target", prog(gate("acme-shp", "GrowingPains")), nil, []string{"acme-shop"}, nil, []string{
			`spec.readiness.maturityTargetRef.name: MaturityTarget "acme-shp" not found in namespace acme; the program waits for it (MaturityTargets there: acme-shop)`,
		}},
		{"unknown level", prog(gate("acme-shop", "HighPerfomance")), target, nil, model, []string{
			`spec.readiness.minimumLevel: "HighPerfomance" is not a level of MaturityModel ecommerce-scaleup of MaturityTarget acme-shop (levels: Startup, GrowingPains, HighPerformance)`,
		}},
		{"the target's model missing: the target warns about it", prog(gate("acme-shop", "HighPerfomance")), target, nil, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := readinessWarnings(tc.prog, tc.target, tc.targets, tc.model); !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestWarningsBounded checks that however many and however long the names,
// warnings stay one line each, within the length the API server keeps,
// and few enough not to be dropped.
func TestWarningsBounded(t *testing.T) {
	var many []string
	for i := range 500 {
		many = append(many, fmt.Sprintf("source-%03d", i))
	}
	long := strings.Repeat("x", 253)
	var refs []v1alpha1.LocalObjectReference
	for i := range 20 {
		refs = append(refs, v1alpha1.LocalObjectReference{Name: fmt.Sprintf("%s%02d", long[:250], i)})
	}
	ws := warnings(
		modelWarnings(targetSpec(long, "x"), nil, append(many, long)),
		sourceWarnings(long[:63], refs, many),
	)
	if len(ws) != maxWarnings {
		t.Fatalf("got %d warnings, want %d", len(ws), maxWarnings)
	}
	total := 0
	for _, w := range ws {
		total += len(w)
		if len(w) > maxWarningLen || strings.ContainsAny(w, "\n\r") {
			t.Errorf("warning of %d characters or on several lines: %q", len(w), w)
		}
	}
	if total > 4096 {
		t.Errorf("warnings total %d characters, the API server drops those beyond 4096", total)
	}
	if last := ws[len(ws)-1]; last != "and 12 more warnings like these" {
		t.Errorf("last warning = %q", last)
	}

	if got := listNames(many); got != "source-000, source-001, source-002, source-003, source-004, source-005, source-006, source-007, source-008, source-009 and 490 more" {
		t.Errorf("listNames = %q", got)
	}
	if got := listNames([]string{long, "a"}); got != "a and 1 more" {
		t.Errorf("listNames of a long name = %q", got)
	}
}
