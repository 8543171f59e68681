package v1alpha1

// ObjectsSource names the objects of the source's namespace whose status
// figures a MetricSource of type Objects publishes as metrics with fixed
// names (supportCapacityGap, partnersActivationRatePercent, ...; the
// README lists them). The source watches the objects: a status change of
// one re-publishes it, nothing is polled. A named object that does not
// exist yet, or has not been evaluated yet, is waited for (Reconciling).
// +kubebuilder:validation:XValidation:rule="has(self.supportPlanRef) || has(self.partnerProgramRef)",message="spec.objects needs supportPlanRef, partnerProgramRef or both"
type ObjectsSource struct {
	// supportPlanRef names a SupportPlan of this namespace; its metrics
	// are named support*.
	// +optional
	SupportPlanRef *LocalObjectReference `json:"supportPlanRef,omitempty"`

	// partnerProgramRef names a PartnerProgram of this namespace; its
	// metrics are named partners*.
	// +optional
	PartnerProgramRef *LocalObjectReference `json:"partnerProgramRef,omitempty"`
}
