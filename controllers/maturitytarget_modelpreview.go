package controllers

import (
	"fmt"
	"strings"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// maxPreviewMessage is status.modelPreview.notEvaluated's MaxLength.
const maxPreviewMessage = 1024

// modelPreview is what the model's current generation, while in Preview
// with a generation other than the applied one (appliedGen), would make of
// the target: graded the way its own pass grades it (campaigns and
// exemptions included), compared with the applied evaluation eval of
// applied (the applied generation with the same campaigns). It is computed
// from the compile cache (once per generation, not per pass) and has no
// effect on the level or the tasks; nil when there is nothing to preview.
func (r *MaturityTargetReconciler) modelPreview(model *v1alpha1.MaturityModel, appliedGen int64, applied *maturity.Model,
	eval maturity.Result, target *v1alpha1.MaturityTarget, graded maturity.PreviewTarget, now time.Time) *v1alpha1.TargetModelPreview {
	if !inPreview(model) || model.Generation == appliedGen {
		return nil
	}
	out := &v1alpha1.TargetModelPreview{Generation: model.Generation}
	candidate, errs := r.Models.Get(model)
	if len(errs) > 0 {
		out.NotEvaluated = truncate(fmt.Sprintf("generation %d does not compile: %s", model.Generation, summarizeFieldErrors(errs)), maxPreviewMessage)
		return out
	}
	merged, next, ok := candidate.Grade(graded, now)
	if !ok {
		out.NotEvaluated = truncate(fmt.Sprintf("spec.targetLevel %q is not a level of generation %d (levels: %s)",
			target.Spec.TargetLevel, model.Generation, strings.Join(candidate.Levels(), ", ")), maxPreviewMessage)
		return out
	}
	open, resolve := maturity.TaskChanges(applied, &eval, merged, next)
	if next.CurrentLevel >= 0 {
		out.Level = merged.Levels()[next.CurrentLevel]
	}
	out.TasksToOpen, out.TasksToResolve = int32(open), int32(resolve)
	return out
}
