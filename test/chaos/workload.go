package chaos

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
	"github.com/scaleup-operator/scaleup-operator/test/utils/sampledata"
	"github.com/scaleup-operator/scaleup-operator/test/utils/workers"
)

// Levels the scenarios use: the sample numbers are at GrowingPains with
// seven gaps to HighPerformance.
const (
	levelGrowingPains    = "GrowingPains"
	levelHighPerformance = "HighPerformance"
)

// workload is the sample model and numbers, and what the operator must make
// of them, computed by the operator's own pure packages.
type workload struct {
	model    *v1alpha1.MaturityModel
	compiled *maturity.Model
	sample   map[string]float64
}

// loadWorkload reads the sample MaturityModel and MetricSource.
func loadWorkload(root string) (*workload, error) {
	model, sample, err := sampledata.ModelAndNumbers(root)
	if err != nil {
		return nil, err
	}
	model.ObjectMeta = metav1.ObjectMeta{Name: "chaos-" + model.Name}
	compiled, errs := maturity.Compile(&model.Spec)
	if len(errs) > 0 {
		return nil, fmt.Errorf("the sample model does not compile: %v", errs)
	}
	return &workload{model: model, compiled: compiled, sample: sample}, nil
}

// expectedTasks are the names of the tasks a target named target must have
// open with these numbers and target level, as the controller plans them.
func (w *workload) expectedTasks(target string, values map[string]float64, level string) ([]string, error) {
	idx, ok := w.compiled.LevelIndex(level)
	if !ok {
		return nil, fmt.Errorf("level %q is not in the model", level)
	}
	metrics := maturity.Metrics{}
	for k, v := range values {
		metrics[k] = maturity.Metric{Value: v, Source: "chaos"}
	}
	eval := w.compiled.Evaluate(metrics, idx)
	mode, maxOpen, dueIn := (*v1alpha1.TaskPolicy)(nil).Effective()
	plan := tasks.Plan(tasks.Input{
		SourceKind: "MaturityTarget", SourceName: target,
		Gaps:    maturity.Gaps(w.compiled, eval),
		Resolve: maturity.Resolver(w.compiled, eval),
		Policy:  tasks.Policy{Mode: mode, MaxOpen: maxOpen, DueIn: dueIn},
		Now:     time.Now(),
	})
	names := make([]string, 0, len(plan.Apply))
	for _, d := range plan.Apply {
		names = append(names, d.Name)
	}
	slices.Sort(names)
	return names, nil
}

// business is a namespace of n targets, each reading a Reported source of
// its own with the sample numbers and aiming at HighPerformance; with a
// shard, every object carries it (v1alpha1.ShardLabel).
type business struct {
	ns    string
	n     int
	shard string
}

func sourceName(i int) string { return fmt.Sprintf("src-%04d", i) }
func targetName(i int) string { return fmt.Sprintf("tgt-%04d", i) }

func (w *workload) source(ns, name string, values map[string]float64) *v1alpha1.MetricSource {
	return &v1alpha1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MetricSourceSpec{
			Type:     v1alpha1.MetricSourceReported,
			MaxAge:   &metav1.Duration{Duration: 720 * time.Hour},
			Reported: &v1alpha1.ReportedMetrics{Values: maps.Clone(values)},
		},
	}
}

func (w *workload) target(ns, name, level string, sources ...string) *v1alpha1.MaturityTarget {
	t := &v1alpha1.MaturityTarget{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MaturityTargetSpec{
			Business:    "Business " + name,
			ModelRef:    v1alpha1.ClusterObjectReference{Name: w.model.Name},
			TargetLevel: level,
		},
	}
	for _, s := range sources {
		t.Spec.MetricSources = append(t.Spec.MetricSources, v1alpha1.LocalObjectReference{Name: s})
	}
	return t
}

// create creates the namespace, the sources and the targets.
func (e *env) create(ctx context.Context, b business) error {
	if err := e.createNamespace(ctx, b.ns); err != nil {
		return err
	}
	return workers.Parallel(ctx, b.n, 8, func(ctx context.Context, i int) error {
		src, tgt := e.work.source(b.ns, sourceName(i), e.work.sample), e.work.target(b.ns, targetName(i), levelHighPerformance, sourceName(i))
		if b.shard != "" {
			src.Labels = map[string]string{v1alpha1.ShardLabel: b.shard}
			tgt.Labels = map[string]string{v1alpha1.ShardLabel: b.shard}
		}
		if err := e.client.Create(ctx, src); err != nil {
			return err
		}
		return e.client.Create(ctx, tgt)
	})
}

