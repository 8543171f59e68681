package v1alpha1

import (
	"context"
	"errors"
	"fmt"
	"strings"

	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// consent admits a MetricSource only when the user who writes it may read
// each Secret and ConfigMap it names: the operator reads them with its own
// rights and sends them to a server of the source's choosing, so without
// this check anyone who may create a source could send themselves any
// Secret of the namespace. The API server answers, with a
// SubjectAccessReview for the requesting user, groups and extra.
type consent struct {
	// reviews creates SubjectAccessReviews.
	reviews client.Writer
	// objects reads the metadata of the referenced objects, straight from
	// the API server: the manager does not cache Secrets.
	objects client.Reader
}

// check denies the write when the requester may not get one of refs in
// src's namespace, naming each such field. When every check passes, it
// warns about each object that does not exist or lacks the opt-in label;
// the requester may read those objects, so the warnings tell nothing new.
// A check that cannot be made denies the write.
func (c consent) check(ctx context.Context, src *v1alpha1.MetricSource, refs []credentialRef) (admission.Warnings, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	req, err := admission.RequestFromContext(ctx)
	if err != nil {
		return nil, apierrors.NewInternalError(fmt.Errorf("reading the admission request: %w", err))
	}
	user := req.UserInfo
	type object struct{ kind, name string }
	allowed := map[object]bool{}
	var denied []string
	for _, r := range refs {
		obj := object{r.kind, r.name}
		ok, seen := allowed[obj]
		if !seen {
			if ok, err = c.mayGet(ctx, user, src.Namespace, r); err != nil {
				return nil, apierrors.NewInternalError(fmt.Errorf("%s: could not check whether user %q may get %s %q in namespace %q: %w",
					r.field, user.Username, r.kind, r.name, src.Namespace, err))
			}
			allowed[obj] = ok
		}
		if !ok {
			denied = append(denied, fmt.Sprintf("%s: user %q may not get %s %q in namespace %q",
				r.field, user.Username, r.kind, r.name, src.Namespace))
		}
	}
	if len(denied) > 0 {
		return nil, apierrors.NewForbidden(v1alpha1.GroupVersion.WithResource("metricsources").GroupResource(),
			src.Name, errors.New(strings.Join(denied, "; ")))
	}
	return warnings(c.offerWarnings(ctx, src.Namespace, refs)), nil
}

// mayGet asks whether user may get r's object in namespace.
func (c consent) mayGet(ctx context.Context, user authenticationv1.UserInfo, namespace string, r credentialRef) (bool, error) {
	sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		ResourceAttributes: &authorizationv1.ResourceAttributes{
			Namespace: namespace, Verb: "get", Version: "v1", Resource: resourceOf(r.kind), Name: r.name,
		},
		User:   user.Username,
		Groups: user.Groups,
		UID:    user.UID,
		Extra:  extraOf(user),
	}}
	if err := c.reviews.Create(ctx, sar); err != nil {
		return false, err
	}
	return sar.Status.Allowed, nil
}

// offerWarnings warns about each reference whose object does not exist yet
// or lacks the opt-in label. A failed read gives no warning: warnings
// advise, the controller decides on the live object.
func (c consent) offerWarnings(ctx context.Context, namespace string, refs []credentialRef) []string {
	var out []string
	for _, r := range refs {
		meta := &metav1.PartialObjectMetadata{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: r.kind}}
		err := c.objects.Get(ctx, types.NamespacedName{Namespace: namespace, Name: r.name}, meta)
		switch {
		case apierrors.IsNotFound(err):
			out = append(out, warning(r.field, "%s %q not found in namespace %s; the source waits for it", r.kind, r.name, namespace))
		case err != nil:
			lookupFailed(ctx, err)
		case meta.Labels[v1alpha1.LabelMetricCredentials] != "true":
			out = append(out, warning(r.field, "%s %q lacks the label %s: \"true\"; the source does not read it until it has the label",
				r.kind, r.name, v1alpha1.LabelMetricCredentials))
		}
	}
	return out
}

// extraOf copies the requester's extra attributes (scopes of a token, for
// example), which an authorizer may take into account.
func extraOf(user authenticationv1.UserInfo) map[string]authorizationv1.ExtraValue {
	if len(user.Extra) == 0 {
		return nil
	}
	extra := make(map[string]authorizationv1.ExtraValue, len(user.Extra))
	for k, v := range user.Extra {
		extra[k] = authorizationv1.ExtraValue(v)
	}
	return extra
}

func resourceOf(kind string) string {
	if kind == "ConfigMap" {
		return "configmaps"
	}
	return "secrets"
}
