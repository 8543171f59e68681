package controllers

import (
	"context"
	"fmt"
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1ac "k8s.io/client-go/applyconfigurations/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	acv1alpha1 "github.com/scaleup-operator/scaleup-operator/api/applyconfiguration/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

const kindMaturityTarget = "MaturityTarget"

// reconcileTasks opens a task per gap, updates the controller's fields of
// existing ones and sets their Resolved condition. With untrusted data
// (stale or incomplete sources) it only counts: nothing is opened, resolved
// or reopened on data that may be wrong.
func (r *MaturityTargetReconciler) reconcileTasks(ctx context.Context, target *v1alpha1.MaturityTarget,
	m *maturity.Model, eval maturity.Result, trusted bool, now time.Time) (*v1alpha1.TaskCounts, error) {
	list := &v1alpha1.ProjectTaskList{}
	if err := r.Client.List(ctx, list, client.InNamespace(target.Namespace),
		client.MatchingFields{IndexTaskSource: kindMaturityTarget + "/" + target.Name}); err != nil {
		return nil, err
	}
	sort.Slice(list.Items, func(i, j int) bool { return list.Items[i].Name < list.Items[j].Name })
	existing := make([]tasks.Existing, 0, len(list.Items))
	for i := range list.Items {
		t := &list.Items[i]
		existing = append(existing, tasks.Existing{
			Name: t.Name, Labels: t.Labels, Spec: t.Spec,
			Resolved: meta.FindStatusCondition(t.Status.Conditions, v1alpha1.ConditionResolved),
		})
	}
	if !trusted {
		return countAsIs(existing), nil
	}

	mode, maxOpen, dueIn := target.Spec.EffectiveTaskPolicy()
	plan := tasks.Plan(tasks.Input{
		SourceKind: kindMaturityTarget, SourceName: target.Name,
		Gaps:     maturity.Gaps(m, eval),
		Resolve:  maturity.Resolver(m, eval),
		Policy:   tasks.Policy{Mode: mode, MaxOpen: maxOpen, DueIn: dueIn},
		Existing: existing,
		Now:      now,
	})
	for _, d := range plan.Apply {
		if err := r.Client.Apply(ctx, taskApplyConfiguration(target, d), client.FieldOwner(FieldManager), client.ForceOwnership); err != nil {
			return nil, fmt.Errorf("applying ProjectTask %s: %w", d.Name, err)
		}
	}
	for _, e := range existing {
		want := plan.Resolutions[e.Name]
		if err := r.setResolved(ctx, target.Namespace, e, want, now); err != nil {
			return nil, err
		}
	}
	return &v1alpha1.TaskCounts{Open: int32(plan.Open), Resolved: int32(plan.Resolved), HeldBack: int32(plan.HeldBack)}, nil
}

// countAsIs counts tasks by the conditions they carry now.
func countAsIs(existing []tasks.Existing) *v1alpha1.TaskCounts {
	c := &v1alpha1.TaskCounts{}
	for _, e := range existing {
		switch {
		case e.Resolved != nil && e.Resolved.Status == metav1.ConditionTrue:
			c.Resolved++
		case e.Spec.State != v1alpha1.TaskDone:
			c.Open++
		}
	}
	return c
}

func taskApplyConfiguration(target *v1alpha1.MaturityTarget, d tasks.Desired) *acv1alpha1.ProjectTaskApplyConfiguration {
	s := d.Spec
	spec := acv1alpha1.ProjectTaskSpec().
		WithTitle(s.Title).
		WithOwnerRole(s.OwnerRole).
		WithPriority(s.Priority).
		WithSource(acv1alpha1.TaskSource().
			WithKind(s.Source.Kind).WithName(s.Source.Name).
			WithStream(s.Source.Stream).WithObjective(s.Source.Objective).WithLevel(s.Source.Level))
	if s.Description != "" {
		spec.WithDescription(s.Description)
	}
	if s.DueDate != nil {
		spec.WithDueDate(*s.DueDate)
	}
	return acv1alpha1.ProjectTask(d.Name, target.Namespace).
		WithLabels(d.Labels).
		WithOwnerReferences(metav1ac.OwnerReference().
			WithAPIVersion(v1alpha1.GroupVersion.String()).
			WithKind(kindMaturityTarget).
			WithName(target.Name).
			WithUID(target.UID).
			WithController(true).
			WithBlockOwnerDeletion(true)).
		WithSpec(spec)
}

// setResolved applies the task's Resolved condition when it differs from
// what the task carries, under the controller's field manager; the Overdue
// condition belongs to the ProjectTask controller's manager and is kept.
func (r *MaturityTargetReconciler) setResolved(ctx context.Context, namespace string, e tasks.Existing, want tasks.Resolution, now time.Time) error {
	status := metav1.ConditionFalse
	if want.Resolved {
		status = metav1.ConditionTrue
	}
	cur := e.Resolved
	if cur != nil && cur.Status == status && cur.Reason == want.Reason && cur.Message == want.Message {
		return nil
	}
	transition := metav1Time(now)
	if cur != nil && cur.Status == status {
		transition = cur.LastTransitionTime
	}
	ac := acv1alpha1.ProjectTask(e.Name, namespace).WithStatus(acv1alpha1.ProjectTaskStatus().WithConditions(
		metav1ac.Condition().
			WithType(v1alpha1.ConditionResolved).
			WithStatus(status).
			WithReason(want.Reason).
			WithMessage(truncate(want.Message, 1024)).
			WithLastTransitionTime(transition)))
	if err := r.Client.Status().Apply(ctx, ac, client.FieldOwner(FieldManager), client.ForceOwnership); err != nil {
		return fmt.Errorf("resolving ProjectTask %s: %w", e.Name, err)
	}
	return nil
}
