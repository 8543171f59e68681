package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SupportProjection is the plan computed from the spec and the metrics.
// Rates are rounded to 0.01 and volumes to whole contacts, so a
// re-projection that changes nothing that matters writes nothing.
type SupportProjection struct {
	// demandNow is contacts per week now.
	DemandNow float64 `json:"demandNow"`
	// demandAtHorizon is contacts per week at the end of the horizon.
	DemandAtHorizon float64 `json:"demandAtHorizon"`
	// minutesPerContact is hero minutes per contact after the channel mix
	// and concurrency.
	MinutesPerContact float64 `json:"minutesPerContact"`
	// heroContactShare is the share of contacts reaching heroes after
	// self-service and AI.
	HeroContactShare float64 `json:"heroContactShare"`
	// requiredHeroesNow is the heroes needed at today's demand.
	RequiredHeroesNow int32 `json:"requiredHeroesNow"`
	// capacityGap is the heroes missing at the worst point of the horizon.
	CapacityGap int32 `json:"capacityGap"`
	// volumePerHero is hero-handled contacts per week per hero now.
	VolumePerHero float64 `json:"volumePerHero"`
	// hoursPerHero is hours of contact work per week per hero now.
	HoursPerHero float64 `json:"hoursPerHero"`
	// phoneVideoShare is the share of contacts on phone and video.
	PhoneVideoShare float64 `json:"phoneVideoShare"`
	// leversNow are the ways to close today's capacity gap, if any.
	// +optional
	LeversNow *CapacityLevers `json:"leversNow,omitempty"`
	// peaks are the peak occurrences within the horizon, in time order.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=30
	Peaks []PeakProjection `json:"peaks,omitempty"`
}

// PeakProjection is one occurrence of a peak season.
type PeakProjection struct {
	// name of the peak season.
	// +kubebuilder:validation:MaxLength=40
	Name string `json:"name"`
	// start of this occurrence.
	Start metav1.Time `json:"start"`
	// end of this occurrence.
	End metav1.Time `json:"end"`
	// weeklyDemand is contacts per week at the peak.
	WeeklyDemand float64 `json:"weeklyDemand"`
	// requiredHeroes at the peak.
	RequiredHeroes int32 `json:"requiredHeroes"`
	// gap is the heroes missing at the peak.
	Gap int32 `json:"gap"`
	// hireBy is the last day to hire for the peak: start minus ramp-up. It
	// stays this date once it has passed (see hireNow).
	HireBy metav1.Time `json:"hireBy"`
	// hireNow is true when the peak lacks heroes (gap > 0) and hireBy has
	// passed: heroes hired now are still ramping up when the peak starts
	// (or while it runs), so the hire task says "now" and is due now.
	// +optional
	HireNow bool `json:"hireNow,omitempty"`
	// levers are the ways to close this peak's gap, if any.
	// +optional
	Levers *CapacityLevers `json:"levers,omitempty"`
}

// CapacityLevers are the three ways to close one capacity gap, each
// worked out alone with everything else as it is; needed shares are
// rounded up to a whole percent.
type CapacityLevers struct {
	// proposed is the accepted lever (spec.levers) that closes the gap with
	// the smallest relative change of its own figure; empty when no
	// accepted lever closes it alone.
	// +optional
	Proposed SupportLever `json:"proposed,omitempty"`
	// hire is the heroes to hire.
	// +required
	Hire HireLever `json:"hire"`
	// deflect is the share of contacts self-service and AI together would
	// have to resolve.
	// +required
	Deflect DeflectLever `json:"deflect"`
	// shiftChannels is the share of phone and video contacts that would
	// have to move to chat, SMS, email and messaging.
	// +required
	ShiftChannels ShiftChannelsLever `json:"shiftChannels"`
}

// HireLever closes a gap with hires; it always can.
type HireLever struct {
	// possible is always true.
	Possible bool `json:"possible"`
	// heroes to hire: the gap.
	Heroes int32 `json:"heroes"`
}

