package v1alpha1

// TargetModelPreview is what the generation of the model in Preview would
// make of this target, on the metrics it has now, were it applied. It is
// in the target's own status, readable by its tenant only; the model's
// status.preview has the counts over every target. It changes neither the
// level nor the tasks.
type TargetModelPreview struct {
	// generation is the model generation previewed.
	Generation int64 `json:"generation"`
	// level is the level the business would be at (before
	// spec.stabilization holds a change back); empty below the lowest
	// level or when notEvaluated says why there is none.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Level string `json:"level,omitempty"`
	// tasksToOpen counts the gaps (one ProjectTask each) the generation
	// would open; tasksToResolve the current gaps it would close.
	TasksToOpen    int32 `json:"tasksToOpen"`
	TasksToResolve int32 `json:"tasksToResolve"`
	// notEvaluated says why the target could not be evaluated with the
	// generation (it does not compile, or spec.targetLevel is not one of
	// its levels); applying it would stall the target.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	NotEvaluated string `json:"notEvaluated,omitempty"`
}
