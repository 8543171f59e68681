package controllers_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// testModel is a small model: three levels and two streams of two
// objectives, each objective with one rule per level above Startup.
//
//	stream     objective      GrowingPains              HighPerformance
//	service    response       responseHours <= 8        responseHours <= 4
//	service    satisfaction   csat >= 60                csat >= 80
//	tech       availability   availability >= 99        availability >= 99.9
//	tech       speed          (none)                    pageSeconds <= 2
func testModel(name string) *v1alpha1.MaturityModel {
	return &v1alpha1.MaturityModel{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: v1alpha1.MaturityModelSpec{
			Levels: []v1alpha1.Level{{Name: "Startup"}, {Name: "GrowingPains"}, {Name: "HighPerformance"}},
			StallCauses: []v1alpha1.StallCause{
				{Name: "ComplexityAndCost"}, {Name: "CostlyTechnology"},
			},
			Streams: []v1alpha1.Stream{
				{Name: "service", Objectives: []v1alpha1.Objective{
					objective("response", v1alpha1.OwnerCustomerSupport, "ComplexityAndCost",
						"metrics.responseHours <= 8.0", "metrics.responseHours <= 4.0"),
					objective("satisfaction", v1alpha1.OwnerCustomerSupport, "ComplexityAndCost",
						"metrics.csat >= 60", "metrics.csat >= 80"),
				}},
				{Name: "tech", Objectives: []v1alpha1.Objective{
					objective("availability", v1alpha1.OwnerIT, "CostlyTechnology",
						"metrics.availability >= 99.0", "metrics.availability >= 99.9"),
					objective("speed", v1alpha1.OwnerIT, "CostlyTechnology",
						"", "metrics.pageSeconds <= 2.0"),
				}},
			},
		},
	}
}

func objective(name string, owner v1alpha1.OwnerRole, cause, growing, high string) v1alpha1.Objective {
	o := v1alpha1.Objective{Name: name, Owner: owner, Causes: []string{cause}}
	if growing != "" {
		o.Criteria = append(o.Criteria, v1alpha1.Criterion{Level: "GrowingPains", Rule: growing})
	}
	o.Criteria = append(o.Criteria, v1alpha1.Criterion{Level: "HighPerformance", Rule: high})
	o.Projects = []v1alpha1.ProjectTemplate{{
		Level: "HighPerformance", Title: "Lift " + name + " to HighPerformance", Priority: v1alpha1.PriorityHigh,
	}}
	return o
}

// atGrowingPains passes every GrowingPains rule and only two HighPerformance
// rules (satisfaction, speed).
func atGrowingPains() map[string]float64 {
	return map[string]float64{"responseHours": 6, "csat": 85, "availability": 99.5, "pageSeconds": 1.5}
}

func reportedSource(ns, name string, values map[string]float64) *v1alpha1.MetricSource {
	return &v1alpha1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MetricSourceSpec{
			Type:     v1alpha1.MetricSourceReported,
			Reported: &v1alpha1.ReportedMetrics{Values: values},
		},
	}
}

func target(ns, name, model, level string, sources ...string) *v1alpha1.MaturityTarget {
	t := &v1alpha1.MaturityTarget{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MaturityTargetSpec{
			Business: "Acme Outdoor Ltd", ModelRef: v1alpha1.ClusterObjectReference{Name: model}, TargetLevel: level,
		},
	}
	for _, s := range sources {
		t.Spec.MetricSources = append(t.Spec.MetricSources, v1alpha1.LocalObjectReference{Name: s})
	}
	return t
}

// create creates obj and deletes it when the test ends.
func create(obj client.Object) {
	ctx := context.Background()
	Expect(k8sClient.Create(ctx, obj)).To(Succeed())
	DeferCleanup(func() { _ = k8sClient.Delete(ctx, obj) })
}

func get(g Gomega, obj client.Object) {
	g.Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(obj), obj)).To(Succeed())
}

func condition(conds []metav1.Condition, typ string) metav1.Condition {
	c := meta.FindStatusCondition(conds, typ)
	if c == nil {
		return metav1.Condition{Type: typ, Status: "Absent"}
	}
	return *c
}

// tasksOf lists the ProjectTasks in ns labelled as generated for target.
func tasksOf(g Gomega, ns, targetName string) []v1alpha1.ProjectTask {
	list := &v1alpha1.ProjectTaskList{}
	g.Expect(k8sClient.List(context.Background(), list, client.InNamespace(ns),
		client.MatchingLabels{"growth.scaleup.io/source-name": targetName})).To(Succeed())
	return list.Items
}
