package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PartnerPhase is where a partner is in its life with the program.
// +kubebuilder:validation:Enum=Waitlisted;Onboarding;Active;Inactive;Churned
type PartnerPhase string

// Partner phases.
const (
	PhaseWaitlisted PartnerPhase = "Waitlisted"
	PhaseOnboarding PartnerPhase = "Onboarding"
	PhaseActive     PartnerPhase = "Active"
	PhaseInactive   PartnerPhase = "Inactive"
	PhaseChurned    PartnerPhase = "Churned"
)

// ProgramMetric is one metric of a program with the sample behind it. A
// metric measured in time (onboardingP50, onboardingP90) has a duration
// instead of a value, written the way its target is ("266h48m0s" against
// "240h0m0s"), so a number of hours is never set against a duration.
// +kubebuilder:validation:XValidation:rule="!has(self.value) || !has(self.duration)",message="a metric has a value or a duration, not both"
type ProgramMetric struct {
	// name of the metric, for example activationRate.
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// value of a metric that is a number (a rate, revenue per support hour,
	// referrals per partner); absent when the sample is too small.
	// +optional
	Value *float64 `json:"value,omitempty"`
	// duration of a metric measured in time, rounded up to whole minutes
	// (so it meets a target of whole minutes exactly when the measured time
	// does); absent when the sample is too small.
	// +optional
	Duration *metav1.Duration `json:"duration,omitempty"`
	// sample is how many partners the value is computed over.
	Sample int32 `json:"sample"`
	// target of the metric from the spec, if any: a number, or for a
	// metric measured in time a duration written like duration.
	// +optional
	// +kubebuilder:validation:MaxLength=32
	Target string `json:"target,omitempty"`
	// met says whether the value (or duration) meets the target; absent
	// without one or without a target.
	// +optional
	Met *bool `json:"met,omitempty"`
	// note explains a missing value, for example "too few partners (3 < 5)".
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Note string `json:"note,omitempty"`
}

// CountByName counts partners by phase or type.
type CountByName struct {
	// name of the phase or type.
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// count of partners.
	Count int32 `json:"count"`
}

// Risk is a finding from seed 003's list of risks.
type Risk struct {
	// name: OvercomplicatedStructure, MisalignedIncentives, OnboardingBottleneck.
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// message explains the finding.
	// +kubebuilder:validation:MaxLength=512
	Message string `json:"message"`
}

// PartnerProgramStatus says how the program performs and whether it admits.
type PartnerProgramStatus struct {
	// observedGeneration is the generation last evaluated successfully.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// lastHandledRequestedAt is the value of the growth.scaleup.io/requested-at
	// annotation that the last reconcile handled (AnnotationRequestedAt).
	// +kubebuilder:validation:MaxLength=256
	// +optional
	LastHandledRequestedAt string `json:"lastHandledRequestedAt,omitempty"`
	// partners is the number of partners in the program.
	// +optional
	Partners int32 `json:"partners,omitempty"`
	// active is the number of Active partners.
	// +optional
	Active int32 `json:"active,omitempty"`
	// byPhase counts partners by phase.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=5
	ByPhase []CountByName `json:"byPhase,omitempty"`
	// byType counts partners by type.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	ByType []CountByName `json:"byType,omitempty"`
	// metrics are the scalability metrics with their samples.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Metrics []ProgramMetric `json:"metrics,omitempty"`
	// activation and retention, as percentages for printing.
	// +optional
	// +kubebuilder:validation:MaxLength=16
	Activation string `json:"activation,omitempty"`
	// +optional
	// +kubebuilder:validation:MaxLength=16
	Retention string `json:"retention,omitempty"`
	// stage is the current expansion stage (Gradual) or "open".
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Stage string `json:"stage,omitempty"`
	// capacity is how many partners the stage admits (0 when open).
	// +optional
	Capacity int32 `json:"capacity,omitempty"`
	// targetsHeldSince is when every target last started to hold; the next
	// stage opens a validation window after it.
	// +optional
	TargetsHeldSince *metav1.Time `json:"targetsHeldSince,omitempty"`
	// expansion is Open while admissions are open, Closed when the stage is full.
	// +optional
	// +kubebuilder:validation:Enum=Open;Closed
	Expansion string `json:"expansion,omitempty"`
	// risks are the findings of seed 003's risks.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Risks []Risk `json:"risks,omitempty"`
	// tasks counts the generated ProjectTasks.
	// +optional
	Tasks *TaskCounts `json:"tasks,omitempty"`
	// conditions: Ready, TargetsMet, ExpansionOpen, ReadyForPartners,
	// Stalled, Reconciling.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// PartnerProgram is a partner program: types, onboarding, targets, expansion.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=pp,categories=scaleup
// +kubebuilder:printcolumn:name="Stage",type=string,JSONPath=`.status.stage`
// +kubebuilder:printcolumn:name="Partners",type=integer,JSONPath=`.status.partners`
// +kubebuilder:printcolumn:name="Active",type=integer,JSONPath=`.status.active`
// +kubebuilder:printcolumn:name="Activation",type=string,JSONPath=`.status.activation`
// +kubebuilder:printcolumn:name="Retention",type=string,JSONPath=`.status.retention`
// +kubebuilder:printcolumn:name="Expansion",type=string,JSONPath=`.status.expansion`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
type PartnerProgram struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the program.
	// +required
	Spec PartnerProgramSpec `json:"spec"`
	// status says how it performs.
	// +optional
	Status PartnerProgramStatus `json:"status,omitempty"`
}

// PartnerProgramList is a list of PartnerPrograms.
// +kubebuilder:object:root=true
type PartnerProgramList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []PartnerProgram `json:"items"`
}

func init() {
	register(&PartnerProgram{}, &PartnerProgramList{})
}
