package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TargetCampaign is where a target stands in one Campaign that selects it.
type TargetCampaign struct {
	// name of the Campaign (in the target's namespace).
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// generation of the Campaign this result was evaluated with.
	// +optional
	Generation int64 `json:"generation,omitempty"`
	// phase of the campaign at the evaluation: Scheduled (its rules are
	// shadow), Active (failing rules open tasks due at targetDate, the
	// level does not change) or Enforced (its rules count in the level).
	// +kubebuilder:validation:Enum=Scheduled;Active;Enforced
	Phase string `json:"phase"`
	// targetDate of the campaign.
	TargetDate metav1.Time `json:"targetDate"`
	// passing counts the campaign's objectives the target meets at its
	// target level with the campaign's rules counted.
	Passing int32 `json:"passing"`
	// failing names the campaign's objectives it does not meet yet.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Failing []ObjectiveRef `json:"failing,omitempty"`
	// message says why the campaign does not apply to the target, when it
	// does not (for example an objective the model no longer has).
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Message string `json:"message,omitempty"`
}
