package v1alpha1

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// The validators that deny: every CEL expression a user writes is compiled
// and type-checked at admission, and the Invalid error names each field,
// with the compiler's message.

// invalidCauses returns "field: message" for each cause of an Invalid
// error, without the "Invalid value: " every message starts with, failing
// the test on any other error.
func invalidCauses(t *testing.T, err error) []string {
	t.Helper()
	if !apierrors.IsInvalid(err) {
		t.Fatalf("got %v, want an Invalid error", err)
	}
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Details == nil {
		t.Fatalf("Invalid error without details: %v", err)
	}
	var out []string
	for _, c := range status.Status().Details.Causes {
		msg, ok := strings.CutPrefix(c.Message, "Invalid value: ")
		if !ok {
			t.Errorf("cause %q does not say Invalid value", c.Message)
		}
		out = append(out, c.Field+": "+msg)
	}
	return out
}

// expectRefusal checks err against want, "field: message prefix" per cause;
// want empty means err must be nil.
func expectRefusal(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	got := invalidCauses(t, err)
	if len(got) != len(want) {
		t.Fatalf("causes %q, want %d like %q", got, len(want), want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("cause %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}

// modelWith is the ecommerce model with one objective whose criteria, from
// GrowingPains up, are rules.
func modelWith(rules ...string) *v1alpha1.MaturityModel {
	m := ecommerceModel()
	o := v1alpha1.Objective{Name: "response-time", Owner: v1alpha1.OwnerCustomerSupport}
	for i, r := range rules {
		o.Criteria = append(o.Criteria, v1alpha1.Criterion{Level: m.Spec.Levels[i+1].Name, Rule: r})
	}
	m.Spec.Streams = []v1alpha1.Stream{{Name: "customer-service", Objectives: []v1alpha1.Objective{o}}}
	return m
}

func TestMaturityModelValidator(t *testing.T) {
	const rule0 = "spec.streams[0].objectives[0].criteria[0].rule: "
	const rule1 = "spec.streams[0].objectives[0].criteria[1].rule: "
	cases := []struct {
		name  string
		model *v1alpha1.MaturityModel
		want  []string
	}{
		{"rules that compile", modelWith("metrics.firstResponseHours <= 24.0", "metrics.firstResponseHours <= 4.0"), nil},
		{"does not parse", modelWith("metrics.firstResponseHours <=", "true"),
			[]string{rule0 + `rule "metrics.firstResponseHours <=" does not compile: `}},
		{"does not return a bool", modelWith("true", "metrics.firstResponseHours * 2.0"),
			[]string{rule1 + `rule "metrics.firstResponseHours * 2.0" does not compile: returns double, want bool`}},
		{"reads something other than metrics", modelWith("self.metadata.name == 'x'"),
			[]string{rule0 + `rule "self.metadata.name == 'x'" does not compile: `}},
		{"every defect at once", modelWith("1 +", "'fast'"), []string{rule0, rule1 + `rule "'fast'" does not compile: returns string, want bool`}},
		{"compares with the previous period", modelWith("metrics.returnRate <= previous.returnRate * 1.1"), nil},
		{"reads a previous value no source can report, as a current one", modelWith("metrics.returns_rate <= 1.0", "previous['returns-rate'] >= 0.0"),
			[]string{rule1 + `rule "previous['returns-rate'] >= 0.0" reads metric "previous.returns-rate", not a name a MetricSource can report`}},
		{"reads previous by a computed key", modelWith("previous['return' + 'Rate'] >= 0.0"),
			[]string{rule0 + `rule "previous['return' + 'Rate'] >= 0.0" does not compile: reads previous other than by a constant name`}},
	}
	v := MaturityModelValidator{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.ValidateCreate(context.Background(), tc.model)
			expectRefusal(t, err, tc.want)
			_, err = v.ValidateUpdate(context.Background(), modelWith("true"), tc.model)
			expectRefusal(t, err, tc.want)
			if _, err := v.ValidateDelete(context.Background(), tc.model); err != nil {
				t.Errorf("delete refused: %v", err)
			}
		})
	}
}

// httpSource is an HTTP source without credentials whose metrics are
// given as name=expression pairs.
func httpSource(exprs ...string) *v1alpha1.MetricSource {
	spec := &v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourceHTTP, HTTP: &v1alpha1.HTTPSource{URL: "https://shop.example/kpis"}}
	for _, e := range exprs {
		name, expr, _ := strings.Cut(e, "=")
		spec.HTTP.Metrics = append(spec.HTTP.Metrics, v1alpha1.HTTPMetric{Metric: name, Expression: expr})
	}
	return source(spec)
}

func TestMetricSourceValidatorExpressions(t *testing.T) {
	cases := []struct {
		name string
		src  *v1alpha1.MetricSource
		want []string
	}{
		{"reported", source(&v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourceReported}), nil},
		{"expressions that compile", httpSource("hours=body.support.firstResponseHours", "orders=double(body.orders.size())"), nil},
		{"does not parse", httpSource("hours=body.support.", "orders=1.0"),
			[]string{`spec.http.metrics[0].expression: expression "body.support." does not compile: `}},
		{"returns a string", httpSource("hours=1.0", "orders='many'"),
			[]string{`spec.http.metrics[1].expression: expression "'many'" does not compile: returns string, want a number`}},
		{"reads an undeclared variable", httpSource("hours=request.body"),
			[]string{`spec.http.metrics[0].expression: expression "request.body" does not compile: `}},
	}
	// No source names a Secret: the validator must ask nothing.
	r := &reviewer{fail: errors.New("must not be asked")}
	c := r.client()
	v := MetricSourceValidator{consent: consent{reviews: c, objects: c}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.ValidateCreate(asBob(), tc.src)
			expectRefusal(t, err, tc.want)
			_, err = v.ValidateUpdate(asBob(), httpSource("hours=1.0"), tc.src)
			expectRefusal(t, err, tc.want)
		})
	}
}

