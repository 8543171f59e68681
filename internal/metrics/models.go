package metrics

import "github.com/scaleup-operator/scaleup-operator/api/v1alpha1"

// MaturityModel rollout: what applying a previewed generation would change.
var (
	descModelPreviewTargets = desc("maturitymodel_preview_targets",
		"While the model is in Preview: its targets by what applying the previewed generation would do to their level "+
			"(change: up, down, unchanged, notEvaluated).", withEnum("change")...)
	descModelPreviewTasks = desc("maturitymodel_preview_tasks",
		"While the model is in Preview: the ProjectTasks applying the previewed generation would open or resolve (change: open, resolve).",
		withEnum("change")...)
)

// model emits a model's readiness and, while it is in Preview, its preview.
func (e *emitter) model(m *v1alpha1.MaturityModel) {
	e.ready("MaturityModel", m.Namespace, m.Name, m.Status.Conditions)
	p := m.Status.Preview
	if p == nil {
		return
	}
	for change, n := range map[string]int32{"up": p.LevelUp, "down": p.LevelDown, "unchanged": p.Unchanged, "notEvaluated": p.NotEvaluated} {
		e.gauge(descModelPreviewTargets, float64(n), m.Namespace, m.Name, change)
	}
	e.gauge(descModelPreviewTasks, float64(p.TasksToOpen), m.Namespace, m.Name, "open")
	e.gauge(descModelPreviewTasks, float64(p.TasksToResolve), m.Namespace, m.Name, "resolve")
}
