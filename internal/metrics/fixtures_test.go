package metrics

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// now is the fake clock's time in every test.
var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// userText is what people write into specs and remote systems into status
// messages: none of it may become a label value.
const userText = "Acme Outdoor Ltd <script> metrics.x >= 4.0 (value 6.5)"

func newReader(objs ...client.Object) client.WithWatch {
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		panic(err)
	}
	return fake.NewClientBuilder().WithScheme(scheme).WithObjects(objs...).Build()
}

func cond(typ string, status metav1.ConditionStatus, reason string) metav1.Condition {
	return metav1.Condition{Type: typ, Status: status, Reason: reason, Message: userText, LastTransitionTime: metav1.NewTime(now)}
}

func model() *v1alpha1.MaturityModel {
	return &v1alpha1.MaturityModel{
		ObjectMeta: metav1.ObjectMeta{Name: "shop-model"},
		Spec: v1alpha1.MaturityModelSpec{Levels: []v1alpha1.Level{
			{Name: "Startup"}, {Name: "GrowingPains"}, {Name: "HighPerformance"},
		}},
		Status: v1alpha1.MaturityModelStatus{Conditions: []metav1.Condition{cond(v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded)}},
	}
}

func target(ns, name string) *v1alpha1.MaturityTarget {
	return &v1alpha1.MaturityTarget{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MaturityTargetSpec{
			Business: userText, ModelRef: v1alpha1.ClusterObjectReference{Name: "shop-model"}, TargetLevel: "HighPerformance",
		},
		Status: v1alpha1.MaturityTargetStatus{
			ObservedGeneration: 1,
			CurrentLevel:       "GrowingPains",
			Score:              &v1alpha1.Score{Passed: 2, Total: 3, Summary: "2/3"},
			Objectives: []v1alpha1.ObjectiveResult{
				{Stream: "customer-service", Objective: "response-time", Owner: v1alpha1.OwnerCustomerSupport,
					Blocking: &v1alpha1.RuleOutcome{Rule: userText, Message: userText, Values: []string{userText}}},
				{Stream: "customer-service", Objective: "satisfaction", MeetsTarget: true},
				{Stream: "technology", Objective: "availability", MeetsTarget: true},
			},
			StallCauses: []v1alpha1.StallCauseCount{{Name: "ComplexityAndCost", FailingObjectives: 1}},
			Trend:       "Improving",
			Tasks:       &v1alpha1.TaskCounts{Open: 1, Resolved: 2, HeldBack: 3},
			Conditions: []metav1.Condition{
				cond(v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded),
				cond(v1alpha1.ConditionTargetMet, metav1.ConditionFalse, v1alpha1.ReasonBelowTarget),
			},
		},
	}
}

func source(ns, name string) *v1alpha1.MetricSource {
	at := func(d time.Duration) *metav1.Time { return ptr.To(metav1.NewTime(now.Add(-d))) }
	return &v1alpha1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourcePrometheus},
		Status: v1alpha1.MetricSourceStatus{
			Values: []v1alpha1.MetricValue{
				{Name: "a", Value: ptr.To(1.0), ObservedAt: at(90 * time.Second)},
				{Name: "b", Value: ptr.To(2.0), ObservedAt: at(30 * time.Second)},
				{Name: "c", Value: ptr.To(3.0), ObservedAt: at(10 * time.Second), Error: userText},
				{Name: "d", Error: userText},
			},
			Conditions: []metav1.Condition{cond(v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonMetricsFailed)},
		},
	}
}

func plan(ns, name string) *v1alpha1.SupportPlan {
	day := 24 * time.Hour
	peak := func(name string, start time.Duration, required, gap int32) v1alpha1.PeakProjection {
		return v1alpha1.PeakProjection{
			Name: name, Start: metav1.NewTime(now.Add(start)), End: metav1.NewTime(now.Add(start + 14*day)),
			RequiredHeroes: required, Gap: gap, HireBy: metav1.NewTime(now.Add(start - 42*day)),
		}
	}
	return &v1alpha1.SupportPlan{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.SupportPlanSpec{
			TargetStage: v1alpha1.StageRevenueGeneration,
			SelfService: &v1alpha1.SelfService{Deflection: 0.34},
		},
		Status: v1alpha1.SupportPlanStatus{
			ObservedGeneration: 1, CurrentStage: string(v1alpha1.StageRevenueTransition), Heroes: 6, RequiredHeroes: 9,
			NextPeak: userText,
			Projection: &v1alpha1.SupportProjection{
				DemandNow: 1200, RequiredHeroesNow: 5, CapacityGap: 3, PhoneVideoShare: 0.25, HeroContactShare: 0.6,
				Peaks: []v1alpha1.PeakProjection{
					peak("spring", -20*day, 7, 1),    // ended six days ago
					peak("summer", 52*day, 8, 2),     // next: hire by in 10 days
					peak("christmas", 280*day, 9, 3), // later
				},
			},
			Tasks: &v1alpha1.TaskCounts{Open: 2},
		},
	}
}

func program(ns, name string) *v1alpha1.PartnerProgram {
	return &v1alpha1.PartnerProgram{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.PartnerProgramSpec{Expansion: v1alpha1.Expansion{
			Mode: "Gradual", Stages: []v1alpha1.ExpansionStage{{Name: "pilot", MaxPartners: 5}, {Name: "regional", MaxPartners: 20}},
		}},
		Status: v1alpha1.PartnerProgramStatus{
			ObservedGeneration: 1,
			ByPhase:            []v1alpha1.CountByName{{Name: "Active", Count: 3}, {Name: "Onboarding", Count: 2}},
			Metrics: []v1alpha1.ProgramMetric{
				{Name: "activationRate", Value: ptr.To(0.6), Sample: 5, Target: "0.5", Met: ptr.To(true)},
				{Name: "onboardingP50", Duration: &metav1.Duration{Duration: 36 * time.Hour}, Sample: 5, Target: "48h0m0s", Met: ptr.To(true)},
				{Name: "retentionRate", Sample: 2, Note: userText},
				{Name: userText, Value: ptr.To(1.0), Sample: 1},
			},
			Stage: "regional", Capacity: 20,
			Risks: []v1alpha1.Risk{{Name: "MisalignedIncentives", Message: userText}},
		},
	}
}

func task(ns, name, source string, role v1alpha1.OwnerRole, resolved, overdue bool) *v1alpha1.ProjectTask {
	st := func(b bool) metav1.ConditionStatus {
		if b {
			return metav1.ConditionTrue
		}
		return metav1.ConditionFalse
	}
	return &v1alpha1.ProjectTask{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.ProjectTaskSpec{
			Title: userText, OwnerRole: role, Assignee: userText,
			Source: v1alpha1.TaskSource{Kind: "MaturityTarget", Name: source},
		},
		Status: v1alpha1.ProjectTaskStatus{Conditions: []metav1.Condition{
			cond(v1alpha1.ConditionResolved, st(resolved), "x"),
			cond(v1alpha1.ConditionOverdue, st(overdue), "x"),
		}},
	}
}

func partner(ns, name, program string, ready bool) *v1alpha1.Partner {
	st := metav1.ConditionFalse
	if ready {
		st = metav1.ConditionTrue
	}
	return &v1alpha1.Partner{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.PartnerSpec{ProgramRef: v1alpha1.LocalObjectReference{Name: program}},
		Status: v1alpha1.PartnerStatus{Phase: v1alpha1.PhaseActive, Conditions: []metav1.Condition{
			cond(v1alpha1.ConditionReady, st, "x"),
		}},
	}
}
