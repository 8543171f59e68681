package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PartnerSpec is the facts of one partner, kept current by an ETL job, a
// partner portal or a person.
type PartnerSpec struct {
	// programRef names the PartnerProgram in this namespace.
	// +required
	ProgramRef LocalObjectReference `json:"programRef"`
	// type is one of the program's partner types.
	// +required
	// +kubebuilder:validation:Pattern=`^[A-Za-z][A-Za-z0-9]*$`
	// +kubebuilder:validation:MaxLength=63
	Type string `json:"type"`
	// joinedAt is when the partner applied; admission is first come, first
	// served by it.
	// +required
	// +kubebuilder:validation:XValidation:rule="self >= timestamp('1970-01-01T00:00:00Z') && self < timestamp('2200-01-01T00:00:00Z')",message="spec.joinedAt must be between 1970 and 2199"
	JoinedAt metav1.Time `json:"joinedAt"`
	// onboarding records the steps completed.
	// +optional
	Onboarding PartnerOnboarding `json:"onboarding,omitempty"`
	// activity records contribution and departure.
	// +optional
	Activity PartnerActivity `json:"activity,omitempty"`
	// results are the partner's totals so far.
	// +optional
	Results PartnerResults `json:"results,omitempty"`
}

// PartnerOnboarding records the onboarding steps completed.
type PartnerOnboarding struct {
	// completed steps, each one of the program's steps.
	// +optional
	// +listType=map
	// +listMapKey=step
	// +kubebuilder:validation:MaxItems=20
	Completed []CompletedStep `json:"completed,omitempty"`
}

// CompletedStep is an onboarding step and when it was completed.
type CompletedStep struct {
	// step name.
	// +required
	// +kubebuilder:validation:MaxLength=63
	Step string `json:"step"`
	// at is when it was completed.
	// +required
	At metav1.Time `json:"at"`
}

// PartnerActivity records contribution and departure.
type PartnerActivity struct {
	// firstContributionAt is the partner's first sale, lead or referral.
	// +optional
	FirstContributionAt *metav1.Time `json:"firstContributionAt,omitempty"`
	// lastActivityAt is the partner's latest contribution.
	// +optional
	LastActivityAt *metav1.Time `json:"lastActivityAt,omitempty"`
	// leftAt is when the partner left the program.
	// +optional
	LeftAt *metav1.Time `json:"leftAt,omitempty"`
}

// PartnerResults are a partner's totals. All are non-negative and bounded
// far beyond any real partner and far below what could overflow a metric:
// revenue at most 1e15, supportHours at most 1e9, every count at most 1e12.
type PartnerResults struct {
	// revenue brought in, at most 1e15.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0",message="revenue must not be negative"
	// +kubebuilder:validation:Maximum=1e15
	Revenue float64 `json:"revenue,omitempty"`
	// supportHours spent on the partner, at most 1e9.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0",message="supportHours must not be negative"
	// +kubebuilder:validation:Maximum=1e9
	SupportHours float64 `json:"supportHours,omitempty"`
	// conversions and visits the partner brought, each at most 1e12.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000000000000
	Conversions int64 `json:"conversions,omitempty"`
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000000000000
	Visits int64 `json:"visits,omitempty"`
	// referrals of new partners or customers, at most 1e12.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000000000000
	Referrals int64 `json:"referrals,omitempty"`
	// automatedTasks and manualTasks are workflow tasks (reports,
	// notifications, approvals) that ran automated or needed a person,
	// each at most 1e12.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000000000000
	AutomatedTasks int64 `json:"automatedTasks,omitempty"`
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000000000000
	ManualTasks int64 `json:"manualTasks,omitempty"`
}

// PartnerStatus says where the partner is.
type PartnerStatus struct {
	// observedGeneration is the generation last evaluated.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// lastHandledRequestedAt is the value of the growth.scaleup.io/requested-at
	// annotation that the last reconcile handled (AnnotationRequestedAt).
	// +kubebuilder:validation:MaxLength=256
	// +optional
	LastHandledRequestedAt string `json:"lastHandledRequestedAt,omitempty"`
	// phase: Waitlisted, Onboarding, Active, Inactive or Churned.
	// +optional
	Phase PartnerPhase `json:"phase,omitempty"`
	// phaseReason says why the partner is in its phase, from the facts that
	// decide it: "no contribution for 62 days; Inactive after 60",
	// "onboarding for 12 days: 3 of 5 steps done".
	// +optional
	// +kubebuilder:validation:MaxLength=256
	PhaseReason string `json:"phaseReason,omitempty"`
	// onboardingProgress is "completed/total", for example 3/4.
	// +optional
	// +kubebuilder:validation:MaxLength=16
	OnboardingProgress string `json:"onboardingProgress,omitempty"`
	// timeToActivation is the time from joining to the first contribution,
	// rounded up to whole minutes and written like the program's
	// activationWindow ("125h0m0s" against "720h0m0s").
	// +optional
	TimeToActivation *metav1.Duration `json:"timeToActivation,omitempty"`
	// admittedAt is when the program admitted the partner; once set it
	// stays: an admitted partner is never waitlisted again.
	// +optional
	AdmittedAt *metav1.Time `json:"admittedAt,omitempty"`
	// conditions: Admitted, Onboarded, Ready, Stalled.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// CompactedAdmissionRecorded is not part of the API and never
	// serialized. The operator's informer cache leaves the admitted-at
	// annotation out of its copy of a partner when it records exactly
	// admittedAt (a map of one entry is about 300 bytes, a third of a
	// cached partner); this says it does, so the program does not write it
	// again. It is false on a whole copy.
	CompactedAdmissionRecorded bool `json:"-"`
}

// Partner is one partner of a program.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=ptn,categories=scaleup
// +kubebuilder:printcolumn:name="Program",type=string,JSONPath=`.spec.programRef.name`
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Onboarding",type=string,JSONPath=`.status.onboardingProgress`
// +kubebuilder:printcolumn:name="Joined",type=date,JSONPath=`.spec.joinedAt`
// +kubebuilder:printcolumn:name="Why",type=string,JSONPath=`.status.phaseReason`,priority=1
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
type Partner struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the partner's facts.
	// +required
	Spec PartnerSpec `json:"spec"`
	// status says where the partner is.
	// +optional
	Status PartnerStatus `json:"status,omitempty"`
}

// PartnerList is a list of Partners.
// +kubebuilder:object:root=true
type PartnerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Partner `json:"items"`
}

func init() {
	register(&Partner{}, &PartnerList{})
}
