package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Governance of a MaturityTarget: exemptions the platform team granted, and
// how long a level change must hold before it takes effect. Both live in
// the target's spec, so they are reviewed in Git like every other change.

// Exemption excuses one objective from the target level until it expires.
type Exemption struct {
	// stream of the objective.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Stream string `json:"stream"`

	// objective name, one of the stream's objectives in the model.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Objective string `json:"objective"`

	// reason the objective is excused, shown in status next to it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	// +kubebuilder:validation:XValidation:rule="self.trim() != ''",message="reason must not be blank"
	Reason string `json:"reason"`

	// approver is who granted the exemption (a person or a team).
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:XValidation:rule="self.trim() != ''",message="approver must not be blank"
	Approver string `json:"approver"`

	// expiresAt is when the exemption lapses by itself; the objective is
	// judged by its rules again from then on.
	// +required
	ExpiresAt metav1.Time `json:"expiresAt"`
}

// Stabilization says how long a new level must hold before it replaces
// status.currentLevel. Set exactly one field.
// +kubebuilder:validation:XValidation:rule="has(self.evaluations) != has(self.duration)",message="set exactly one of stabilization.evaluations and stabilization.duration"
type Stabilization struct {
	// evaluations is the number of consecutive evaluations (every
	// spec.interval, and whenever a source publishes) that must agree on
	// the new level, counting the first one.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	Evaluations *int32 `json:"evaluations,omitempty"`

	// duration is how long every evaluation must agree on the new level.
	// +optional
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="duration(self) <= duration('8760h')",message="stabilization.duration must be at most 8760h"
	Duration *metav1.Duration `json:"duration,omitempty"`
}

// ObjectiveExemption is the exemption that makes an objective meet the
// target level.
type ObjectiveExemption struct {
	// reason of the exemption.
	// +kubebuilder:validation:MaxLength=256
	Reason string `json:"reason"`
	// approver of the exemption.
	// +kubebuilder:validation:MaxLength=128
	Approver string `json:"approver"`
	// expiresAt is when it lapses.
	ExpiresAt metav1.Time `json:"expiresAt"`
}

// Exemption states in status.exemptions.
const (
	// ExemptionActive: the exemption counts until expiresAt.
	ExemptionActive = "Active"
	// ExemptionExpired: expiresAt has passed; the objective is judged by
	// its rules. Remove the exemption or renew it.
	ExemptionExpired = "Expired"
	// ExemptionUnknownObjective: the model has no such objective; the
	// exemption has no effect.
	ExemptionUnknownObjective = "UnknownObjective"
)

// ExemptionStatus is what became of one entry of spec.exemptions.
type ExemptionStatus struct {
	// stream of the objective.
	// +kubebuilder:validation:MaxLength=63
	Stream string `json:"stream"`
	// objective name.
	// +kubebuilder:validation:MaxLength=63
	Objective string `json:"objective"`
	// state: Active, Expired or UnknownObjective.
	// +kubebuilder:validation:Enum=Active;Expired;UnknownObjective
	State string `json:"state"`
	// message says what the exemption does, on one line.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Message string `json:"message,omitempty"`
}

// ShadowSummary is what the model's shadow rules and levels would change if
// they counted.
type ShadowSummary struct {
	// currentLevel is the level the business would be at if the shadow
	// rules and levels counted; empty below the lowest level.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	CurrentLevel string `json:"currentLevel,omitempty"`
	// objectives is how many objectives a shadow rule holds below the
	// level they reach; each has its shadowBlocking in status.objectives.
	Objectives int32 `json:"objectives"`
}

// PendingLevel is a level change waiting out spec.stabilization.
type PendingLevel struct {
	// level the evaluations agree on; empty below the lowest level.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Level string `json:"level,omitempty"`
	// since is the first evaluation that found it.
	Since metav1.Time `json:"since"`
	// evaluations counts the consecutive evaluations that found it.
	Evaluations int32 `json:"evaluations"`
}