// DeflectLever closes a gap by resolving more contacts without a hero.
type DeflectLever struct {
	// possible is false when the needed share is above 90% (customers
	// could hardly reach a person) or the team has no heroes.
	Possible bool `json:"possible"`
	// fromPercent is the share of contacts resolved without a hero today,
	// by self-service and AI together.
	FromPercent float64 `json:"fromPercent"`
	// toPercent is the share that would close the gap (100 without heroes).
	ToPercent float64 `json:"toPercent"`
	// reason says why not, when not possible.
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Reason string `json:"reason,omitempty"`
}

// ShiftChannelsLever closes a gap by moving phone and video contacts to
// asynchronous channels, where they cost what the plan's chat, SMS, email
// and messaging contacts cost (handling minutes over concurrency).
type ShiftChannelsLever struct {
	// possible is false when there is nothing to move, nowhere to move it,
	// no saving in moving it, or moving all of it is not enough.
	Possible bool `json:"possible"`
	// movePercent is the share of phone and video contacts to move (0 when
	// not possible).
	// +optional
	MovePercent float64 `json:"movePercent,omitempty"`
	// asyncMinutesPerContact is the hero minutes a moved contact costs.
	// +optional
	AsyncMinutesPerContact float64 `json:"asyncMinutesPerContact,omitempty"`
	// reason says why not, when not possible.
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Reason string `json:"reason,omitempty"`
}

// SupportPlanStatus says what the team needs and where it stands.
type SupportPlanStatus struct {
	// observedGeneration is the generation last evaluated successfully.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// lastHandledRequestedAt is the value of the growth.scaleup.io/requested-at
	// annotation that the last reconcile handled (AnnotationRequestedAt).
	// +kubebuilder:validation:MaxLength=256
	// +optional
	LastHandledRequestedAt string `json:"lastHandledRequestedAt,omitempty"`
	// currentStage is the highest stage whose rules, and those of every
	// lower stage, pass; empty when PreRevenue's rules fail.
	// +optional
	CurrentStage string `json:"currentStage,omitempty"`
	// heroes is the team size the plan used (spec or metric).
	// +optional
	Heroes int32 `json:"heroes,omitempty"`
	// requiredHeroes is the most heroes needed now or at any peak.
	// +optional
	RequiredHeroes int32 `json:"requiredHeroes,omitempty"`
	// nextPeak names the next peak and its start, for printing.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	NextPeak string `json:"nextPeak,omitempty"`
	// projection is the computed plan.
	// +optional
	Projection *SupportProjection `json:"projection,omitempty"`
	// blocking are the rules that keep the team from the next stage, in
	// the order of spec.stages, as many as fit the status' size budget
	// (64 KiB of rule details).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=30
	Blocking []RuleOutcome `json:"blocking,omitempty"`
	// blockingOmitted counts the blocking rules left out of blocking.
	// +optional
	BlockingOmitted int32 `json:"blockingOmitted,omitempty"`
	// tasks counts the generated ProjectTasks.
	// +optional
	Tasks *TaskCounts `json:"tasks,omitempty"`
	// conditions: Ready, CapacitySufficient, ChannelMixEfficient,
	// SelfServiceHealthy, HumanHandoffConfigured, TargetStageReached,
	// Stalled, Reconciling.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=10
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// SupportPlan is the customer-service plan of one business.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=sp,categories=scaleup
// +kubebuilder:printcolumn:name="Business",type=string,JSONPath=`.spec.business`
// +kubebuilder:printcolumn:name="Stage",type=string,JSONPath=`.status.currentStage`
// +kubebuilder:printcolumn:name="Target",type=string,JSONPath=`.spec.targetStage`
// +kubebuilder:printcolumn:name="Heroes",type=integer,JSONPath=`.status.heroes`
// +kubebuilder:printcolumn:name="Required",type=integer,JSONPath=`.status.requiredHeroes`
// +kubebuilder:printcolumn:name="Next peak",type=string,JSONPath=`.status.nextPeak`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type SupportPlan struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the plan.
	// +required
	Spec SupportPlanSpec `json:"spec"`
	// status says what the team needs.
	// +optional
	Status SupportPlanStatus `json:"status,omitempty"`
}

// SupportPlanList is a list of SupportPlans.
// +kubebuilder:object:root=true
type SupportPlanList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []SupportPlan `json:"items"`
}

func init() {
	register(&SupportPlan{}, &SupportPlanList{})
}