// TestMetricSourceValidatorConsent goes through ValidateCreate and
// ValidateUpdate to the SubjectAccessReviews, answered by a fake client.
func TestMetricSourceValidatorConsent(t *testing.T) {
	withMetric := func(spec *v1alpha1.MetricSourceSpec) *v1alpha1.MetricSource {
		spec.HTTP.Metrics = []v1alpha1.HTTPMetric{{Metric: "hours", Expression: "body.hours"}}
		return source(spec)
	}
	r := &reviewer{readable: []string{"Secret/basic", "Secret/ca"}}
	c := r.client()
	v := MetricSourceValidator{consent: consent{reviews: c, objects: c}}

	_, err := v.ValidateCreate(asBob(), withMetric(httpSpec()))
	if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), `spec.http.headers[1].valueFrom.name: user "bob" may not get Secret "api"`) {
		t.Errorf("create: got %v, want Forbidden naming the header", err)
	}

	// An update that keeps the references and the destination asks nothing
	// again: a bot without rights to the Secrets may change the rest.
	r.asked = nil
	old, changed := withMetric(httpSpec()), withMetric(httpSpec())
	changed.Spec.HTTP.Metrics[0].Expression = "body.hours * 2.0"
	if _, err := v.ValidateUpdate(asBob(), old, changed); err != nil || len(r.asked) != 0 {
		t.Errorf("update keeping references: err %v, asked %d reviews, want none", err, len(r.asked))
	}

	// A new URL checks every reference again.
	changed.Spec.HTTP.URL = "https://elsewhere.example/kpis"
	if _, err := v.ValidateUpdate(asBob(), old, changed); !apierrors.IsForbidden(err) {
		t.Errorf("update changing the URL: got %v, want Forbidden", err)
	}

	// An expression that does not compile is refused before anything is asked.
	r.asked = nil
	broken := withMetric(httpSpec())
	broken.Spec.HTTP.Metrics[0].Expression = "body.hours +"
	_, err = v.ValidateCreate(asBob(), broken)
	expectRefusal(t, err, []string{`spec.http.metrics[0].expression: expression "body.hours +" does not compile: `})
	if len(r.asked) != 0 {
		t.Errorf("asked %d reviews for a source that does not compile", len(r.asked))
	}
}

