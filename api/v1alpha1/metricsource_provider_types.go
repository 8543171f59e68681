package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PrometheusSource polls PromQL queries, each returning one number.
type PrometheusSource struct {
	// address of the Prometheus server, for example http://prometheus.monitoring:9090.
	// +required
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^https?://`
	Address string `json:"address"`

	// queries map metric names to PromQL expressions that return a scalar
	// or a vector of exactly one sample.
	// +required
	// +listType=map
	// +listMapKey=metric
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=64
	Queries []PrometheusQuery `json:"queries"`

	// auth gives the credentials to send.
	// +optional
	Auth *HTTPAuth `json:"auth,omitempty"`

	// tls configures the server's certificate authority.
	// +optional
	TLS *TLSConfig `json:"tls,omitempty"`

	// timeout of one poll, at most 30s: a poll holds one of the manager's
	// poll slots while it waits.
	// +optional
	// +kubebuilder:default="10s"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="duration(self) <= duration('30s')",message="timeout must be at most 30s"
	Timeout *metav1.Duration `json:"timeout,omitempty"`
}

// PrometheusQuery is one metric read with PromQL.
type PrometheusQuery struct {
	// metric is the name the value is published under.
	// +required
	// +kubebuilder:validation:Pattern=`^[A-Za-z_][A-Za-z0-9_]{0,62}$`
	Metric string `json:"metric"`
	// query is the PromQL expression.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Query string `json:"query"`
}

// HTTPSource polls a JSON document and extracts metrics with CEL.
// +kubebuilder:validation:XValidation:rule="!has(self.body) || self.method == 'POST'",message="spec.http.body is sent only with method POST"
type HTTPSource struct {
	// url of the endpoint.
	// +required
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^https?://`
	URL string `json:"url"`

	// method of the request.
	// +optional
	// +kubebuilder:default=GET
	// +kubebuilder:validation:Enum=GET;POST
	Method string `json:"method,omitempty"`

	// headers to send; values may come from a Secret in the same namespace.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=20
	Headers []HTTPHeader `json:"headers,omitempty"`

	// body sent with a POST.
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	Body string `json:"body,omitempty"`

	// metrics map metric names to CEL expressions over `body`, the decoded
	// JSON response, returning a number: `body.orders.errorRate * 100.0`.
	// JSON numbers are doubles: write `2.0`, or `int(body.count) * 2`.
	// +required
	// +listType=map
	// +listMapKey=metric
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=64
	Metrics []HTTPMetric `json:"metrics"`

	// auth gives the credentials to send.
	// +optional
	Auth *HTTPAuth `json:"auth,omitempty"`

	// tls configures the server's certificate authority.
	// +optional
	TLS *TLSConfig `json:"tls,omitempty"`

	// timeout of one poll, at most 30s: a poll holds one of the manager's
	// poll slots while it waits.
	// +optional
	// +kubebuilder:default="10s"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="duration(self) <= duration('30s')",message="timeout must be at most 30s"
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// maxResponseBytes limits the size of the response body, at most 4 MiB.
	// The decoded document is bounded too: 100,000 values, 64 levels deep.
	// +optional
	// +kubebuilder:default=1048576
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=4194304
	MaxResponseBytes *int64 `json:"maxResponseBytes,omitempty"`
}

// HTTPHeader is one request header.
// +kubebuilder:validation:XValidation:rule="has(self.value) != has(self.valueFrom)",message="set exactly one of value and valueFrom"
type HTTPHeader struct {
	// name of the header.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9!#$%&'*+.^_|~-]+$`
	Name string `json:"name"`
	// value of the header, in clear.
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	Value *string `json:"value,omitempty"`
	// valueFrom reads the value from a Secret in the same namespace.
	// +optional
	ValueFrom *SecretKeyReference `json:"valueFrom,omitempty"`
}

// HTTPMetric is one metric extracted from a JSON body.
type HTTPMetric struct {
	// metric is the name the value is published under.
	// +required
	// +kubebuilder:validation:Pattern=`^[A-Za-z_][A-Za-z0-9_]{0,62}$`
	Metric string `json:"metric"`
	// expression is CEL over `body` returning a number.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Expression string `json:"expression"`
}

// HTTPAuth names a Secret in the same namespace holding either `token`
// (sent as a bearer token) or `username` and `password` (basic auth).
type HTTPAuth struct {
	// secretRef names the Secret.
	// +required
	SecretRef LocalObjectReference `json:"secretRef"`
}

// TLSConfig says which certificate authority signs the server's certificate.
// +kubebuilder:validation:XValidation:rule="!(has(self.caSecretRef) && has(self.caConfigMapRef))",message="set at most one of caSecretRef and caConfigMapRef"
type TLSConfig struct {
	// caSecretRef reads the PEM bundle from a key of a Secret.
	// +optional
	CASecretRef *SecretKeyReference `json:"caSecretRef,omitempty"`
	// caConfigMapRef reads the PEM bundle from a key of a ConfigMap.
	// +optional
	CAConfigMapRef *ConfigMapKeyReference `json:"caConfigMapRef,omitempty"`
}

// SecretKeyReference names a key of a Secret in the same namespace.
type SecretKeyReference struct {
	// name of the Secret.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`
	// key in the Secret's data.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Key string `json:"key"`
}

// ConfigMapKeyReference names a key of a ConfigMap in the same namespace.
type ConfigMapKeyReference struct {
	// name of the ConfigMap.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`
	// key in the ConfigMap's data.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Key string `json:"key"`
}
