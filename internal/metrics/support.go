package metrics

import (
	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// stages numbers the customer-service stages; "" (none reached) is 0.
var stages = map[v1alpha1.SupportStage]float64{
	"": 0, v1alpha1.StagePreRevenue: 1, v1alpha1.StageRevenueTransition: 2, v1alpha1.StageRevenueGeneration: 3,
}

// plan emits a SupportPlan's gauges.
func (e *emitter) plan(p *v1alpha1.SupportPlan) {
	ns, name, st := p.Namespace, p.Name, &p.Status
	e.ready("SupportPlan", ns, name, st.Conditions)
	if st.ObservedGeneration > 0 {
		if v, ok := stages[v1alpha1.SupportStage(st.CurrentStage)]; ok {
			e.gauge(descPlanStage, v, ns, name)
		}
		e.gauge(descPlanHeroes, float64(st.Heroes), ns, name)
	}
	if v, ok := stages[p.Spec.TargetStage]; ok && p.Spec.TargetStage != "" {
		e.gauge(descPlanTargetStage, v, ns, name)
	}
	if ss := p.Spec.SelfService; ss != nil {
		e.gauge(descPlanDeflection, ss.Deflection, ns, name)
	}
	e.taskCounts(descPlanTasks, "SupportPlan", ns, name, st.Tasks)
	proj := st.Projection
	if proj == nil {
		return
	}
	e.gauge(descPlanRequiredNow, float64(proj.RequiredHeroesNow), ns, name)
	e.gauge(descPlanGap, float64(proj.CapacityGap), ns, name)
	e.gauge(descPlanPhoneVideo, proj.PhoneVideoShare, ns, name)
	e.gauge(descPlanHeroShare, proj.HeroContactShare, ns, name)
	e.gauge(descPlanDemand, proj.DemandNow, ns, name)
	for i := range proj.Peaks {
		peak := &proj.Peaks[i]
		if !peak.End.After(e.now) {
			continue // over: the next one is later in the list
		}
		e.gauge(descPlanRequiredPeak, float64(peak.RequiredHeroes), ns, name)
		e.gauge(descPlanPeakGap, float64(peak.Gap), ns, name)
		e.gauge(descPlanPeakStart, float64(peak.Start.Unix()), ns, name)
		e.gauge(descPlanHireBy, float64(peak.HireBy.Unix()), ns, name)
		e.gauge(descPlanUntilHireBy, peak.HireBy.Sub(e.now).Seconds(), ns, name)
		break
	}
}