// plan is a SupportPlan of namespace shop with the given stage rules, each
// "stage/name=rule".
func plan(rules ...string) *v1alpha1.SupportPlan {
	p := &v1alpha1.SupportPlan{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "support"},
		Spec: v1alpha1.SupportPlanSpec{Business: "Shop", TargetStage: v1alpha1.StageRevenueTransition}}
	for _, r := range rules {
		stageName, rule, _ := strings.Cut(r, "=")
		stage, name, _ := strings.Cut(stageName, "/")
		i := slices.IndexFunc(p.Spec.Stages, func(s v1alpha1.StageRules) bool { return string(s.Stage) == stage })
		if i < 0 {
			i = len(p.Spec.Stages)
			p.Spec.Stages = append(p.Spec.Stages, v1alpha1.StageRules{Stage: v1alpha1.SupportStage(stage)})
		}
		p.Spec.Stages[i].Rules = append(p.Spec.Stages[i].Rules, v1alpha1.NamedRule{Name: name, Rule: rule})
	}
	return p
}

func TestSupportPlanValidatorRules(t *testing.T) {
	cases := []struct {
		name string
		plan *v1alpha1.SupportPlan
		want []string
	}{
		{"default stages", plan(), nil},
		{"rules that compile", plan("PreRevenue/heroes=metrics.heroes >= 1", "RevenueTransition/mix=metrics.phoneVideoShare <= 0.3"), nil},
		{"does not parse", plan("PreRevenue/heroes=metrics.heroes >= 1", "RevenueTransition/mix=metrics.phoneVideoShare <="),
			[]string{`spec.stages[1].rules[0].rule: rule "metrics.phoneVideoShare <=" does not compile: `}},
		{"does not return a bool", plan("PreRevenue/heroes=metrics.heroes >= 1", "PreRevenue/load=metrics.contactsPerHero / 2.0"),
			[]string{`spec.stages[0].rules[1].rule: rule "metrics.contactsPerHero / 2.0" does not compile: returns double, want bool`}},
		{"reads the request", plan("RevenueGeneration/who=request.userInfo.username == 'admin'"),
			[]string{`spec.stages[0].rules[0].rule: rule "request.userInfo.username == 'admin'" does not compile: `}},
		{"a name in two stages, broken in the second", plan("PreRevenue/mix=metrics.phoneVideoShare <= 0.5",
			"RevenueGeneration/mix=metrics.phoneVideoShare"),
			[]string{`spec.stages[1].rules[0].rule: rule "metrics.phoneVideoShare" does not compile: returns double, want bool`}},
		{"reads a previous period, which a plan does not record", plan("PreRevenue/heroes=metrics.heroes >= previous.heroes"),
			[]string{`spec.stages[0].rules[0].rule: reads previous: values of a previous period are kept for MaturityModel rules only`}},
		{"every defect", plan("PreRevenue/a=1 +", "RevenueTransition/b='x'"),
			[]string{`spec.stages[0].rules[0].rule: `, `spec.stages[1].rules[0].rule: rule "'x'" does not compile: returns string, want bool`}},
	}
	v := SupportPlanValidator{lookup: lookup{reader: fakeReader()}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.ValidateCreate(context.Background(), tc.plan)
			expectRefusal(t, err, tc.want)
			_, err = v.ValidateUpdate(context.Background(), plan(), tc.plan)
			expectRefusal(t, err, tc.want)
			if _, err := v.ValidateDelete(context.Background(), tc.plan); err != nil {
				t.Errorf("delete refused: %v", err)
			}
		})
	}
}

// TestSupportPlanValidatorKeepsUnchangedStages: an update that leaves the
// stages as they were is admitted even when they do not compile, so a plan
// stored before the check can still be edited elsewhere or deleted.
func TestSupportPlanValidatorKeepsUnchangedStages(t *testing.T) {
	v := SupportPlanValidator{lookup: lookup{reader: fakeReader()}}
	old := plan("PreRevenue/heroes=metrics.heroes >=")
	labelled := old.DeepCopy()
	labelled.Labels = map[string]string{"team": "support"}
	labelled.Spec.Team.Heroes = 5
	if _, err := v.ValidateUpdate(context.Background(), old, labelled); err != nil {
		t.Errorf("update leaving the stages alone refused: %v", err)
	}
	edited := labelled.DeepCopy()
	edited.Spec.Stages[0].Rules[0].Rule = "metrics.heroes >= 'one'"
	_, err := v.ValidateUpdate(context.Background(), old, edited)
	expectRefusal(t, err, []string{`spec.stages[0].rules[0].rule: rule "metrics.heroes >= 'one'" does not compile: `})
}
