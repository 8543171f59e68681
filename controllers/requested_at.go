package controllers

import (
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// requestedAtChanged passes the updates that change the requested-at
// annotation (v1alpha1.AnnotationRequestedAt) and nothing else: other
// annotations, labels and status writes do not reconcile.
type requestedAtChanged struct{}

func (requestedAtChanged) Create(event.CreateEvent) bool   { return false }
func (requestedAtChanged) Delete(event.DeleteEvent) bool   { return false }
func (requestedAtChanged) Generic(event.GenericEvent) bool { return false }

func (requestedAtChanged) Update(e event.UpdateEvent) bool {
	if e.ObjectOld == nil || e.ObjectNew == nil {
		return false
	}
	return v1alpha1.RequestedAt(e.ObjectOld.GetAnnotations()) != v1alpha1.RequestedAt(e.ObjectNew.GetAnnotations())
}

// specOrRequest passes what a kind's own watch reconciles on: a spec change
// (a new generation), creates and deletes, and a new requested-at value.
func specOrRequest() predicate.Predicate {
	return predicate.Or[client.Object](predicate.GenerationChangedPredicate{}, requestedAtChanged{})
}
