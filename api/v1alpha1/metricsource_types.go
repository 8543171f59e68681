package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// MetricSourceType names the provider that produces a source's values.
// +kubebuilder:validation:Enum=Reported;Prometheus;HTTP;Objects
type MetricSourceType string

const (
	// MetricSourceReported means values are written into the spec by an ETL job,
	// a pipeline or a commit to Git.
	MetricSourceReported MetricSourceType = "Reported"
	// MetricSourcePrometheus means values are PromQL queries polled from a
	// Prometheus server.
	MetricSourcePrometheus MetricSourceType = "Prometheus"
	// MetricSourceHTTP means values are extracted with CEL from a JSON
	// document polled from an HTTP endpoint.
	MetricSourceHTTP MetricSourceType = "HTTP"
	// MetricSourceObjects means values are the status figures of a
	// SupportPlan and/or a PartnerProgram of the source's namespace,
	// re-published whenever their status changes.
	MetricSourceObjects MetricSourceType = "Objects"
)

// MetricSourceSpec says where the actual numbers of a business come from.
// +kubebuilder:validation:XValidation:rule="self.type != 'Reported' || has(self.reported)",message="spec.reported is required when spec.type is Reported"
// +kubebuilder:validation:XValidation:rule="self.type != 'Prometheus' || has(self.prometheus)",message="spec.prometheus is required when spec.type is Prometheus"
// +kubebuilder:validation:XValidation:rule="self.type != 'HTTP' || has(self.http)",message="spec.http is required when spec.type is HTTP"
// +kubebuilder:validation:XValidation:rule="self.type != 'Objects' || has(self.objects)",message="spec.objects is required when spec.type is Objects"
// +kubebuilder:validation:XValidation:rule="!has(self.objects) || self.type == 'Objects'",message="spec.objects is allowed only when spec.type is Objects"
// +kubebuilder:validation:XValidation:rule="[has(self.reported), has(self.prometheus), has(self.http), has(self.objects)].filter(x, x).size() <= 1",message="set only the one of spec.reported, spec.prometheus, spec.http and spec.objects that spec.type names"
type MetricSourceSpec struct {
	// type of the provider.
	// +required
	Type MetricSourceType `json:"type"`

	// reported holds values written by a person, a pipeline or an ETL job.
	// +optional
	Reported *ReportedMetrics `json:"reported,omitempty"`

	// prometheus polls PromQL queries.
	// +optional
	Prometheus *PrometheusSource `json:"prometheus,omitempty"`

	// http polls a JSON endpoint.
	// +optional
	HTTP *HTTPSource `json:"http,omitempty"`

	// objects publishes the status figures of a SupportPlan and/or a
	// PartnerProgram of this namespace (see ObjectsSource).
	// +optional
	Objects *ObjectsSource `json:"objects,omitempty"`

	// interval between two polls of a Prometheus or HTTP source. Polls are
	// jittered by up to 10% and back off exponentially while the provider
	// fails. Ignored for Reported and Objects sources.
	// +optional
	// +kubebuilder:default="1m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('5s')",message="spec.interval must be at least 5s"
	Interval *metav1.Duration `json:"interval,omitempty"`

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

	// InStatus is not part of the API and never serialized. The operator's
	// informer cache leaves values out of its copy of a source whose
	// status.values publish exactly them, each without an error, and sets
	// InStatus: the values are those of status.values.
	InStatus bool `json:"-"`
}

// MetricValue is the last good value of one metric, and the error of the
// last attempt to read it, if that failed.
type MetricValue struct {
	// name of the metric.
	// +required
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// value of the metric; absent until it was read successfully once.
	// +optional
	Value *float64 `json:"value,omitempty"`
	// observedAt is when the value was measured, or for polled sources when
	// the current value was first read (a poll returning the same number
	// writes nothing).
	// +optional
	ObservedAt *metav1.Time `json:"observedAt,omitempty"`
	// error of the last attempt to read the metric. A value with an error
	// is the last good one and counts as stale.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Error string `json:"error,omitempty"`
}

// MetricSourceStatus echoes the last values with their timestamps.
type MetricSourceStatus struct {
	// observedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// lastHandledRequestedAt is the value of the growth.scaleup.io/requested-at
	// annotation that the last reconcile handled (AnnotationRequestedAt).
	// +kubebuilder:validation:MaxLength=256
	// +optional
	LastHandledRequestedAt string `json:"lastHandledRequestedAt,omitempty"`

	// values are the last values, sorted by name.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=256
	Values []MetricValue `json:"values,omitempty"`

	// valueCount is the number of values, for `kubectl get`.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=256
	ValueCount int32 `json:"valueCount,omitempty"`

	// lastObservedAt is the newest observedAt of values: when a value last
	// changed or was reported. A poll that returns the same numbers does
	// not move it (it writes nothing); the Stale condition says whether the
	// values are older than maxAge.
	// +optional
	LastObservedAt *metav1.Time `json:"lastObservedAt,omitempty"`

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
// +kubebuilder:printcolumn:name="Values",type=integer,JSONPath=`.status.valueCount`
// +kubebuilder:printcolumn:name="Updated",type=date,JSONPath=`.status.lastObservedAt`
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
