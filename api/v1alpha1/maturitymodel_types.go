package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// MaturityModelSpec is a business-neutral catalogue: the ordered maturity
// levels, the causes that stall growth, and the streams of objectives with the
// rules that say when each level is reached and the projects that get there.
type MaturityModelSpec struct {
	// levels, lowest first. A business is at the highest level whose criteria,
	// and those of every lower level, all pass.
	// +required
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=2
	// +kubebuilder:validation:MaxItems=10
	Levels []Level `json:"levels"`

	// stallCauses is the catalogue of recurring reasons growth stalls.
	// Objectives point to them; a target's status ranks them.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=20
	StallCauses []StallCause `json:"stallCauses,omitempty"`

	// streams group the objectives (for example customer-service, technology).
	// The objectives' descriptions, rules and project titles and
	// descriptions may hold at most 400000 characters together, so that the
	// largest model (200 objectives) stays well under etcd's object limit.
	// +required
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:XValidation:rule="self.map(s, s.objectives.map(o, (has(o.description) ? size(o.description) : 0) + (has(o.criteria) ? o.criteria.map(c, size(c.rule)).sum() : 0) + (has(o.projects) ? o.projects.map(p, size(p.title) + (has(p.description) ? size(p.description) : 0)).sum() : 0)).sum()).sum() <= 400000",message="the objectives' descriptions, rules and project texts may hold at most 400000 characters together"
	Streams []Stream `json:"streams"`

	// comparisonPeriod is the period rules compare over when they read
	// `previous.<metric>`: previous.x is the value x had at the start of
	// the previous period, between one and two periods ago. Defaults to
	// 168h (a week); from 1h to 8784h (a year).
	// +optional
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('1h') && duration(self) <= duration('8784h')",message="spec.comparisonPeriod must be between 1h and 8784h"
	ComparisonPeriod *metav1.Duration `json:"comparisonPeriod,omitempty"`

	// rollout says how an edit reaches the targets: at once (Apply, the
	// default) or first as a preview in status.preview (Preview).
	// +optional
	Rollout *ModelRollout `json:"rollout,omitempty"`
}

// Level is one step of maturity.
type Level struct {
	// name of the level, for example GrowingPains.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[A-Za-z][A-Za-z0-9]*$`
	Name string `json:"name"`

	// description lists the traits of a business at this level.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	Description string `json:"description,omitempty"`

	// shadow marks a level being introduced: its criteria are evaluated and
	// reported (status.shadow of each target) but no business reaches or
	// loses the level through them and they open no task; a business whose
	// objectives pass the levels on both sides of it is at the level above.
	// +optional
	Shadow bool `json:"shadow,omitempty"`
}

// StallCause is a recurring reason a growing business stalls.
type StallCause struct {
	// name of the cause, for example DisconnectedSystems.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[A-Za-z][A-Za-z0-9]*$`
	Name string `json:"name"`

	// description of the cause.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`
}

// Stream is a line of work with its objectives.
type Stream struct {
	// name of the stream, a DNS label (it appears in task names and labels).
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// description of the stream.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// objectives of the stream.
	// +required
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	Objectives []Objective `json:"objectives"`
}

// Objective is one measurable aim, owned by one role.
type Objective struct {
	// name of the objective, a DNS label unique within its stream.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// description of the objective.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// owner is the role accountable for the objective and its tasks.
	// +required
	Owner OwnerRole `json:"owner"`

	// causes are the stall causes a failing objective indicates; each must be
	// in spec.stallCauses.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=5
	// +kubebuilder:validation:items:MaxLength=63
	Causes []string `json:"causes,omitempty"`

	// criteria say, per level, when the objective is met there. A level with
	// no criterion for this objective passes it.
	// +optional
	// +listType=map
	// +listMapKey=level
	// +kubebuilder:validation:MaxItems=10
	Criteria []Criterion `json:"criteria,omitempty"`

	// shadow marks an objective being introduced: every criterion of it is
	// a shadow criterion (see Criterion.shadow), and it counts neither in
	// the level nor in the score.
	// +optional
	Shadow bool `json:"shadow,omitempty"`

	// weight of the objective in status.score.percent, 1 when absent. The
	// weights only steer the score: the level is still the highest one
	// every objective passes.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000
	Weight *int32 `json:"weight,omitempty"`

	// key marks an objective the business cannot be at the target level
	// without, whatever the weights say: while it is below the target,
	// status.score.keyFailing names it. Like every objective it also caps
	// the level.
	// +optional
	Key bool `json:"key,omitempty"`

	// projects are the tasks to open when the objective is below a level,
	// at most 10.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Projects []ProjectTemplate `json:"projects,omitempty"`
}

