package v1alpha1

import (
	"reflect"
	"slices"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// httpSpec names a Secret in every place an HTTP source can: a header, the
// auth and the CA.
func httpSpec() *v1alpha1.MetricSourceSpec {
	return &v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourceHTTP, HTTP: &v1alpha1.HTTPSource{
		URL: "https://shop.example/kpis",
		Headers: []v1alpha1.HTTPHeader{
			{Name: "X-Plain", Value: new("clear")},
			{Name: "X-Api-Key", ValueFrom: &v1alpha1.SecretKeyReference{Name: "api", Key: "key"}},
		},
		Auth: &v1alpha1.HTTPAuth{SecretRef: v1alpha1.LocalObjectReference{Name: "basic"}},
		TLS:  &v1alpha1.TLSConfig{CASecretRef: &v1alpha1.SecretKeyReference{Name: "ca", Key: "ca.crt"}},
	}}
}

func promSpec() *v1alpha1.MetricSourceSpec {
	return &v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourcePrometheus, Prometheus: &v1alpha1.PrometheusSource{
		Address: "http://prometheus.monitoring:9090",
		Auth:    &v1alpha1.HTTPAuth{SecretRef: v1alpha1.LocalObjectReference{Name: "token"}},
		TLS:     &v1alpha1.TLSConfig{CAConfigMapRef: &v1alpha1.ConfigMapKeyReference{Name: "ca", Key: "ca.crt"}},
	}}
}

func fields(refs []credentialRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.kind + " " + r.name + " " + r.field
	}
	return out
}

func TestCredentialRefs(t *testing.T) {
	cases := []struct {
		name string
		spec *v1alpha1.MetricSourceSpec
		want []string
	}{
		{"reported", &v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourceReported}, nil},
		{"http", httpSpec(), []string{
			"Secret api spec.http.headers[1].valueFrom.name",
			"Secret basic spec.http.auth.secretRef.name",
			"Secret ca spec.http.tls.caSecretRef.name",
		}},
		{"prometheus", promSpec(), []string{
			"Secret token spec.prometheus.auth.secretRef.name",
			"ConfigMap ca spec.prometheus.tls.caConfigMapRef.name",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := fields(credentialRefs(c.spec)); !slices.Equal(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// Every field of a MetricSourceSpec that names a Secret or ConfigMap must be
// checked at admission: a new one that credentialRefs does not know about
// would let a source read a Secret its author may not.
func TestCredentialRefsCoverEveryReferenceType(t *testing.T) {
	refTypes := []reflect.Type{
		reflect.TypeFor[v1alpha1.HTTPAuth](),
		reflect.TypeFor[v1alpha1.SecretKeyReference](),
		reflect.TypeFor[v1alpha1.ConfigMapKeyReference](),
	}
	var found []string
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if slices.Contains(refTypes, t) {
			found = append(found, path)
			return
		}
		if t.Kind() != reflect.Struct {
			return
		}
		for f := range t.Fields() {
			walk(f.Type, path+"."+f.Name)
		}
	}
	walk(reflect.TypeFor[v1alpha1.MetricSourceSpec](), "spec")
	known := []string{
		"spec.Prometheus.Auth", "spec.Prometheus.TLS.CASecretRef", "spec.Prometheus.TLS.CAConfigMapRef",
		"spec.HTTP.Headers.ValueFrom", "spec.HTTP.Auth", "spec.HTTP.TLS.CASecretRef", "spec.HTTP.TLS.CAConfigMapRef",
	}
	slices.Sort(found)
	slices.Sort(known)
	if !slices.Equal(found, known) {
		t.Errorf("reference fields %q, credentialRefs knows %q: teach credentialRefs the new ones", found, known)
	}
}

func TestRefsToCheck(t *testing.T) {
	edit := func(base func() *v1alpha1.MetricSourceSpec, change func(*v1alpha1.MetricSourceSpec)) *v1alpha1.MetricSourceSpec {
		s := base()
		change(s)
		return s
	}
	cases := []struct {
		name      string
		old, spec *v1alpha1.MetricSourceSpec
		want      []string
	}{
		{"create checks every reference", nil, httpSpec(), fields(credentialRefs(httpSpec()))},
		{"an edit that keeps every reference checks none", httpSpec(), edit(httpSpec, func(s *v1alpha1.MetricSourceSpec) {
			s.HTTP.Method, s.HTTP.Headers[0].Value = "POST", new("changed")
		}), nil},
		{"headers reordered", httpSpec(), edit(httpSpec, func(s *v1alpha1.MetricSourceSpec) {
			slices.Reverse(s.HTTP.Headers)
		}), nil},
		{"a reference removed", httpSpec(), edit(httpSpec, func(s *v1alpha1.MetricSourceSpec) { s.HTTP.Auth = nil }), nil},
		{"another Secret", httpSpec(), edit(httpSpec, func(s *v1alpha1.MetricSourceSpec) {
			s.HTTP.Auth.SecretRef.Name = "other"
		}), []string{"Secret other spec.http.auth.secretRef.name"}},
		{"another key of the same Secret", httpSpec(), edit(httpSpec, func(s *v1alpha1.MetricSourceSpec) {
			s.HTTP.Headers[1].ValueFrom.Key = "admin-key"
		}), []string{"Secret api spec.http.headers[1].valueFrom.name"}},
		{"the CA's key now sent as a header", httpSpec(), edit(httpSpec, func(s *v1alpha1.MetricSourceSpec) {
			s.HTTP.Headers[1].ValueFrom = &v1alpha1.SecretKeyReference{Name: "ca", Key: "ca.crt"}
		}), []string{"Secret ca spec.http.headers[1].valueFrom.name"}},
		{"a new URL checks every reference", httpSpec(), edit(httpSpec, func(s *v1alpha1.MetricSourceSpec) {
			s.HTTP.URL = "https://elsewhere.example/kpis"
		}), fields(credentialRefs(httpSpec()))},
		{"a new Prometheus address checks every reference", promSpec(), edit(promSpec, func(s *v1alpha1.MetricSourceSpec) {
			s.Prometheus.Address = "http://elsewhere:9090"
		}), fields(credentialRefs(promSpec()))},
		{"from Reported to Prometheus", &v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourceReported}, promSpec(),
			fields(credentialRefs(promSpec()))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := fields(refsToCheck(c.old, c.spec)); !slices.Equal(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
