package maturity

import (
	"fmt"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Shared fixtures: small builders for table-driven tests and the
// 21-objective model the benchmark and the larger tests use.

var fourLevels = []string{"Startup", "GrowingPains", "HighPerformance", "EnterpriseGrade"}

const (
	lvStartup = iota
	lvGrowingPains
	lvHighPerformance
	lvEnterpriseGrade
)

func crit(level, rule string) v1alpha1.Criterion {
	return v1alpha1.Criterion{Level: level, Rule: rule}
}

func obj(name string, causes []string, criteria ...v1alpha1.Criterion) v1alpha1.Objective {
	return v1alpha1.Objective{Name: name, Owner: v1alpha1.OwnerIT, Causes: causes, Criteria: criteria}
}

func stream(name string, objectives ...v1alpha1.Objective) v1alpha1.Stream {
	return v1alpha1.Stream{Name: name, Objectives: objectives}
}

// modelSpec builds a spec over fourLevels with the given causes.
func modelSpec(causes []string, streams ...v1alpha1.Stream) *v1alpha1.MaturityModelSpec {
	spec := &v1alpha1.MaturityModelSpec{Streams: streams}
	for _, l := range fourLevels {
		spec.Levels = append(spec.Levels, v1alpha1.Level{Name: l})
	}
	for _, c := range causes {
		spec.StallCauses = append(spec.StallCauses, v1alpha1.StallCause{Name: c})
	}
	return spec
}

func mustCompile(tb testing.TB, spec *v1alpha1.MaturityModelSpec) *Model {
	tb.Helper()
	m, errs := Compile(spec)
	if len(errs) > 0 {
		tb.Fatalf("Compile: %v", errs)
	}
	return m
}

// values turns name/value pairs into Metrics from the "reported" source.
func values(kv ...any) Metrics {
	out := Metrics{}
	for i := 0; i+1 < len(kv); i += 2 {
		var v float64
		switch x := kv[i+1].(type) {
		case int:
			v = float64(x)
		case float64:
			v = x
		default:
			panic(fmt.Sprintf("values: %T", x))
		}
		out[kv[i].(string)] = Metric{Value: v, Source: "reported"}
	}
	return out
}

// objectiveSpec describes one objective of the 21-objective model: the
// metric it watches, whether lower is better, and its thresholds for
// GrowingPains, HighPerformance and EnterpriseGrade.
type objectiveSpec struct {
	stream, name, metric string
	owner                v1alpha1.OwnerRole
	lowerIsBetter        bool
	thresholds           [3]float64
	causes               []string
	// companion, when set, joins the EnterpriseGrade rule with a second
	// metric, as real rules often do.
	companion string
}

var scaleupCauses = []string{"DisconnectedSystems", "ProductDataErrors", "ComplexityAndCost", "MarketingDataOverload", "CostlyTechnology"}

var scaleupObjectives = []objectiveSpec{
	{"customer-service", "response-time", "firstResponseHours", v1alpha1.OwnerCustomerSupport, true, [3]float64{24, 4, 1}, []string{"ComplexityAndCost"}, "ticketsPerHero <= 150"},
	{"customer-service", "self-service", "selfServiceRate", v1alpha1.OwnerCustomerSupport, false, [3]float64{0.2, 0.4, 0.6}, []string{"ComplexityAndCost"}, ""},
	{"customer-service", "hero-load", "ticketsPerHero", v1alpha1.OwnerCustomerSupport, true, [3]float64{400, 250, 150}, []string{"ComplexityAndCost", "DisconnectedSystems"}, ""},
	{"technology", "availability", "uptimePercent", v1alpha1.OwnerIT, false, [3]float64{99, 99.9, 99.99}, []string{"CostlyTechnology"}, ""},
	{"technology", "performance", "p95PageLoadSeconds", v1alpha1.OwnerIT, true, [3]float64{4, 2.5, 1.5}, []string{"CostlyTechnology"}, "uptimePercent >= 99.99"},
	{"technology", "release-cycle", "releaseCycleDays", v1alpha1.OwnerProductManager, true, [3]float64{60, 14, 3}, []string{"CostlyTechnology", "DisconnectedSystems"}, ""},
	{"marketing", "visitors", "monthlyVisitors", v1alpha1.OwnerMarketing, false, [3]float64{10000, 100000, 1000000}, []string{"MarketingDataOverload"}, ""},
	{"marketing", "conversion", "conversionRate", v1alpha1.OwnerMarketing, false, [3]float64{0.01, 0.02, 0.035}, []string{"MarketingDataOverload"}, "monthlyVisitors >= 1000000"},
	{"marketing", "order-value", "averageOrderValue", v1alpha1.OwnerMarketing, false, [3]float64{30, 50, 80}, []string{"MarketingDataOverload"}, ""},
	{"product-and-data", "product-accuracy", "productDataErrorRate", v1alpha1.OwnerProductManager, true, [3]float64{0.05, 0.02, 0.005}, []string{"ProductDataErrors"}, ""},
	{"product-and-data", "returns", "returnRate", v1alpha1.OwnerProductManager, true, [3]float64{0.15, 0.08, 0.04}, []string{"ProductDataErrors"}, "productDataErrorRate <= 0.005"},
	{"product-and-data", "catalogue-sync", "catalogueSyncHours", v1alpha1.OwnerIT, true, [3]float64{48, 4, 0.25}, []string{"ProductDataErrors", "DisconnectedSystems"}, ""},
	{"operations", "process-integration", "integratedProcessShare", v1alpha1.OwnerIT, false, [3]float64{0.3, 0.7, 0.95}, []string{"DisconnectedSystems"}, ""},
	{"operations", "fulfilment", "orderToShipHours", v1alpha1.OwnerProductManager, true, [3]float64{72, 24, 8}, []string{"ComplexityAndCost"}, ""},
	{"operations", "back-office", "backOfficeStaffPerMillion", v1alpha1.OwnerProductManager, true, [3]float64{12, 6, 3}, []string{"ComplexityAndCost"}, "integratedProcessShare >= 0.95"},
	{"finance-and-reporting", "management-reporting", "reportingLagDays", v1alpha1.OwnerProductManager, true, [3]float64{30, 7, 1}, []string{"DisconnectedSystems"}, ""},
	{"finance-and-reporting", "credit-control", "overdueInvoiceShare", v1alpha1.OwnerProductManager, true, [3]float64{0.2, 0.1, 0.03}, []string{"ComplexityAndCost"}, ""},
	{"finance-and-reporting", "it-cost", "itCostToRevenue", v1alpha1.OwnerIT, true, [3]float64{0.12, 0.08, 0.05}, []string{"CostlyTechnology"}, ""},
	{"partnerships", "activation", "partnerActivationRate", v1alpha1.OwnerPartnerManager, false, [3]float64{0.2, 0.4, 0.6}, []string{"ComplexityAndCost"}, ""},
	{"partnerships", "retention", "partnerRetention90d", v1alpha1.OwnerPartnerManager, false, [3]float64{0.5, 0.7, 0.85}, []string{"ComplexityAndCost"}, ""},
	{"partnerships", "automation", "workflowAutomationSuccess", v1alpha1.OwnerPartnerManager, false, [3]float64{0.8, 0.95, 0.99}, []string{"DisconnectedSystems"}, ""},
}

// scaleupSpec is a 4-level, 7-stream x 3-objective model with criteria on
// the three levels above Startup and a project per level.
func scaleupSpec() *v1alpha1.MaturityModelSpec {
	spec := modelSpec(scaleupCauses)
	var cur *v1alpha1.Stream
	for _, o := range scaleupObjectives {
		if cur == nil || cur.Name != o.stream {
			spec.Streams = append(spec.Streams, v1alpha1.Stream{Name: o.stream})
			cur = &spec.Streams[len(spec.Streams)-1]
		}
		op := ">="
		if o.lowerIsBetter {
			op = "<="
		}
		ob := v1alpha1.Objective{Name: o.name, Owner: o.owner, Causes: o.causes}
		for i, level := range fourLevels[1:] {
			rule := fmt.Sprintf("metrics.%s %s %v", o.metric, op, o.thresholds[i])
			if i == 2 && o.companion != "" {
				rule += " && metrics." + o.companion
			}
			ob.Criteria = append(ob.Criteria, crit(level, rule))
			ob.Projects = append(ob.Projects, v1alpha1.ProjectTemplate{Level: level, Title: "Reach " + level + " on " + o.name})
		}
		cur.Objectives = append(cur.Objectives, ob)
	}
	return spec
}

// scaleupMetrics is a business between GrowingPains and HighPerformance:
// most objectives at HighPerformance, a few stuck at GrowingPains, one at
// EnterpriseGrade.
func scaleupMetrics() Metrics {
	return values(
		"firstResponseHours", 6.5, // GrowingPains
		"selfServiceRate", 0.45,
		"ticketsPerHero", 220,
		"uptimePercent", 99.95,
		"p95PageLoadSeconds", 3.1, // GrowingPains
		"releaseCycleDays", 10,
		"monthlyVisitors", 250000,
		"conversionRate", 0.018, // GrowingPains
		"averageOrderValue", 62,
		"productDataErrorRate", 0.012,
		"returnRate", 0.07,
		"catalogueSyncHours", 2,
		"integratedProcessShare", 0.75,
		"orderToShipHours", 20,
		"backOfficeStaffPerMillion", 5,
		"reportingLagDays", 3,
		"overdueInvoiceShare", 0.02, // EnterpriseGrade
		"itCostToRevenue", 0.07,
		"partnerActivationRate", 0.45,
		"partnerRetention90d", 0.72,
		"workflowAutomationSuccess", 0.96,
	)
}

// modelObject wraps a spec as a stored MaturityModel.
func modelObject(uid string, generation int64, spec *v1alpha1.MaturityModelSpec) *v1alpha1.MaturityModel {
	return &v1alpha1.MaturityModel{
		ObjectMeta: metav1.ObjectMeta{Name: "m-" + uid, UID: types.UID(uid), Generation: generation},
		Spec:       *spec,
	}
}
