package samples_test

import (
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/test/utils/sampledata"
)

// The governance samples tell the same story on any day they are rendered
// for: the model compiles, and the target's exemption is active, with the
// same number of days left as on AsOf.
func TestGovernanceSamplesOnAnyDay(t *testing.T) {
	start := time.Date(2026, time.December, 2, 0, 0, 0, 0, time.UTC)
	for d := start; d.Before(start.AddDate(5, 0, 0)); d = d.AddDate(0, 0, 29) {
		for _, now := range []time.Time{d, d.Add(24*time.Hour - time.Second)} {
			model, target := renderGovernance(t, now)
			if _, errs := maturity.Compile(&model.Spec); len(errs) > 0 {
				t.Fatalf("%s: model %s does not compile: %v", now, model.Name, errs)
			}
			if len(target.Spec.Exemptions) != 1 {
				t.Fatalf("%s: target %s has %d exemptions, want 1", now, target.Name, len(target.Spec.Exemptions))
			}
			y, m, day := now.Date()
			left := target.Spec.Exemptions[0].ExpiresAt.Sub(time.Date(y, m, day, 0, 0, 0, 0, time.UTC))
			if left != 95*24*time.Hour {
				t.Errorf("%s: the exemption expires %s after the day's start, want 95 days", now, left)
			}
			if target.Spec.Stabilization == nil || model.Spec.ComparisonPeriod == nil || model.Spec.Rollout == nil {
				t.Errorf("%s: the samples lost stabilization, comparisonPeriod or rollout", now)
			}
		}
	}
}

// renderGovernance renders config/samples/governance for now and decodes
// its model and target strictly: a misspelt field would be dropped by the
// API server's pruning.
func renderGovernance(t *testing.T, now time.Time) (*v1alpha1.MaturityModel, *v1alpha1.MaturityTarget) {
	t.Helper()
	objs, err := sampledata.ObjectsIn("../../config/samples/governance", now)
	if err != nil {
		t.Fatal(err)
	}
	var model *v1alpha1.MaturityModel
	var target *v1alpha1.MaturityTarget
	for _, o := range objs {
		switch o := o.(type) {
		case *v1alpha1.MaturityModel:
			model = o
		case *v1alpha1.MaturityTarget:
			target = o
		}
	}
	if model == nil || target == nil {
		t.Fatalf("config/samples/governance has no model or no target")
	}
	return model, target
}
