package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ExpansionMode says how a program admits partners.
// +kubebuilder:validation:Enum=Gradual;Open
type ExpansionMode string

const (
	// ExpansionGradual admits partners stage by stage, moving to the next
	// stage only when every target has held for the validation window.
	ExpansionGradual ExpansionMode = "Gradual"
	// ExpansionOpen admits every partner.
	ExpansionOpen ExpansionMode = "Open"
)

// PartnerProgramSpec declares a partner program: who partners are, the one
// onboarding every partner goes through, the targets, and how it expands.
type PartnerProgramSpec struct {
	// business is the name of the business, as people know it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	Business string `json:"business"`

	// partnerTypes are the kinds of partner, with their role and revenue share.
	// +required
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	PartnerTypes []PartnerType `json:"partnerTypes"`

	// onboarding is the standard onboarding.
	// +required
	Onboarding Onboarding `json:"onboarding"`

	// targets are the scalability metrics the program must hold.
	// +optional
	// +kubebuilder:default={}
	Targets PartnerTargets `json:"targets,omitempty"`

	// expansion says how partners are admitted.
	// +optional
	// +kubebuilder:default={mode: Open}
	Expansion Expansion `json:"expansion,omitempty"`

	// readiness holds the expansion while the business, as a MaturityTarget
	// measures it, is below a minimum level.
	// +optional
	Readiness *ReadinessGate `json:"readiness,omitempty"`

	// metricSources name MetricSources in this namespace with program-level
	// facts: `supportHours` (from a ticketing system) replaces the sum of
	// the partners' support hours.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	MetricSources []LocalObjectReference `json:"metricSources,omitempty"`

	// tasks is the policy for generated ProjectTasks.
	// +optional
	// +kubebuilder:default={}
	Tasks *TaskPolicy `json:"tasks,omitempty"`
}

// PartnerType is a kind of partner (seed 003: affiliates, distributors,
// technology providers, growth operators, or names of your own).
type PartnerType struct {
	// name of the type, for example Affiliate.
	// +required
	// +kubebuilder:validation:Pattern=`^[A-Za-z][A-Za-z0-9]*$`
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// role the type plays.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Role string `json:"role,omitempty"`
	// revenueShare is what the type earns.
	// +required
	RevenueShare RevenueShare `json:"revenueShare"`
}

// RevenueShare is a flat percentage or up to three tiers by revenue.
// +kubebuilder:validation:XValidation:rule="has(self.percent) != has(self.tiers)",message="set exactly one of percent and tiers"
// +kubebuilder:validation:XValidation:rule="!has(self.tiers) || (self.tiers.map(t, t.fromRevenue).isSorted() && self.tiers.all(t, self.tiers.exists_one(u, u.fromRevenue == t.fromRevenue)))",message="tiers must be in increasing order of fromRevenue"
type RevenueShare struct {
	// percent of revenue shared, 0..100.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0 && self <= 100.0",message="percent must be in [0, 100]"
	Percent *float64 `json:"percent,omitempty"`
	// tiers by revenue, lowest first.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=3
	Tiers []RevenueTier `json:"tiers,omitempty"`
}

// RevenueTier shares percent of revenue from fromRevenue up.
type RevenueTier struct {
	// fromRevenue is where the tier starts, at most 1e15 (the most revenue
	// a partner may report).
	// +required
	// +kubebuilder:validation:XValidation:rule="self >= 0.0",message="fromRevenue must not be negative"
	// +kubebuilder:validation:Maximum=1e15
	FromRevenue float64 `json:"fromRevenue"`
	// percent of revenue shared in the tier, 0..100.
	// +required
	// +kubebuilder:validation:XValidation:rule="self >= 0.0 && self <= 100.0",message="percent must be in [0, 100]"
	Percent float64 `json:"percent"`
}

