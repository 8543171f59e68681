// Package load reads the objects a report renders, with the caller's own
// rights: the object asked for must be readable, while what it refers to
// (the model, the metric sources, the tasks) is optional, and a refusal to
// read it becomes a note in the report instead of a failure.
package load

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/report"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// Describe turns an API error into a sentence for the user: what could not
// be read and why, without the apiserver's wording for a missing object.
func Describe(kind, namespace, name string, err error) error {
	where := kind + " " + name
	if namespace != "" {
		where = fmt.Sprintf("%s %q in namespace %q", kind, name, namespace)
	}
	switch {
	case apierrors.IsNotFound(err):
		return fmt.Errorf("%s not found", where)
	case apierrors.IsForbidden(err):
		return fmt.Errorf("%s: forbidden: you may not read it (%s)", where, apierrors.ReasonForError(err))
	}
	return fmt.Errorf("%s: %w", where, err)
}

// note is Describe as a note.
func note(kind, namespace, name string, err error) string {
	return Describe(kind, namespace, name, err).Error()
}

// Business reads MaturityTarget namespace/name, its model, its metric
// sources, the Campaigns its status names and its ProjectTasks.
func Business(ctx context.Context, c client.Reader, namespace, name string) (report.Business, error) {
	t := &v1alpha1.MaturityTarget{}
	if err := c.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, t); err != nil {
		return report.Business{}, Describe("MaturityTarget", namespace, name, err)
	}
	b := report.Business{Target: t}
	m := &v1alpha1.MaturityModel{}
	if err := c.Get(ctx, types.NamespacedName{Name: t.Spec.ModelRef.Name}, m); err != nil {
		b.Notes = append(b.Notes, note("MaturityModel", "", t.Spec.ModelRef.Name, err)+": no matrix")
	} else {
		b.Model = m
	}
	for _, ref := range t.Spec.MetricSources {
		s := &v1alpha1.MetricSource{}
		if err := c.Get(ctx, types.NamespacedName{Namespace: namespace, Name: ref.Name}, s); err != nil {
			b.Notes = append(b.Notes, note("MetricSource", namespace, ref.Name, err)+": its values show without age")
			continue
		}
		b.Sources = append(b.Sources, *s)
	}
	for _, entry := range t.Status.Campaigns {
		camp := &v1alpha1.Campaign{}
		if err := c.Get(ctx, types.NamespacedName{Namespace: namespace, Name: entry.Name}, camp); err != nil {
			b.Notes = append(b.Notes, note("Campaign", namespace, entry.Name, err)+": its rules are not explained")
			continue
		}
		b.Campaigns = append(b.Campaigns, *camp)
	}
	var err error
	if b.Tasks, err = Tasks(ctx, c, namespace, "MaturityTarget", name); err != nil {
		b.Notes = append(b.Notes, err.Error())
	}
	return b, nil
}

// Tasks lists the ProjectTasks generated for one source object.
func Tasks(ctx context.Context, c client.Reader, namespace, kind, name string) ([]v1alpha1.ProjectTask, error) {
	var l v1alpha1.ProjectTaskList
	if err := c.List(ctx, &l, client.InNamespace(namespace),
		client.MatchingLabels{tasks.LabelSourceKind: kind, tasks.LabelSourceName: name}); err != nil {
		return nil, fmt.Errorf("ProjectTasks in namespace %q: %w", namespace, Describe("ProjectTask", namespace, "list", err))
	}
	return l.Items, nil
}

// Targets lists the MaturityTargets and ProjectTasks of namespace, or of
// every namespace when namespace is "".
func Targets(ctx context.Context, c client.Reader, namespace string) ([]v1alpha1.MaturityTarget, []v1alpha1.ProjectTask, error) {
	var tl v1alpha1.MaturityTargetList
	var pl v1alpha1.ProjectTaskList
	opts := []client.ListOption{}
	where := "in every namespace"
	if namespace != "" {
		opts = append(opts, client.InNamespace(namespace))
		where = fmt.Sprintf("in namespace %q", namespace)
	}
	if err := c.List(ctx, &tl, opts...); err != nil {
		return nil, nil, listError("MaturityTargets", where, err)
	}
	if err := c.List(ctx, &pl, append(opts, client.MatchingLabels{tasks.LabelSourceKind: "MaturityTarget"})...); err != nil {
		return nil, nil, listError("ProjectTasks", where, err)
	}
	return tl.Items, pl.Items, nil
}

func listError(what, where string, err error) error {
	if apierrors.IsForbidden(err) {
		return fmt.Errorf("listing %s %s: forbidden: you may not list them", what, where)
	}
	return fmt.Errorf("listing %s %s: %w", what, where, err)
}

// Program reads PartnerProgram namespace/name and its partners.
func Program(ctx context.Context, c client.Reader, namespace, name string) (*v1alpha1.PartnerProgram, []v1alpha1.Partner, []string, error) {
	p := &v1alpha1.PartnerProgram{}
	if err := c.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, p); err != nil {
		return nil, nil, nil, Describe("PartnerProgram", namespace, name, err)
	}
	var l v1alpha1.PartnerList
	if err := c.List(ctx, &l, client.InNamespace(namespace)); err != nil {
		return p, nil, []string{listError("Partners", fmt.Sprintf("in namespace %q", namespace), err).Error() + ": the funnel shows counts only"}, nil
	}
	return p, l.Items, nil, nil
}

// Plan reads SupportPlan namespace/name.
func Plan(ctx context.Context, c client.Reader, namespace, name string) (*v1alpha1.SupportPlan, error) {
	p := &v1alpha1.SupportPlan{}
	if err := c.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, p); err != nil {
		return nil, Describe("SupportPlan", namespace, name, err)
	}
	return p, nil
}
