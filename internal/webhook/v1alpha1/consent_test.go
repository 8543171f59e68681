package v1alpha1

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// reviewer answers SubjectAccessReviews from a list of what may be read,
// "Secret/name", and keeps the reviews it was asked.
type reviewer struct {
	readable []string
	fail     error
	asked    []authorizationv1.SubjectAccessReviewSpec
}

func (r *reviewer) client(objects ...client.Object) client.WithWatch {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		panic(err)
	}
	return fake.NewClientBuilder().WithScheme(s).WithObjects(objects...).WithInterceptorFuncs(interceptor.Funcs{
		Create: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.CreateOption) error {
			sar, ok := obj.(*authorizationv1.SubjectAccessReview)
			if !ok {
				return c.Create(ctx, obj, opts...)
			}
			if r.fail != nil {
				return r.fail
			}
			r.asked = append(r.asked, sar.Spec)
			a := sar.Spec.ResourceAttributes
			kind := map[string]string{"secrets": "Secret", "configmaps": "ConfigMap"}[a.Resource]
			sar.Status.Allowed = a.Verb == "get" && a.Group == "" && a.Namespace == "shop" &&
				slices.Contains(r.readable, kind+"/"+a.Name)
			return nil
		},
	}).Build()
}

func labelled(obj client.Object) client.Object {
	obj.SetLabels(map[string]string{v1alpha1.LabelMetricCredentials: "true"})
	return obj
}

var bob = authenticationv1.UserInfo{
	Username: "bob", UID: "b-1", Groups: []string{"shop-devs", "system:authenticated"},
	Extra: map[string]authenticationv1.ExtraValue{"scopes": {"metrics"}},
}

func asBob() context.Context {
	return admission.NewContextWithRequest(context.Background(),
		admission.Request{AdmissionRequest: admissionv1.AdmissionRequest{UserInfo: bob}})
}

func source(spec *v1alpha1.MetricSourceSpec) *v1alpha1.MetricSource {
	return &v1alpha1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "kpis"}, Spec: *spec}
}

func TestConsentAsksForTheRequesterOncePerObject(t *testing.T) {
	r := &reviewer{readable: []string{"Secret/token", "ConfigMap/ca"}}
	c := r.client()
	spec := promSpec()
	spec.Prometheus.TLS = &v1alpha1.TLSConfig{CASecretRef: &v1alpha1.SecretKeyReference{Name: "token", Key: "ca.crt"}}
	if _, err := (consent{reviews: c, objects: c}).check(asBob(), source(spec), refsToCheck(nil, spec)); err != nil {
		t.Fatal(err)
	}
	want := authorizationv1.SubjectAccessReviewSpec{
		ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: "shop", Verb: "get", Version: "v1", Resource: "secrets", Name: "token"},
		User:               "bob", UID: "b-1", Groups: bob.Groups,
		Extra: map[string]authorizationv1.ExtraValue{"scopes": {"metrics"}},
	}
	if len(r.asked) != 1 || !reflect.DeepEqual(r.asked[0], want) {
		t.Errorf("asked %+v, want once %+v", r.asked, want)
	}
}

func TestConsentDeniesNamingEachField(t *testing.T) {
	r := &reviewer{readable: []string{"Secret/basic"}}
	c := r.client()
	_, err := (consent{reviews: c, objects: c}).check(asBob(), source(httpSpec()), refsToCheck(nil, httpSpec()))
	if !apierrors.IsForbidden(err) {
		t.Fatalf("got %v, want Forbidden", err)
	}
	want := `metricsources.growth.scaleup.io "kpis" is forbidden: ` +
		`spec.http.headers[1].valueFrom.name: user "bob" may not get Secret "api" in namespace "shop"; ` +
		`spec.http.tls.caSecretRef.name: user "bob" may not get Secret "ca" in namespace "shop"`
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}

func TestConsentDeniesWhenItCannotAsk(t *testing.T) {
	r := &reviewer{fail: errors.New("connection refused")}
	c := r.client()
	_, err := (consent{reviews: c, objects: c}).check(asBob(), source(promSpec()), refsToCheck(nil, promSpec()))
	if !apierrors.IsInternalError(err) {
		t.Fatalf("got %v, want an internal error", err)
	}
	want := `Internal error occurred: spec.prometheus.auth.secretRef.name: could not check whether user "bob" may get Secret "token" in namespace "shop": connection refused`
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}

func TestConsentWarnsAboutObjectsNotOffered(t *testing.T) {
	r := &reviewer{readable: []string{"Secret/api", "Secret/basic", "Secret/ca"}}
	c := r.client(
		labelled(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "api"}}),
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "basic"}},
		labelled(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "other", Name: "ca"}}),
	)
	warns, err := (consent{reviews: c, objects: c}).check(asBob(), source(httpSpec()), refsToCheck(nil, httpSpec()))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`spec.http.auth.secretRef.name: Secret "basic" lacks the label growth.scaleup.io/metric-credentials: "true"; the source does not read it until it has the label`,
		`spec.http.tls.caSecretRef.name: Secret "ca" not found in namespace shop; the source waits for it`,
	}
	if !slices.Equal(warns, want) {
		t.Errorf("got %q\nwant %q", warns, want)
	}
}

func TestConsentAsksNothingWithoutReferences(t *testing.T) {
	r := &reviewer{fail: errors.New("must not be asked")}
	c := r.client()
	spec := promSpec()
	spec.Prometheus.Auth, spec.Prometheus.TLS = nil, nil
	if warns, err := (consent{reviews: c, objects: c}).check(context.Background(), source(spec), refsToCheck(nil, spec)); err != nil || warns != nil {
		t.Errorf("got %q, %v", warns, err)
	}
}
