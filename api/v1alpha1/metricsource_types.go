package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// MetricSourceType names the provider that produces a source's values.
// +kubebuilder:validation:Enum=Reported
type MetricSourceType string

const (
	// MetricSourceReported means values are written into the spec by an ETL job,
	// a pipeline or a commit to Git.
	MetricSourceReported MetricSourceType = "Reported"
)

// MetricSourceSpec says where the actual numbers of a business come from.
// +kubebuilder:validation:XValidation:rule="self.type != 'Reported' || has(self.reported)",message="spec.reported is required when spec.type is Reported"
type MetricSourceSpec struct {
	// type of the provider.
	// +required
	Type MetricSourceType `json:"type"`

	// reported holds values written by a person, a pipeline or an ETL job.
	// +optional
	Reported *ReportedMetrics `json:"reported,omitempty"`

	// maxAge is how old the values may be before they count as stale. Stale
	// values are still shown but never resolve or reopen tasks. Unset means
	// values never go stale.
	// +optional
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	MaxAge *metav1.Duration `json:"maxAge,omitempty"`
}

// ReportedMetrics are values written directly into the spec.
type ReportedMetrics struct {
	// values maps metric names (identifiers usable in CEL: letters, digits
	// and underscores) to numbers.
	// +required
	// +kubebuilder:validation:MinProperties=1
	// +kubebuilder:validation:MaxProperties=256
	// +kubebuilder:validation:XValidation:rule="self.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]{0,62}$'))",message="spec.reported.values keys must be identifiers: a letter or underscore, then letters, digits or underscores (at most 63)"
	Values map[string]float64 `json:"values"`

	// observedAt is when the values were measured. Defaults to the time the
	// controller first saw them.
	// +optional
	ObservedAt *metav1.Time `json:"observedAt,omitempty"`
}

// MetricValue is the last value of one metric.
type MetricValue struct {
	// name of the metric.
	// +required
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// value of the metric.
	// +required
	Value float64 `json:"value"`
	// observedAt is when the value was measured.
	// +required
	ObservedAt metav1.Time `json:"observedAt"`
}

// MetricSourceStatus echoes the last values with their timestamps.
type MetricSourceStatus struct {
	// observedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// values are the last values, sorted by name.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=256
	Values []MetricValue `json:"values,omitempty"`

	// conditions: Ready, Stale, Stalled, Reconciling.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// MetricSource is where the actual numbers of a business come from.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=ms,categories=scaleup
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="Stale",type=string,JSONPath=`.status.conditions[?(@.type=="Stale")].status`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type MetricSource struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec says where the numbers come from.
	// +required
	Spec MetricSourceSpec `json:"spec"`
	// status holds the last values.
	// +optional
	Status MetricSourceStatus `json:"status,omitempty"`
}

// MetricSourceList is a list of MetricSources.
// +kubebuilder:object:root=true
type MetricSourceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []MetricSource `json:"items"`
}

func init() {
	register(&MetricSource{}, &MetricSourceList{})
}
