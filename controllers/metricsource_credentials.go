package controllers

import (
	"context"
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
)

// credentials resolves the Secrets and ConfigMaps a source names, in its own
// namespace only, and only those that carry the opt-in label
// LabelMetricCredentials: a source admitted while the webhook was not
// running (so without the check that its author may read them) still cannot
// read an object its owner did not offer. Errors name objects and keys,
// never their contents.
func (r *MetricSourceReconciler) credentials(ctx context.Context, src *v1alpha1.MetricSource) (metricsource.Credentials, error) {
	var (
		creds metricsource.Credentials
		auth  *v1alpha1.HTTPAuth
		tls   *v1alpha1.TLSConfig
		field string
	)
	switch {
	case src.Spec.Prometheus != nil:
		auth, tls, field = src.Spec.Prometheus.Auth, src.Spec.Prometheus.TLS, "spec.prometheus"
	case src.Spec.HTTP != nil:
		auth, tls, field = src.Spec.HTTP.Auth, src.Spec.HTTP.TLS, "spec.http"
		creds.Headers = map[string]string{}
		for i, h := range src.Spec.HTTP.Headers {
			switch {
			case h.Value != nil:
				creds.Headers[h.Name] = *h.Value
			case h.ValueFrom != nil:
				v, err := r.secretKey(ctx, src.Namespace, *h.ValueFrom, fmt.Sprintf("spec.http.headers[%d].valueFrom", i))
				if err != nil {
					return creds, err
				}
				creds.Headers[h.Name] = string(v)
			}
		}
	default:
		return creds, nil
	}

	if auth != nil {
		secret, err := r.secret(ctx, src.Namespace, auth.SecretRef.Name, field+".auth.secretRef")
		if err != nil {
			return creds, err
		}
		switch {
		case len(secret.Data["token"]) > 0:
			creds.BearerToken = string(secret.Data["token"])
		case len(secret.Data["username"]) > 0:
			creds.Username, creds.Password = string(secret.Data["username"]), string(secret.Data["password"])
		default:
			return creds, fmt.Errorf("credentials: Secret %s (%s.auth.secretRef) has neither a token key nor username and password keys", auth.SecretRef.Name, field)
		}
	}
	if tls != nil {
		var err error
		switch {
		case tls.CASecretRef != nil:
			creds.CA, err = r.secretKey(ctx, src.Namespace, *tls.CASecretRef, field+".tls.caSecretRef")
		case tls.CAConfigMapRef != nil:
			creds.CA, err = r.configMapKey(ctx, src.Namespace, *tls.CAConfigMapRef, field+".tls.caConfigMapRef")
		}
		if err != nil {
			return creds, err
		}
	}
	return creds, nil
}

func (r *MetricSourceReconciler) secret(ctx context.Context, ns, name, field string) (*corev1.Secret, error) {
	s := &corev1.Secret{}
	if err := r.Secrets.Get(ctx, types.NamespacedName{Namespace: ns, Name: name}, s); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, fmt.Errorf("credentials: Secret %s (%s) not found", name, field)
		}
		return nil, fmt.Errorf("reading Secret %s (%s): %w", name, field, err)
	}
	if !optedIn(s.Labels) {
		return nil, notOptedIn("Secret", name, field)
	}
	return s, nil
}

func (r *MetricSourceReconciler) secretKey(ctx context.Context, ns string, ref v1alpha1.SecretKeyReference, field string) ([]byte, error) {
	s, err := r.secret(ctx, ns, ref.Name, field)
	if err != nil {
		return nil, err
	}
	v, ok := s.Data[ref.Key]
	if !ok {
		return nil, fmt.Errorf("credentials: Secret %s (%s) has no key %q", ref.Name, field, ref.Key)
	}
	return v, nil
}

func (r *MetricSourceReconciler) configMapKey(ctx context.Context, ns string, ref v1alpha1.ConfigMapKeyReference, field string) ([]byte, error) {
	cm := &corev1.ConfigMap{}
	if err := r.Secrets.Get(ctx, types.NamespacedName{Namespace: ns, Name: ref.Name}, cm); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, fmt.Errorf("credentials: ConfigMap %s (%s) not found", ref.Name, field)
		}
		return nil, fmt.Errorf("reading ConfigMap %s (%s): %w", ref.Name, field, err)
	}
	if !optedIn(cm.Labels) {
		return nil, notOptedIn("ConfigMap", ref.Name, field)
	}
	if v, ok := cm.Data[ref.Key]; ok {
		return []byte(v), nil
	}
	if v, ok := cm.BinaryData[ref.Key]; ok {
		return v, nil
	}
	return nil, fmt.Errorf("credentials: ConfigMap %s (%s) has no key %q", ref.Name, field, ref.Key)
}

// optedIn says whether an object's labels offer it to MetricSources.
func optedIn(labels map[string]string) bool {
	return labels[v1alpha1.LabelMetricCredentials] == "true"
}

// credentialsError is why a source's credentials could not be read, with
// the reason its Ready condition gives.
type credentialsError struct {
	reason, msg string
}

func (e *credentialsError) Error() string { return e.msg }

func notOptedIn(kind, name, field string) error {
	return &credentialsError{reason: v1alpha1.ReasonCredentialsNotOptedIn, msg: fmt.Sprintf(
		"credentials: %s %s (%s) is not offered to MetricSources: add the label %s: \"true\" to it",
		kind, name, field, v1alpha1.LabelMetricCredentials)}
}

// credentialsReason is the Ready reason for an error of credentials.
func credentialsReason(err error) string {
	if ce, ok := errors.AsType[*credentialsError](err); ok {
		return ce.reason
	}
	return v1alpha1.ReasonCredentialsUnavailable
}
