package v1alpha1

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TaskMode says whether a target opens ProjectTasks for its gaps.
// +kubebuilder:validation:Enum=Create;Off
type TaskMode string

const (
	// TaskModeCreate opens a ProjectTask for every gap.
	TaskModeCreate TaskMode = "Create"
	// TaskModeOff opens none; existing tasks are still resolved.
	TaskModeOff TaskMode = "Off"
)

// MaturityTargetSpec declares the level one business must reach.
type MaturityTargetSpec struct {
	// business is the name of the business, as people know it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	Business string `json:"business"`

	// modelRef names the cluster-scoped MaturityModel to measure against.
	// +required
	ModelRef ClusterObjectReference `json:"modelRef"`

	// targetLevel is the level to reach; one of the model's levels.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	TargetLevel string `json:"targetLevel"`

	// metricSources name MetricSources in this namespace. Their values are
	// merged in order: a later source wins over an earlier one.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:XValidation:rule="self.all(a, self.exists_one(b, b.name == a.name))",message="spec.metricSources must not name a source twice"
	MetricSources []LocalObjectReference `json:"metricSources,omitempty"`

	// tasks is the policy for generated ProjectTasks.
	// +optional
	// +kubebuilder:default={}
	Tasks *TaskPolicy `json:"tasks,omitempty"`

	// interval is how often the target is re-evaluated even when nothing it
	// watches changes (for example to notice that metrics went stale).
	// +optional
	// +kubebuilder:default="10m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('10s')",message="spec.interval must be at least 10s"
	Interval *metav1.Duration `json:"interval,omitempty"`

	// exemptions excuse objectives from the target level until they expire:
	// an exempted objective counts as meeting the target level and opens no
	// task. One entry per objective.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:XValidation:rule="self.all(a, self.exists_one(b, b.stream == a.stream && b.objective == a.objective))",message="spec.exemptions must not name an objective twice"
	Exemptions []Exemption `json:"exemptions,omitempty"`

	// stabilization holds a level change back until it has held for a
	// number of evaluations or for a duration; absent, a change takes effect
	// at once. status.pendingLevel shows a change being held back.
	// +optional
	Stabilization *Stabilization `json:"stabilization,omitempty"`
}

// TaskPolicy controls the ProjectTasks opened for gaps.
type TaskPolicy struct {
	// mode: Create opens tasks for gaps, Off opens none.
	// +optional
	// +kubebuilder:default=Create
	Mode TaskMode `json:"mode,omitempty"`

	// maxOpen caps the number of open tasks; the most urgent gaps are opened
	// first and status.tasks.heldBack counts the rest.
	// +optional
	// +kubebuilder:default=20
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=500
	MaxOpen *int32 `json:"maxOpen,omitempty"`

	// dueIn is how long after creation a task is due.
	// +optional
	// +kubebuilder:default="720h"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	DueIn *metav1.Duration `json:"dueIn,omitempty"`
}

// Defaults of the task policy, also applied by the API server.
const (
	DefaultMaxOpen = 20
	DefaultDueIn   = 720 * time.Hour
)

// Effective returns the policy with defaults filled in, for objects written
// before defaulting or by clients that bypassed it. A nil policy is all
// defaults.
func (p *TaskPolicy) Effective() (mode TaskMode, maxOpen int, dueIn time.Duration) {
	mode, maxOpen, dueIn = TaskModeCreate, DefaultMaxOpen, DefaultDueIn
	if p != nil {
		if p.Mode != "" {
			mode = p.Mode
		}
		if p.MaxOpen != nil {
			maxOpen = int(*p.MaxOpen)
		}
		if p.DueIn != nil {
			dueIn = p.DueIn.Duration
		}
	}
	return mode, maxOpen, dueIn
}