// createConverged creates b with the manager m running (its webhooks admit
// the model) and waits until m converged it; it returns each target's open
// tasks.
func (e *env) createConverged(ctx context.Context, cfg Config, b business, m *localcp.Manager) (map[string][]string, error) {
	if err := e.ensureModel(ctx); err != nil {
		return nil, err
	}
	if err := e.create(ctx, b); err != nil {
		return nil, err
	}
	want, err := e.expectedOpen(b)
	if err != nil {
		return nil, err
	}
	return want, e.waitTasks(ctx, cfg, b.ns, m, want)
}

// waitTasks waits until every target of ns is Ready and has exactly the
// open tasks of want, and fails at once if the manager m exits meanwhile.
func (e *env) waitTasks(ctx context.Context, cfg Config, ns string, m *localcp.Manager, want map[string][]string) error {
	return waitFor(ctx, cfg.Timeout, "convergence of "+ns, func(ctx context.Context) (bool, string, error) {
		if err := m.Err(); err != nil {
			return false, "", err
		}
		ready, total, err := e.converged(ctx, ns)
		if err != nil || ready < total {
			return false, fmt.Sprintf("%d of %d targets converged", ready, total), err
		}
		got, err := e.tasksIn(ctx, ns)
		if err != nil {
			return false, "", err
		}
		diff := diffTasks(want, openTasks(got))
		return diff == "", diff, nil
	})
}

// converged counts the targets of ns that are Ready at their generation.
func (e *env) converged(ctx context.Context, ns string) (ready, total int, err error) {
	list := &v1alpha1.MaturityTargetList{}
	if err := e.client.List(ctx, list, client.InNamespace(ns)); err != nil {
		return 0, 0, err
	}
	for i := range list.Items {
		if isReady(&list.Items[i]) {
			ready++
		}
	}
	return ready, len(list.Items), nil
}

func isReady(t *v1alpha1.MaturityTarget) bool {
	return t.Status.ObservedGeneration == t.Generation &&
		meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionReady)
}

// taskState is what the cluster holds of one task.
type taskState struct {
	owner    string
	resolved bool
	assignee string
	state    v1alpha1.TaskState
	uid      string
}

// tasksIn lists the ProjectTasks of ns by name.
func (e *env) tasksIn(ctx context.Context, ns string) (map[string]taskState, error) {
	list := &v1alpha1.ProjectTaskList{}
	if err := e.client.List(ctx, list, client.InNamespace(ns)); err != nil {
		return nil, err
	}
	out := make(map[string]taskState, len(list.Items))
	for _, t := range list.Items {
		owner := ""
		if ref := metav1.GetControllerOf(&t); ref != nil {
			owner = ref.Name
		}
		out[t.Name] = taskState{
			owner:    owner,
			resolved: meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionResolved),
			assignee: t.Spec.Assignee,
			state:    t.Spec.State,
			uid:      string(t.UID),
		}
	}
	return out, nil
}

// openTasks are the names of the unresolved tasks of each target.
func openTasks(all map[string]taskState) map[string][]string {
	out := map[string][]string{}
	for name, t := range all {
		if !t.resolved {
			out[t.owner] = append(out[t.owner], name)
		}
	}
	for _, names := range out {
		slices.Sort(names)
	}
	return out
}

// personEdit is what a person set on a task with kubectl.
type personEdit struct {
	assignee string
	state    v1alpha1.TaskState
}

// editTask sets a task's people's fields as `kubectl edit` or `kubectl
// patch` does: a merge patch under a field manager of the person's own.
func (e *env) editTask(ctx context.Context, ns, name, person string, edit personEdit) error {
	patch := fmt.Appendf(nil, `{"spec":{"assignee":%q,"state":%q}}`, edit.assignee, edit.state)
	task := &v1alpha1.ProjectTask{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
	return e.client.Patch(ctx, task, client.RawPatch("application/merge-patch+json", patch), client.FieldOwner(person))
}

// lostEdits lists the person edits the cluster no longer holds.
func lostEdits(want map[string]personEdit, got map[string]taskState) []string {
	var lost []string
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			lost = append(lost, name+": task gone")
		case g.assignee != w.assignee || g.state != w.state:
			lost = append(lost, fmt.Sprintf("%s: assignee %q state %q, person set %q %q", name, g.assignee, g.state, w.assignee, w.state))
		}
	}
	slices.Sort(lost)
	return lost
}

func isAlreadyExists(err error) bool { return apierrors.IsAlreadyExists(err) }
