// Package v1alpha1 holds the admission webhooks of growth.scaleup.io/v1alpha1.
// They check only what the CRD schema cannot: that CEL compiles.
package v1alpha1

import (
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Setup registers the webhooks with the manager.
func Setup(mgr ctrl.Manager) error {
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.MaturityModel{}).
		WithValidator(MaturityModelValidator{}).
		Complete(); err != nil {
		return err
	}
	return ctrl.NewWebhookManagedBy(mgr, &v1alpha1.MetricSource{}).
		WithValidator(MetricSourceValidator{}).
		Complete()
}