// Score counts the objectives that meet the target level.
type Score struct {
	// passed is the number of objectives at or above the target level,
	// exempted ones included.
	Passed int32 `json:"passed"`
	// total is the number of objectives in the model, shadow ones left out.
	Total int32 `json:"total"`
	// summary is "passed/total", for printing.
	// +kubebuilder:validation:MaxLength=16
	Summary string `json:"summary"`
	// percent is the weighted share of the objectives that meet the target
	// level (weights from the model, 1 by default), rounded down. It is set
	// when the model gives an objective a weight or marks one key.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	Percent *int32 `json:"percent,omitempty"`
	// keyFailing names the key objectives below the target level, in model
	// order: while one is listed the target is not met, whatever percent
	// says.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=200
	KeyFailing []ObjectiveRef `json:"keyFailing,omitempty"`
}

// HistoryEntry records an evaluation whose level or score differed from the
// previous one.
type HistoryEntry struct {
	// time of the evaluation.
	Time metav1.Time `json:"time"`
	// level reached.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Level string `json:"level,omitempty"`
	// passed is the score's passed count.
	Passed int32 `json:"passed"`
}

// TaskCounts summarises the target's ProjectTasks.
type TaskCounts struct {
	// open tasks: not resolved and not Done.
	Open int32 `json:"open"`
	// resolved tasks: their gap has closed.
	Resolved int32 `json:"resolved"`
	// heldBack is the number of gaps without a task because of maxOpen.
	HeldBack int32 `json:"heldBack"`
}

// MaturityTargetStatus says where the business stands and why.
type MaturityTargetStatus struct {
	// observedGeneration is the generation last evaluated successfully.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// lastHandledRequestedAt is the value of the growth.scaleup.io/requested-at
	// annotation that the last reconcile handled (AnnotationRequestedAt).
	// +kubebuilder:validation:MaxLength=256
	// +optional
	LastHandledRequestedAt string `json:"lastHandledRequestedAt,omitempty"`
	// currentLevel is the highest level every objective reaches (exempted
	// objectives count at the target level, shadow rules and levels not at
	// all); empty when some objective does not pass the lowest level. With
	// spec.stabilization it is the level in effect: a change replaces it
	// once it has held (see pendingLevel).
	// +optional
	// +kubebuilder:validation:MaxLength=63
	CurrentLevel string `json:"currentLevel,omitempty"`
	// pendingLevel is a level change held back by spec.stabilization.
	// +optional
	PendingLevel *PendingLevel `json:"pendingLevel,omitempty"`
	// nextLevel is the level above currentLevel, if any.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	NextLevel string `json:"nextLevel,omitempty"`
	// score counts the objectives that meet the target level.
	// +optional
	Score *Score `json:"score,omitempty"`
	// blockedBy names the objectives that keep the business from
	// nextLevel, in model order; the rule each one fails, with the values it
	// read, is that objective's blocking in objectives.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=200
	BlockedBy []ObjectiveRef `json:"blockedBy,omitempty"`
	// objectives is the result of every objective, the first 200 in the
	// order they are evaluated (each stream's own, then those campaigns add
	// to it; objectivesOmitted counts the rest).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=200
	Objectives []ObjectiveResult `json:"objectives,omitempty"`
	// objectivesOmitted counts the objectives evaluated but left out of
	// objectives (and of blockedBy): a model at its limit of 200 objectives
	// with a campaign's new objectives merged in.
	// +optional
	ObjectivesOmitted int32 `json:"objectivesOmitted,omitempty"`
	// blockingOmitted counts the objectives whose blocking rule was left
	// out of objectives to keep the status within its size budget (96 KiB
	// of rule details): the objectives furthest behind keep theirs first,
	// and shadowBlocking rules get what is left after every blocking rule.
	// +optional
	BlockingOmitted int32 `json:"blockingOmitted,omitempty"`
	// stallCauses ranks the causes behind objectives below target.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	StallCauses []StallCauseCount `json:"stallCauses,omitempty"`
	// missingMetrics are metrics rules read that no source provides, the
	// first 100 in name order.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=63
	MissingMetrics []string `json:"missingMetrics,omitempty"`
	// missingMetricsOmitted counts the missing metrics past the first 100.
	// +optional
	MissingMetricsOmitted int32 `json:"missingMetricsOmitted,omitempty"`
	// history holds the last 20 changes of level or score, oldest first.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	History []HistoryEntry `json:"history,omitempty"`
	// trend compares the last two history entries.
	// +optional
	// +kubebuilder:validation:Enum=Improving;Declining;Steady
	Trend string `json:"trend,omitempty"`
	// exemptions says, for each entry of spec.exemptions, whether it is
	// active, expired or names an objective the model does not have.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=50
	Exemptions []ExemptionStatus `json:"exemptions,omitempty"`
	// shadow is what the model's shadow rules and levels would change if
	// they counted; absent when the model has none.
	// +optional
	Shadow *ShadowSummary `json:"shadow,omitempty"`
	// tasks counts the generated ProjectTasks.
	// +optional
	Tasks *TaskCounts `json:"tasks,omitempty"`
	// periodSnapshots are the values rules read as `previous.<metric>`
	// (see PeriodSnapshots); absent when the model's rules read none.
	// +optional
	PeriodSnapshots *PeriodSnapshots `json:"periodSnapshots,omitempty"`
	// modelPreview is what the model's generation in Preview would make of
	// this target; absent unless the model is in Preview with a generation
	// other than the applied one.
	// +optional
	ModelPreview *TargetModelPreview `json:"modelPreview,omitempty"`
	// campaigns is where the target stands in each Campaign selecting it,
	// by name (see TargetCampaign).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	Campaigns []TargetCampaign `json:"campaigns,omitempty"`
	// conditions: Ready, TargetMet, MetricsAvailable, Stalled, Reconciling.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// CompactedDigest is not part of the API and never serialized. The
	// operator's informer cache keeps a compacted copy of each target,
	// without the results its controller recomputes on every pass
	// (blockedBy, objectives, missingMetrics); on that copy it holds the
	// digest of the whole status as the API server has it, so that a pass
	// that computes the same status still writes nothing. It is empty on a
	// whole copy.
	CompactedDigest string `json:"-"`
	// CompactedStreams is not part of the API and never serialized: on the
	// compacted copy, what the operator's metrics read of objectives, the
	// objectives of each stream that meet the target, that do not, and
	// that an exemption covers, in the order the streams first appear.
	CompactedStreams []StreamObjectiveCounts `json:"-"`
}

