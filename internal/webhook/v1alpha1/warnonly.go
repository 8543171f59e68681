package v1alpha1

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
)

// warnOnly is the validator of a kind whose references may resolve later:
// it admits every create and update, with the warnings warn finds, and
// never looks at a delete or at an object being deleted.
type warnOnly[T client.Object] func(context.Context, T) admission.Warnings

// ValidateCreate implements admission.Validator.
func (w warnOnly[T]) ValidateCreate(ctx context.Context, obj T) (admission.Warnings, error) {
	return w.check(ctx, obj), nil
}

// ValidateUpdate implements admission.Validator.
func (w warnOnly[T]) ValidateUpdate(ctx context.Context, _, obj T) (admission.Warnings, error) {
	return w.check(ctx, obj), nil
}

// ValidateDelete implements admission.Validator.
func (warnOnly[T]) ValidateDelete(context.Context, T) (admission.Warnings, error) {
	return nil, nil
}

func (w warnOnly[T]) check(ctx context.Context, obj T) admission.Warnings {
	if deleting(obj) {
		return nil
	}
	return w(ctx, obj)
}
