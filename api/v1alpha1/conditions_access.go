package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// GetConditions and SetConditions give every kind the same handle on its
// status conditions, so the controllers record a failed pass the same way
// for all of them.

// GetConditions returns the status conditions.
func (in *MaturityModel) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *MaturityModel) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetConditions returns the status conditions.
func (in *MaturityTarget) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *MaturityTarget) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetConditions returns the status conditions.
func (in *MetricSource) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *MetricSource) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetConditions returns the status conditions.
func (in *SupportPlan) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *SupportPlan) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetConditions returns the status conditions.
func (in *PartnerProgram) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *PartnerProgram) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetConditions returns the status conditions.
func (in *Partner) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *Partner) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetConditions returns the status conditions.
func (in *ProjectTask) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *ProjectTask) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }
