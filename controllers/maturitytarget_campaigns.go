package controllers

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/campaign"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// targetCampaigns are the Campaigns of a target's namespace that select it,
// in name order, each in its phase at the evaluation.
type targetCampaigns struct {
	phased      []maturity.PhasedCampaign
	generations []int64
	// wake is the earliest phase change to come, zero when none.
	wake time.Time
}

// campaignsOf finds the Campaigns selecting target: same namespace (never
// another), same model, and a selector matching its labels. A campaign
// whose selector does not parse selects nothing; its own status says why.
func (r *MaturityTargetReconciler) campaignsOf(ctx context.Context, target *v1alpha1.MaturityTarget, now time.Time) (targetCampaigns, error) {
	list := &v1alpha1.CampaignList{}
	if err := r.Client.List(ctx, list, client.InNamespace(target.Namespace)); err != nil {
		return targetCampaigns{}, err
	}
	sortCampaigns(list.Items)
	return campaignsSelecting(list.Items, target, r.Models, now), nil
}

// sortCampaigns puts campaigns in the order targets take them: by name
// (within a namespace, the only campaigns a target takes).
func sortCampaigns(cs []v1alpha1.Campaign) {
	slices.SortFunc(cs, func(a, b v1alpha1.Campaign) int {
		return cmp.Or(strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Name, b.Name))
	})
}

// campaignsSelecting are the first campaign.MaxPerTarget of cs (sorted by
// sortCampaigns) that select target, each in its phase at now.
func campaignsSelecting(cs []v1alpha1.Campaign, target *v1alpha1.MaturityTarget, models *maturity.Cache, now time.Time) targetCampaigns {
	var tc targetCampaigns
	for i := range cs {
		c := &cs[i]
		if c.Namespace != target.Namespace || c.Spec.ModelRef.Name != target.Spec.ModelRef.Name || c.DeletionTimestamp != nil || !selects(c, target) {
			continue
		}
		if len(tc.phased) == campaign.MaxPerTarget {
			break
		}
		compiled, _ := models.Campaign(c)
		phase, next := maturity.CampaignPhase(c.Spec.Start.Time, c.Spec.TargetDate.Time, now)
		if !next.IsZero() && (tc.wake.IsZero() || next.Before(tc.wake)) {
			tc.wake = next
		}
		tc.phased = append(tc.phased, maturity.PhasedCampaign{Name: c.Name, Phase: phase, Due: c.Spec.TargetDate.Time, Campaign: compiled})
		tc.generations = append(tc.generations, c.Generation)
	}
	return tc
}

// selects says whether the campaign's selector matches the target's labels.
func selects(c *v1alpha1.Campaign, t *v1alpha1.MaturityTarget) bool {
	sel, err := metav1.LabelSelectorAsSelector(&c.Spec.TargetSelector)
	return err == nil && sel.Matches(labels.Set(t.Labels))
}

// status is status.campaigns: per campaign, its phase and the target's
// result, or why the model could not take it (skipped, from WithCampaigns).
func (tc targetCampaigns) status(m *maturity.Model, eval maturity.Result, skipped []string) []v1alpha1.TargetCampaign {
	if len(tc.phased) == 0 {
		return nil
	}
	results := m.CampaignResults(eval)
	out := make([]v1alpha1.TargetCampaign, 0, len(tc.phased))
	for i, pc := range tc.phased {
		st := v1alpha1.TargetCampaign{Name: pc.Name, Generation: tc.generations[i], Phase: pc.Phase, TargetDate: metav1.NewTime(pc.Due)}
		if skipped[i] != "" {
			st.Message = truncate("not applied: "+skipped[i], 512)
		} else {
			res := results[0]
			results = results[1:]
			st.Passing = int32(res.Passing)
			st.Failing = res.Failing[:min(len(res.Failing), 10)]
		}
		out = append(out, st)
	}
	return out
}

// requeue brings the evaluation forward to the next phase change of a
// campaign, at that very instant.
func (tc targetCampaigns) requeue(requeue time.Duration, now time.Time) time.Duration {
	if tc.wake.IsZero() {
		return requeue
	}
	return min(requeue, max(tc.wake.Sub(now), time.Second))
}

// targetsOfCampaign maps a Campaign event to every target of its model in
// its namespace: those it selects now and those it selected before an
// edit of its selector, which must drop it.
func (r *MaturityTargetReconciler) targetsOfCampaign(ctx context.Context, o client.Object) []reconcile.Request {
	c, ok := o.(*v1alpha1.Campaign)
	if !ok {
		return nil
	}
	// A deleted campaign is gone from the cache by the time its event
	// arrives: its compilation goes too.
	if err := r.Client.Get(ctx, client.ObjectKeyFromObject(c), &v1alpha1.Campaign{}); apierrors.IsNotFound(err) {
		r.Models.ForgetCampaign(c.UID)
	}
	return requestsFor(ctx, r.Client, &v1alpha1.MaturityTargetList{}, client.InNamespace(c.Namespace),
		client.MatchingFields{IndexModelRef: c.Spec.ModelRef.Name})
}