// StreamObjectiveCounts counts one stream's objectives (see
// MaturityTargetStatus.CompactedStreams); never serialized.
type StreamObjectiveCounts struct {
	Stream   string `json:"-"`
	Passing  int32  `json:"-"`
	Failing  int32  `json:"-"`
	Exempted int32  `json:"-"`
}

// MaturityTarget declares the maturity level one business must reach.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=mt,categories=scaleup
// +kubebuilder:printcolumn:name="Business",type=string,JSONPath=`.spec.business`,priority=1
// +kubebuilder:printcolumn:name="Current",type=string,JSONPath=`.status.currentLevel`
// +kubebuilder:printcolumn:name="Target",type=string,JSONPath=`.spec.targetLevel`
// +kubebuilder:printcolumn:name="Score",type=string,JSONPath=`.status.score.summary`
// +kubebuilder:printcolumn:name="Trend",type=string,JSONPath=`.status.trend`
// +kubebuilder:printcolumn:name="Open tasks",type=integer,JSONPath=`.status.tasks.open`
// +kubebuilder:printcolumn:name="Met",type=string,JSONPath=`.status.conditions[?(@.type=="TargetMet")].status`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type MaturityTarget struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the target.
	// +required
	Spec MaturityTargetSpec `json:"spec"`
	// status says where the business stands.
	// +optional
	Status MaturityTargetStatus `json:"status,omitempty"`
}

// MaturityTargetList is a list of MaturityTargets.
// +kubebuilder:object:root=true
type MaturityTargetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []MaturityTarget `json:"items"`
}

func init() {
	register(&MaturityTarget{}, &MaturityTargetList{})
}
