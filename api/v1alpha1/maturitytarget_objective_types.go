package v1alpha1

// Where each objective of a MaturityTarget stands, as its status reports it.

// RuleOutcome is a rule that did not pass, with the values it saw.
type RuleOutcome struct {
	// stream of the objective.
	// +kubebuilder:validation:MaxLength=63
	Stream string `json:"stream"`
	// objective the rule belongs to.
	// +kubebuilder:validation:MaxLength=63
	Objective string `json:"objective"`
	// level the rule guards.
	// +kubebuilder:validation:MaxLength=63
	Level string `json:"level"`
	// rule is the CEL expression.
	// +kubebuilder:validation:MaxLength=1024
	Rule string `json:"rule"`
	// result: Failed, Unknown (a metric is missing) or Error.
	// +kubebuilder:validation:Enum=Failed;Unknown;Error
	Result string `json:"result"`
	// values are the metric values the rule read, as name=value (source).
	// Past 15 the last entry says how many more there are: "… and 4 more".
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:MaxLength=256
	Values []string `json:"values,omitempty"`
	// missing are the metrics the rule reads that no source provides, and
	// previous.<metric> for a value the rule reads one period earlier and
	// that no period recorded. Past 15 the last entry says how many more
	// there are: "… and 4 more".
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:MaxLength=72
	Missing []string `json:"missing,omitempty"`
	// message explains an Error result.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Message string `json:"message,omitempty"`
}

// ObjectiveResult is where one objective stands.
type ObjectiveResult struct {
	// stream of the objective.
	// +kubebuilder:validation:MaxLength=63
	Stream string `json:"stream"`
	// objective name.
	// +kubebuilder:validation:MaxLength=63
	Objective string `json:"objective"`
	// owner role of the objective.
	Owner OwnerRole `json:"owner"`
	// reachedLevel is the highest level the objective passes, with every
	// lower one; empty when it does not pass the lowest level. Shadow rules
	// and levels do not count; an exemption does not change it.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	ReachedLevel string `json:"reachedLevel,omitempty"`
	// meetsTarget is true when reachedLevel is at or above the target
	// level, or an active exemption excuses the objective.
	MeetsTarget bool `json:"meetsTarget"`
	// blocking is the rule that keeps the objective from the level above
	// reachedLevel, with the values it saw or the metrics it lacks. It is
	// absent at the top level, and when the status' budget for rule
	// details was spent on objectives further behind (see
	// status.blockingOmitted).
	// +optional
	Blocking *RuleOutcome `json:"blocking,omitempty"`
	// exemption is the spec.exemptions entry that makes the objective meet
	// the target level although reachedLevel is below it.
	// +optional
	Exemption *ObjectiveExemption `json:"exemption,omitempty"`
	// shadow is true for an objective the model marks shadow: it counts
	// neither in the level nor in the score.
	// +optional
	Shadow bool `json:"shadow,omitempty"`
	// shadowBlocking is the shadow rule that would hold the objective below
	// reachedLevel if shadow rules and levels counted: it would stay just
	// below shadowBlocking's level.
	// +optional
	ShadowBlocking *RuleOutcome `json:"shadowBlocking,omitempty"`
}

// ObjectiveRef names an objective of the model.
type ObjectiveRef struct {
	// stream of the objective.
	// +kubebuilder:validation:MaxLength=63
	Stream string `json:"stream"`
	// objective name.
	// +kubebuilder:validation:MaxLength=63
	Objective string `json:"objective"`
}

// StallCauseCount ranks a stall cause by the objectives below target that
// point to it.
type StallCauseCount struct {
	// name of the cause.
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// failingObjectives is how many objectives below target indicate it.
	FailingObjectives int32 `json:"failingObjectives"`
}
