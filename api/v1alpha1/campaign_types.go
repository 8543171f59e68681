package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// CampaignSpec rolls new objectives, or tighter rules for existing ones, out
// to the MaturityTargets it selects in its own namespace, on a schedule:
// before spec.start the rules are shadow (reported, nothing else), from
// spec.start they open tasks due at spec.targetDate without changing the
// level, and from spec.targetDate they are part of the level like any rule
// of the model.
// +kubebuilder:validation:XValidation:rule="timestamp(self.targetDate) > timestamp(self.start)",message="spec.targetDate must be after spec.start",fieldPath=".targetDate"
type CampaignSpec struct {
	// modelRef names the MaturityModel the campaign extends; only targets
	// of that model are in scope.
	// +required
	ModelRef ClusterObjectReference `json:"modelRef"`

	// targetSelector selects the MaturityTargets of this namespace (and of
	// modelRef) the campaign applies to. An empty selector ({}) selects
	// every such target of the namespace.
	// +required
	TargetSelector metav1.LabelSelector `json:"targetSelector"`

	// start is when the campaign's rules begin to open tasks; before it
	// they are shadow.
	// +required
	Start metav1.Time `json:"start"`

	// targetDate is when the campaign's rules become part of the level;
	// the tasks they open are due then. It must be after start.
	// +required
	TargetDate metav1.Time `json:"targetDate"`

	// objectives the campaign rolls out: each adds a new objective to a
	// stream of the model, or tightens an existing one with more criteria.
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	Objectives []CampaignObjective `json:"objectives"`
}

// CampaignObjective is one objective a campaign adds or tightens. Set
// exactly one of add and tighten.
// +kubebuilder:validation:XValidation:rule="has(self.add) != has(self.tighten)",message="set exactly one of add and tighten"
type CampaignObjective struct {
	// stream of the model the objective belongs to.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Stream string `json:"stream"`

	// add is a new objective for the stream, written like a model's
	// objective; its name must not be one of the stream's objectives.
	// +optional
	Add *Objective `json:"add,omitempty"`

	// tighten adds criteria to an objective the stream already has.
	// +optional
	Tighten *ObjectiveTightening `json:"tighten,omitempty"`
}

// ObjectiveTightening adds criteria to an existing objective of the model.
type ObjectiveTightening struct {
	// objective name, one of the stream's objectives in the model.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Objective string `json:"objective"`

	// criteria the objective must pass as well, per level; a level the
	// model already has a criterion for must pass both.
	// +required
	// +listType=map
	// +listMapKey=level
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	Criteria []Criterion `json:"criteria"`
}

// Campaign phases, from the clock and the spec's dates.
const (
	// CampaignScheduled: before spec.start, the rules are shadow.
	CampaignScheduled = "Scheduled"
	// CampaignActive: from spec.start, failing rules open tasks due at
	// spec.targetDate; the level does not change.
	CampaignActive = "Active"
	// CampaignEnforced: from spec.targetDate, the rules are part of the
	// level.
	CampaignEnforced = "Enforced"
)

// CampaignSample is the campaign's progress at one instant.
type CampaignSample struct {
	// at is when the counts were taken.
	At metav1.Time `json:"at"`
	// inScope is the number of targets the campaign selects.
	InScope int32 `json:"inScope"`
	// passing is how many of them pass every objective of the campaign.
	Passing int32 `json:"passing"`
}

// CampaignStatus is the campaign's phase and progress.
type CampaignStatus struct {
	// observedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// lastHandledRequestedAt is the value of the growth.scaleup.io/requested-at
	// annotation that the last reconcile handled (AnnotationRequestedAt).
	// +kubebuilder:validation:MaxLength=256
	// +optional
	LastHandledRequestedAt string `json:"lastHandledRequestedAt,omitempty"`
	// phase: Scheduled, Active or Enforced.
	// +optional
	// +kubebuilder:validation:Enum=Scheduled;Active;Enforced
	Phase string `json:"phase,omitempty"`
	// targetsInScope is the number of MaturityTargets of the namespace the
	// campaign selects (of its model).
	// +optional
	TargetsInScope int32 `json:"targetsInScope,omitempty"`
	// passing counts the targets in scope that pass every objective of the
	// campaign at their target level.
	// +optional
	Passing int32 `json:"passing,omitempty"`
	// failing counts the targets in scope that do not (yet), those not
	// evaluated with this generation of the campaign included.
	// +optional
	Failing int32 `json:"failing,omitempty"`
	// burnUp holds one sample per day on which the counts changed, oldest
	// first, the last 100.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	BurnUp []CampaignSample `json:"burnUp,omitempty"`
	// conditions: Ready, Stalled, Reconciling.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// Campaign rolls new or tightened objectives out to selected targets of its
// namespace between a start and a target date.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=mcp,categories=scaleup
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="In-Scope",type=integer,JSONPath=`.status.targetsInScope`
// +kubebuilder:printcolumn:name="Passing",type=integer,JSONPath=`.status.passing`
// +kubebuilder:printcolumn:name="Target-Date",type=date,JSONPath=`.spec.targetDate`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Campaign struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is what the campaign rolls out, to which targets, when.
	// +required
	Spec CampaignSpec `json:"spec"`
	// status is the campaign's phase and progress.
	// +optional
	Status CampaignStatus `json:"status,omitempty"`
}

// CampaignList is a list of Campaigns.
// +kubebuilder:object:root=true
type CampaignList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Campaign `json:"items"`
}

func init() {
	register(&Campaign{}, &CampaignList{})
}

// GetConditions returns the status conditions.
func (in *Campaign) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *Campaign) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetLastHandledRequestedAt returns status.lastHandledRequestedAt.
func (in *Campaign) GetLastHandledRequestedAt() string { return in.Status.LastHandledRequestedAt }

// SetLastHandledRequestedAt sets status.lastHandledRequestedAt.
func (in *Campaign) SetLastHandledRequestedAt(v string) { in.Status.LastHandledRequestedAt = v }
