package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// RolloutMode says whether a model's current generation grades its targets.
// +kubebuilder:validation:Enum=Apply;Preview
type RolloutMode string

// Rollout modes.
const (
	// RolloutApply grades every target with the model's current generation.
	RolloutApply RolloutMode = "Apply"
	// RolloutPreview evaluates the current generation against every target
	// without effect: targets keep the last applied generation, and the
	// model's status.preview says what applying would change.
	RolloutPreview RolloutMode = "Preview"
)

// ModelRollout says how an edit of a model reaches its targets.
type ModelRollout struct {
	// mode is Apply (the default: an edit grades every target at once) or
	// Preview (an edit is first evaluated without effect, and takes effect
	// when mode is set back to Apply).
	// +optional
	// +kubebuilder:default=Apply
	Mode RolloutMode `json:"mode,omitempty"`
}

// ModelPreview is what applying a model's current generation would change,
// computed against every target that uses the model, on the metrics they
// have now. It holds counts only: a model is cluster-scoped and readable by
// every tenant, so it names no target (that would tell one tenant the
// businesses and levels of another).
type ModelPreview struct {
	// generation is the model generation previewed.
	Generation int64 `json:"generation"`
	// appliedGeneration is the generation the targets are graded with,
	// against which the preview compares.
	AppliedGeneration int64 `json:"appliedGeneration"`
	// evaluatedAt is when the targets' metrics were read.
	EvaluatedAt metav1.Time `json:"evaluatedAt"`
	// targets is how many targets use the model.
	Targets int32 `json:"targets"`
	// levelUp, levelDown and unchanged count the targets whose level would
	// go up, go down or stay.
	LevelUp   int32 `json:"levelUp"`
	LevelDown int32 `json:"levelDown"`
	Unchanged int32 `json:"unchanged"`
	// notEvaluated counts targets that could not be evaluated (their
	// MetricSources have not published, or their targetLevel is not a level
	// of the previewed generation).
	// +optional
	NotEvaluated int32 `json:"notEvaluated,omitempty"`
	// tasksToOpen and tasksToResolve count the gaps (one ProjectTask each)
	// that applying would open or close, over all targets.
	TasksToOpen    int32 `json:"tasksToOpen"`
	TasksToResolve int32 `json:"tasksToResolve"`
}

// Conditions and reasons of a model's rollout.
const (
	// ConditionApplied is True on a MaturityModel whose current generation
	// grades its targets, False (InPreview) while it is previewed.
	ConditionApplied = "Applied"
	// ReasonApplied (Applied=True): the targets are graded with the
	// current generation.
	ReasonApplied = "Applied"
	// ReasonInPreview (Applied=False): the current generation is in
	// Preview; status.preview says what applying it would change.
	ReasonInPreview = "InPreview"
	// ReasonModelNotApplied: a target waits because its model has never
	// had a generation applied (it was created in Preview mode).
	ReasonModelNotApplied = "ModelNotApplied"
)

// LabelModelRevision marks the ControllerRevisions, in the operator's
// namespace, that keep each model's applied generation; its value is the
// model's UID.
const LabelModelRevision = "growth.scaleup.io/maturitymodel-uid"