// Criterion is the rule an objective must pass at one level.
type Criterion struct {
	// level at which the rule applies; one of spec.levels.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Level string `json:"level"`

	// rule is a CEL expression returning a bool over `metrics`, a map from
	// metric name to number: `metrics.firstResponseHours <= 4.0`. A rule that
	// reads a metric no source provides is unknown, never passed.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Rule string `json:"rule"`

	// shadow marks a rule being introduced: it is evaluated and reported
	// (the objective's shadowBlocking and status.shadow of each target) but
	// changes neither the level nor the tasks.
	// +optional
	Shadow bool `json:"shadow,omitempty"`
}

// ProjectTemplate describes a project that moves an objective up one level.
type ProjectTemplate struct {
	// level the project reaches; one of spec.levels.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Level string `json:"level"`

	// title of the generated task.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	Title string `json:"title"`

	// description of the generated task.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	Description string `json:"description,omitempty"`

	// priority of the generated task.
	// +optional
	// +kubebuilder:default=Medium
	Priority Priority `json:"priority,omitempty"`
}

// MaturityModelStatus reports whether the model's rules compile.
type MaturityModelStatus struct {
	// observedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// lastHandledRequestedAt is the value of the growth.scaleup.io/requested-at
	// annotation that the last reconcile handled (AnnotationRequestedAt).
	// +kubebuilder:validation:MaxLength=256
	// +optional
	LastHandledRequestedAt string `json:"lastHandledRequestedAt,omitempty"`

	// levels is the number of levels.
	// +optional
	Levels int32 `json:"levels,omitempty"`
	// objectives is the number of objectives across all streams.
	// +optional
	Objectives int32 `json:"objectives,omitempty"`
	// rules is the number of criteria across all objectives.
	// +optional
	Rules int32 `json:"rules,omitempty"`

	// appliedGeneration is the generation the model's targets are graded
	// with: the current one in Apply mode, the last applied one while a
	// newer generation is in Preview.
	// +optional
	AppliedGeneration int64 `json:"appliedGeneration,omitempty"`
	// preview says what applying the current generation would change; set
	// while the model is in Preview mode.
	// +optional
	Preview *ModelPreview `json:"preview,omitempty"`

	// ruleErrors lists the rules that do not compile, with the compiler's message.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=50
	RuleErrors []RuleError `json:"ruleErrors,omitempty"`

	// conditions: Ready, Applied, Stalled, Reconciling.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// RuleError is a model defect found when compiling it.
type RuleError struct {
	// field is the path of the offending value, for example
	// spec.streams[0].objectives[1].criteria[0].rule.
	// +required
	// +kubebuilder:validation:MaxLength=256
	Field string `json:"field"`
	// message says what is wrong.
	// +required
	// +kubebuilder:validation:MaxLength=1024
	Message string `json:"message"`
}

// MaturityModel is a catalogue of maturity levels, stall causes and objectives.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,shortName=mm,categories=scaleup
// +kubebuilder:printcolumn:name="Levels",type=integer,JSONPath=`.status.levels`
// +kubebuilder:printcolumn:name="Objectives",type=integer,JSONPath=`.status.objectives`
// +kubebuilder:printcolumn:name="Rules",type=integer,JSONPath=`.status.rules`
// +kubebuilder:printcolumn:name="Applied",type=integer,JSONPath=`.status.appliedGeneration`
// +kubebuilder:printcolumn:name="Would-Drop",type=integer,JSONPath=`.status.preview.levelDown`,description="Targets that applying the previewed generation would move down a level"
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type MaturityModel struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the catalogue.
	// +required
	Spec MaturityModelSpec `json:"spec"`
	// status reports whether the catalogue compiles.
	// +optional
	Status MaturityModelStatus `json:"status,omitempty"`
}

// MaturityModelList is a list of MaturityModels.
// +kubebuilder:object:root=true
type MaturityModelList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []MaturityModel `json:"items"`
}

func init() {
	register(&MaturityModel{}, &MaturityModelList{})
}
