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
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

const (
	kindMaturityTarget = "MaturityTarget"
	kindSupportPlan    = "SupportPlan"
)

// taskOwner is the object whose gaps the tasks close: their controller
// owner, deleted with it.
type taskOwner struct {
	kind string
	obj  client.Object
}

// taskGaps are an owner's gaps now, and how to tell whether the gap of an
// existing task has closed.
type taskGaps struct {
	gaps    []tasks.Gap
	resolve func(tasks.Key) tasks.Resolution
	policy  tasks.Policy
	// trusted is false on stale or incomplete data: then nothing is opened,
	// resolved or reopened, only counted.
	trusted bool
}

// reconcileTasks opens a task per gap, updates the controller's fields of
// existing ones and sets their Resolved condition. A write that fails fails
// the owner's pass with reason TaskApplyFailed.
func reconcileTasks(ctx context.Context, c client.Client, owner taskOwner, in taskGaps, now time.Time) (*v1alpha1.TaskCounts, error) {
	list := &v1alpha1.ProjectTaskList{}
	if err := c.List(ctx, list, client.InNamespace(owner.obj.GetNamespace()),
		client.MatchingFields{IndexTaskSource: owner.kind + "/" + owner.obj.GetName()}); err != nil {
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
	if !in.trusted {
		return countAsIs(existing), nil
	}

	plan := tasks.Plan(tasks.Input{
		SourceKind: owner.kind, SourceName: owner.obj.GetName(), Shard: owner.obj.GetLabels()[v1alpha1.ShardLabel],
		Gaps:     in.gaps,
		Resolve:  in.resolve,
		Policy:   in.policy,
		Existing: existing,
		Now:      now,
	})
	for _, d := range plan.Apply {
		if err := c.Apply(ctx, taskApplyConfiguration(owner, d), client.FieldOwner(FieldManager), client.ForceOwnership); err != nil {
			return nil, withReason(v1alpha1.ReasonTaskApplyFailed, fmt.Errorf("applying ProjectTask %s: %w", d.Name, err))
		}
	}
	for _, e := range existing {
		want := plan.Resolutions[e.Name]
		if err := setResolved(ctx, c, owner.obj.GetNamespace(), e, want, now); err != nil {
			return nil, withReason(v1alpha1.ReasonTaskApplyFailed, err)
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

// taskPolicy resolves a spec's task policy with its defaults.
func taskPolicy(p *v1alpha1.TaskPolicy) tasks.Policy {
	mode, maxOpen, dueIn := p.Effective()
	return tasks.Policy{Mode: mode, MaxOpen: maxOpen, DueIn: dueIn}
}

func taskApplyConfiguration(owner taskOwner, d tasks.Desired) *acv1alpha1.ProjectTaskApplyConfiguration {
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
	return acv1alpha1.ProjectTask(d.Name, owner.obj.GetNamespace()).
		WithLabels(d.Labels).
		WithOwnerReferences(metav1ac.OwnerReference().
			WithAPIVersion(v1alpha1.GroupVersion.String()).
			WithKind(owner.kind).
			WithName(owner.obj.GetName()).
			WithUID(owner.obj.GetUID()).
			WithController(true).
			WithBlockOwnerDeletion(true)).
		WithSpec(spec)
}

// setResolved applies the task's Resolved condition when it differs from
// what the task carries, under the controller's field manager; the Overdue
// condition belongs to the ProjectTask controller's manager and is kept.
func setResolved(ctx context.Context, c client.Client, namespace string, e tasks.Existing, want tasks.Resolution, now time.Time) error {
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
	if err := c.Status().Apply(ctx, ac, client.FieldOwner(FieldManager), client.ForceOwnership); err != nil {
		return fmt.Errorf("resolving ProjectTask %s: %w", e.Name, err)
	}
	return nil
}
