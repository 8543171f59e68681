package v1alpha1

// Labels the operator reads on objects it does not own.
const (
	// LabelMetricCredentials opts a Secret or ConfigMap in to being read by
	// MetricSources of its namespace: the operator reads a Secret or
	// ConfigMap a source names only when it carries this label with the
	// value "true". A source admitted while the webhook was not running
	// still cannot read an object its owner did not offer.
	LabelMetricCredentials = "growth.scaleup.io/metric-credentials"
)
