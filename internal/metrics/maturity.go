package metrics

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/compact"
)

// modelLevels maps each model's name to its level names and their
// positions, 1 for the first.
func modelLevels(models []*v1alpha1.MaturityModel) map[string]map[string]int {
	out := make(map[string]map[string]int, len(models))
	for _, m := range models {
		levels := make(map[string]int, len(m.Spec.Levels))
		for i, l := range m.Spec.Levels {
			levels[l.Name] = i + 1
		}
		out[m.Name] = levels
	}
	return out
}

// trends numbers status.trend.
var trends = map[string]float64{"Improving": 1, "Steady": 0, "Declining": -1}

// target emits a MaturityTarget's gauges. The level positions need its
// model; without it they are left out.
func (e *emitter) target(t *v1alpha1.MaturityTarget, levels map[string]map[string]int) {
	ns, name, st := t.Namespace, t.Name, &t.Status
	e.ready("MaturityTarget", ns, name, st.Conditions)
	if model, ok := levels[t.Spec.ModelRef.Name]; ok {
		switch pos, known := model[st.CurrentLevel]; {
		case st.CurrentLevel == "" && st.ObservedGeneration > 0:
			e.gauge(descTargetCurrentLevel, 0, ns, name)
		case known:
			e.gauge(descTargetCurrentLevel, float64(pos), ns, name)
		}
		if pos, known := model[t.Spec.TargetLevel]; known {
			e.gauge(descTargetTargetLevel, float64(pos), ns, name)
		}
		if p := st.PendingLevel; p != nil {
			if pos, known := model[p.Level]; known || p.Level == "" {
				e.gauge(descTargetPendingLevel, float64(pos), ns, name)
			}
		}
	}
	if st.CurrentLevel != "" {
		e.gauge(descTargetLevelInfo, 1, ns, name, st.CurrentLevel)
	}
	if st.Score != nil {
		e.gauge(descTargetPassing, float64(st.Score.Passed), ns, name)
		e.gauge(descTargetObjectives, float64(st.Score.Total), ns, name)
	}
	// The cache keeps these counts, not the objectives (internal/compact).
	for _, s := range compact.Streams(st) {
		e.gauge(descTargetStreamPassing, float64(s.Passing), ns, name, s.Stream)
		e.gauge(descTargetStreamFailing, float64(s.Failing), ns, name, s.Stream)
	}
	seen := map[string]bool{} // a repeated label set would fail the whole scrape
	for _, c := range st.StallCauses {
		if !seen[c.Name] {
			seen[c.Name] = true
			e.gauge(descTargetStallCause, float64(c.FailingObjectives), ns, name, c.Name)
		}
	}
	if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionTargetMet); c != nil {
		e.gauge(descTargetMet, boolValue(c.Status == metav1.ConditionTrue), ns, name)
	}
	if v, ok := trends[st.Trend]; ok {
		e.gauge(descTargetTrend, v, ns, name)
	}
	e.governance(t)
	e.taskCounts(descTargetTasks, "MaturityTarget", ns, name, st.Tasks)
}

// overdueBySource counts the overdue tasks by "<kind>/<namespace>/<name>"
// of the object that generated them.
func overdueBySource(tasks []*v1alpha1.ProjectTask) map[string]int {
	out := map[string]int{}
	for _, t := range tasks {
		if meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionOverdue) {
			out[t.Spec.Source.Kind+"/"+t.Namespace+"/"+t.Spec.Source.Name]++
		}
	}
	return out
}

// ownerRoles are the enum of ProjectTask.spec.ownerRole, the only values
// the role label takes.
var ownerRoles = []v1alpha1.OwnerRole{
	v1alpha1.OwnerProductManager, v1alpha1.OwnerMarketing, v1alpha1.OwnerIT,
	v1alpha1.OwnerSalesMarketing, v1alpha1.OwnerCustomerSupport, v1alpha1.OwnerPartnerManager,
}

// tasksByRole emits the open and overdue ProjectTasks of each namespace
// that has tasks, for every owner role (0 included, so a role's line
// drops to zero instead of vanishing).
func (e *emitter) tasksByRole(tasks []*v1alpha1.ProjectTask) {
	type counts struct{ open, overdue map[v1alpha1.OwnerRole]int }
	byNS := map[string]counts{}
	var namespaces []string
	for _, t := range tasks {
		e.ready("ProjectTask", t.Namespace, t.Name, t.Status.Conditions)
		c, ok := byNS[t.Namespace]
		if !ok {
			c = counts{open: map[v1alpha1.OwnerRole]int{}, overdue: map[v1alpha1.OwnerRole]int{}}
			byNS[t.Namespace] = c
			namespaces = append(namespaces, t.Namespace)
		}
		if !meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionResolved) {
			c.open[t.Spec.OwnerRole]++
		}
		if meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionOverdue) {
			c.overdue[t.Spec.OwnerRole]++
		}
	}
	for _, ns := range namespaces {
		for _, role := range ownerRoles {
			e.gauge(descTasksOpen, float64(byNS[ns].open[role]), ns, string(role))
			e.gauge(descTasksOverdue, float64(byNS[ns].overdue[role]), ns, string(role))
		}
	}
}

// governance emits the gauges of the target's exemptions, shadow rules and
// weighted score, each only when the target or its model uses it, so that
// a fleet without them has no extra series.
func (e *emitter) governance(t *v1alpha1.MaturityTarget) {
	ns, name, st := t.Namespace, t.Name, &t.Status
	if st.Score != nil && st.Score.Percent != nil {
		e.gauge(descTargetScorePercent, float64(*st.Score.Percent), ns, name)
		e.gauge(descTargetKeyFailing, float64(len(st.Score.KeyFailing)), ns, name)
	}
	if len(t.Spec.Exemptions) > 0 {
		exempted := int32(0)
		for _, s := range compact.Streams(st) {
			exempted += s.Exempted
		}
		e.gauge(descTargetExempted, float64(exempted), ns, name)
	}
	if st.Shadow != nil {
		e.gauge(descTargetShadowFailing, float64(st.Shadow.Objectives), ns, name)
	}
}
