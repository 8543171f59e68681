package v1alpha1

import (
	"fmt"
	"slices"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// The functions in this file decide, without a client, which Secrets and
// ConfigMaps a MetricSource names and which of them its requester must be
// allowed to read; consent.go asks the API server.

// credentialRef is one Secret or ConfigMap a MetricSource names.
type credentialRef struct {
	// field is the path of the name, for messages:
	// spec.http.headers[0].valueFrom.name.
	field string
	// use says what the operator does with the object: "auth" and "header"
	// are sent to the destination, "ca" verifies it.
	use  string
	kind string // Secret or ConfigMap
	name string
	// key read from the object; empty for auth, which reads the `token`
	// key or the `username` and `password` keys.
	key string
}

// same says whether r reads the same data for the same use as o.
func (r credentialRef) same(o credentialRef) bool {
	return r.use == o.use && r.kind == o.kind && r.name == o.name && r.key == o.key
}

// credentialRefs lists every Secret and ConfigMap spec names, in field
// order. The schema allows one provider per source; each present is walked
// all the same, so no reference escapes the check.
func credentialRefs(spec *v1alpha1.MetricSourceSpec) []credentialRef {
	var refs []credentialRef
	if p := spec.Prometheus; p != nil {
		refs = append(refs, connectionRefs("spec.prometheus", p.Auth, p.TLS)...)
	}
	if h := spec.HTTP; h != nil {
		for i, hdr := range h.Headers {
			if hdr.ValueFrom != nil {
				refs = append(refs, credentialRef{field: fmt.Sprintf("spec.http.headers[%d].valueFrom.name", i),
					use: "header", kind: "Secret", name: hdr.ValueFrom.Name, key: hdr.ValueFrom.Key})
			}
		}
		refs = append(refs, connectionRefs("spec.http", h.Auth, h.TLS)...)
	}
	return refs
}

func connectionRefs(prefix string, auth *v1alpha1.HTTPAuth, tls *v1alpha1.TLSConfig) []credentialRef {
	var refs []credentialRef
	if auth != nil {
		refs = append(refs, credentialRef{field: prefix + ".auth.secretRef.name", use: "auth", kind: "Secret", name: auth.SecretRef.Name})
	}
	if tls != nil && tls.CASecretRef != nil {
		refs = append(refs, credentialRef{field: prefix + ".tls.caSecretRef.name", use: "ca", kind: "Secret",
			name: tls.CASecretRef.Name, key: tls.CASecretRef.Key})
	}
	if tls != nil && tls.CAConfigMapRef != nil {
		refs = append(refs, credentialRef{field: prefix + ".tls.caConfigMapRef.name", use: "ca", kind: "ConfigMap",
			name: tls.CAConfigMapRef.Name, key: tls.CAConfigMapRef.Key})
	}
	return refs
}

// destination is where a source sends its credentials: its type and its
// server's address.
func destination(spec *v1alpha1.MetricSourceSpec) string {
	d := string(spec.Type)
	if spec.Prometheus != nil {
		d += " prometheus " + spec.Prometheus.Address
	}
	if spec.HTTP != nil {
		d += " http " + spec.HTTP.URL
	}
	return d
}

// refsToCheck lists the references of spec whose reading the requester
// must be allowed. On create (old is nil) that is every reference. On
// update it is every reference that is new or changed (another object,
// another key, another use), so that someone who may edit the source but
// not read its Secrets (a bot changing the interval) can still edit the
// rest; the references already there were checked when they were added.
// When the destination changes, every reference is checked again: an edit
// of the URL alone must not send somebody else's Secret to a new server.
func refsToCheck(old, spec *v1alpha1.MetricSourceSpec) []credentialRef {
	refs := credentialRefs(spec)
	if old == nil || destination(old) != destination(spec) {
		return refs
	}
	before := credentialRefs(old)
	return slices.DeleteFunc(refs, func(r credentialRef) bool {
		return slices.ContainsFunc(before, r.same)
	})
}
