package controllers

import (
	"context"
	"fmt"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// previewInterval is how often a model in Preview is evaluated again
// against its targets' metrics when the model itself does not change.
const previewInterval = 10 * time.Minute

// rollout grades the model's rollout: in Apply mode it records the current
// generation as the applied one; in Preview it computes what applying the
// current generation would change against every target of the model. It
// returns how long until the preview is due again (0: not in Preview).
func (r *MaturityModelReconciler) rollout(ctx context.Context, model *v1alpha1.MaturityModel, candidate *maturity.Model,
	conds conditionSetter, now time.Time) (time.Duration, error) {
	st := &model.Status
	if !inPreview(model) {
		if err := r.revisions().saveIfNewer(ctx, model); err != nil {
			return 0, err
		}
		st.AppliedGeneration, st.Preview = model.Generation, nil
		conds.set(v1alpha1.ConditionApplied, true, v1alpha1.ReasonApplied,
			fmt.Sprintf("targets are graded with generation %d", model.Generation))
		return 0, nil
	}
	applied, _, gen, ok, err := r.revisions().appliedModel(ctx, model)
	if err != nil {
		return 0, err
	}
	if !ok {
		applied, gen = nil, 0
	}
	st.AppliedGeneration = gen
	if candidate == nil {
		st.Preview = nil
		conds.set(v1alpha1.ConditionApplied, false, v1alpha1.ReasonInPreview,
			fmt.Sprintf("generation %d is in preview and does not compile; targets stay on generation %d", model.Generation, gen))
		return 0, nil
	}
	targets, err := r.previewTargets(ctx, model, now)
	if err != nil {
		return 0, err
	}
	res := maturity.Preview(applied, candidate, targets, now)
	st.Preview = previewStatus(res, model.Generation, gen, now)
	conds.set(v1alpha1.ConditionApplied, false, v1alpha1.ReasonInPreview, fmt.Sprintf(
		"generation %d is in preview: of %d targets %d would go up a level and %d down, %d tasks would open and %d resolve; set spec.rollout.mode to Apply to apply it",
		model.Generation, res.Targets, res.LevelUp, res.LevelDown, res.TasksToOpen, res.TasksToResolve))
	return previewInterval, nil
}

// previewTargets reads every target of the model, with the metrics it has
// now and the campaigns selecting it. A target whose sources have not all
// published is previewed as unavailable, as its own controller would wait
// for it.
func (r *MaturityModelReconciler) previewTargets(ctx context.Context, model *v1alpha1.MaturityModel, now time.Time) ([]maturity.PreviewTarget, error) {
	reader := r.Targets
	if reader == nil {
		reader = r.Client
	}
	list := &v1alpha1.MaturityTargetList{}
	if err := reader.List(ctx, list, byModel(reader, IndexModelRef, model.Name)...); err != nil {
		return nil, err
	}
	campaigns := &v1alpha1.CampaignList{}
	if err := reader.List(ctx, campaigns, byModel(reader, IndexCampaignModelRef, model.Name)...); err != nil {
		return nil, err
	}
	sortCampaigns(campaigns.Items)
	byNamespace := map[string][]v1alpha1.Campaign{}
	for _, c := range campaigns.Items {
		if c.Spec.ModelRef.Name == model.Name {
			byNamespace[c.Namespace] = append(byNamespace[c.Namespace], c)
		}
	}
	out := make([]maturity.PreviewTarget, 0, len(list.Items))
	for i := range list.Items {
		t := &list.Items[i]
		if t.Spec.ModelRef.Name != model.Name {
			continue
		}
		in, err := loadMetrics(ctx, reader, t.Namespace, t.Spec.MetricSources)
		if err != nil {
			return nil, err
		}
		out = append(out, maturity.PreviewTarget{
			TargetLevel: t.Spec.TargetLevel, Metrics: in.metrics, Previous: maturity.PreviousValues(t.Status.PeriodSnapshots),
			Campaigns:   campaignsSelecting(byNamespace[t.Namespace], t, r.Models, now).phased,
			Exemptions:  t.Spec.Exemptions,
			Unavailable: len(in.notFound) > 0 || len(in.notReady) > 0,
		})
	}
	return out, nil
}

// byModel lists through a field index of the cache, read in place. The
// API server has no such index: a sharded manager lists all and filters
// (a preview runs on an edit and every previewInterval).
func byModel(reader client.Reader, index, model string) []client.ListOption {
	if _, sharded := reader.(apiReader); sharded {
		return nil
	}
	return []client.ListOption{client.MatchingFields{index: model}, client.UnsafeDisableDeepCopy}
}

// apiReader is the manager's uncached reader, used by the preview of a
// sharded manager: every shard's targets count in a model's preview.
type apiReader struct{ client.Reader }

// modelTargetsReader is where previews read targets: the cache, unless it
// holds only this manager's shard.
func modelTargetsReader(mgr ctrl.Manager, sharded bool) client.Reader {
	if sharded {
		return apiReader{mgr.GetAPIReader()}
	}
	return mgr.GetClient()
}

func previewStatus(res maturity.PreviewResult, generation, applied int64, now time.Time) *v1alpha1.ModelPreview {
	p := &v1alpha1.ModelPreview{
		Generation: generation, AppliedGeneration: applied, EvaluatedAt: metav1Time(now),
		Targets: int32(res.Targets), LevelUp: int32(res.LevelUp), LevelDown: int32(res.LevelDown),
		Unchanged: int32(res.Unchanged), NotEvaluated: int32(res.NotEvaluated),
		TasksToOpen: int32(res.TasksToOpen), TasksToResolve: int32(res.TasksToResolve),
	}
	return p
}