// Onboarding is the one standard onboarding.
type Onboarding struct {
	// steps every partner completes, in order.
	// +required
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=20
	Steps []OnboardingStep `json:"steps"`
	// targetDuration is how long onboarding should take.
	// +optional
	// +kubebuilder:default="336h"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	TargetDuration *metav1.Duration `json:"targetDuration,omitempty"`
}

// OnboardingStep is one step of the onboarding.
type OnboardingStep struct {
	// name of the step, a DNS label.
	// +required
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// description of the step.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Description string `json:"description,omitempty"`
}

// PartnerTargets are the five scalability metrics (seed 003) and two more.
// Rates are 0..1. Unset targets are reported but not judged.
type PartnerTargets struct {
	// activationRate: share of partners onboarded at least activationWindow
	// ago that contributed within activationWindow of joining.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0 && self <= 1.0",message="rates must be in [0, 1]"
	ActivationRate *float64 `json:"activationRate,omitempty"`
	// onboardingP50 and onboardingP90: onboarding completion time.
	// +optional
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	OnboardingP50 *metav1.Duration `json:"onboardingP50,omitempty"`
	// +optional
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	OnboardingP90 *metav1.Duration `json:"onboardingP90,omitempty"`
	// revenuePerSupportHour: partner revenue per hour of support, at most
	// 1e15.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0",message="must not be negative"
	// +kubebuilder:validation:Maximum=1e15
	RevenuePerSupportHour *float64 `json:"revenuePerSupportHour,omitempty"`
	// automationSuccessRate: share of workflow tasks that ran automated.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0 && self <= 1.0",message="rates must be in [0, 1]"
	AutomationSuccessRate *float64 `json:"automationSuccessRate,omitempty"`
	// retentionRate: share of partners who joined at least retentionWindow
	// ago that are still active.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0 && self <= 1.0",message="rates must be in [0, 1]"
	RetentionRate *float64 `json:"retentionRate,omitempty"`
	// conversionRate: conversions per visit.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0 && self <= 1.0",message="rates must be in [0, 1]"
	ConversionRate *float64 `json:"conversionRate,omitempty"`
	// referralsPerPartner among active partners, at most 1e12.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0",message="must not be negative"
	// +kubebuilder:validation:Maximum=1e12
	ReferralsPerPartner *float64 `json:"referralsPerPartner,omitempty"`
	// activationWindow, default 30 days.
	// +optional
	// +kubebuilder:default="720h"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	ActivationWindow *metav1.Duration `json:"activationWindow,omitempty"`
	// retentionWindow, default 90 days.
	// +optional
	// +kubebuilder:default="2160h"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	RetentionWindow *metav1.Duration `json:"retentionWindow,omitempty"`
	// minSample is the fewest partners a metric is judged on; below it the
	// metric is reported as "too few partners", never as 0 or 100%.
	// +optional
	// +kubebuilder:default=5
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000
	MinSample *int32 `json:"minSample,omitempty"`
}

// Expansion says how partners are admitted.
// +kubebuilder:validation:XValidation:rule="self.mode != 'Gradual' || (has(self.stages) && size(self.stages) > 0)",message="spec.expansion.stages is required when mode is Gradual"
type Expansion struct {
	// mode: Gradual or Open.
	// +optional
	// +kubebuilder:default=Open
	Mode ExpansionMode `json:"mode,omitempty"`
	// stages of a gradual expansion, smallest first.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:XValidation:rule="self.map(s, s.maxPartners).isSorted() && self.all(s, self.exists_one(t, t.maxPartners == s.maxPartners))",message="stages must grow: maxPartners in increasing order"
	Stages []ExpansionStage `json:"stages,omitempty"`
	// validationWindow is how long every target must hold before the next
	// stage opens.
	// +optional
	// +kubebuilder:default="720h"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	ValidationWindow *metav1.Duration `json:"validationWindow,omitempty"`
}

// ExpansionStage admits up to maxPartners.
type ExpansionStage struct {
	// name of the stage.
	// +required
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// maxPartners admitted in this stage.
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000000
	MaxPartners int32 `json:"maxPartners"`
}
