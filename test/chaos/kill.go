package chaos

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// throttle slows a manager's client so that it is still converging when the
// fault hits: a client-side limit makes it no faster on a fast machine, so
// the kill cannot come after the end on any machine.
var throttle = []string{"--kube-api-qps=20", "--kube-api-burst=20"}

// killWhileConverging SIGKILLs a manager while it converges cfg.Targets
// targets, after people edited some of the tasks it opened, edits more while
// no manager runs, then starts a new manager and checks the outcome.
func killWhileConverging(ctx context.Context, e *env, cfg Config) (string, error) {
	b := business{ns: "chaos-kill", n: cfg.Targets}
	first, err := e.startManager("kill-first", b.ns, localcp.ManagerOptions{Args: throttle})
	if err != nil {
		return "", err
	}
	defer func() { _ = first.Stop() }()
	if err := e.ensureModel(ctx); err != nil {
		return "", err
	}
	if err := e.create(ctx, b); err != nil {
		return "", err
	}
	want, err := e.expectedOpen(b)
	if err != nil {
		return "", err
	}
	// People pick up the first tasks as they appear; the kill comes once a
	// quarter of them are there.
	edits := map[string]personEdit{}
	err = waitFor(ctx, cfg.Timeout, "the first tasks", func(ctx context.Context) (bool, string, error) {
		all, err := e.tasksIn(ctx, b.ns)
		return len(all) >= countNames(want)/4, fmt.Sprintf("%d tasks", len(all)), err
	})
	if err != nil {
		return "", err
	}
	if err := e.editEvery(ctx, b.ns, 3, "alice", v1alpha1.TaskInProgress, edits); err != nil {
		return "", err
	}
	ready, total, err := e.converged(ctx, b.ns)
	if err != nil {
		return "", err
	}
	first.Kill()
	if ready == total {
		return "", fmt.Errorf("all %d targets had converged before the kill: nothing was interrupted", total)
	}
	e.progress("killed the manager with %d of %d targets converged", ready, total)

	// While no manager runs, people go on working.
	if err := e.editEvery(ctx, b.ns, 4, "bob", v1alpha1.TaskOpen, edits); err != nil {
		return "", err
	}
	second, err := e.startManager("kill-second", b.ns, localcp.ManagerOptions{})
	if err != nil {
		return "", err
	}
	defer func() { _ = second.Stop() }()
	if err := e.waitTasks(ctx, cfg, b.ns, second, want); err != nil {
		return "", err
	}
	got, err := e.tasksIn(ctx, b.ns)
	if err != nil {
		return "", err
	}
	if len(got) != countNames(want) {
		return "", fmt.Errorf("%d tasks exist, want %d: a gap has more than one task", len(got), countNames(want))
	}
	if lost := lostEdits(edits, got); len(lost) > 0 {
		return "", fmt.Errorf("%d of %d person edits lost: %s", len(lost), len(edits), strings.Join(lost[:min(5, len(lost))], "; "))
	}
	if err := second.Err(); err != nil {
		return "", err
	}
	return fmt.Sprintf("killed with %d of %d targets converged; after the restart all %d converged with exactly the %d expected tasks; %d of %d person edits kept",
		ready, total, total, len(got), len(edits), len(edits)), nil
}

// editEvery sets assignee and state on every n-th task of ns (by name) that
// no one edited yet, as person, and records the edits.
func (e *env) editEvery(ctx context.Context, ns string, n int, person string, state v1alpha1.TaskState, edits map[string]personEdit) error {
	all, err := e.tasksIn(ctx, ns)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(all))
	for name := range all {
		if _, done := edits[name]; !done {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for i := 0; i < len(names); i += n {
		edit := personEdit{assignee: person + "@shop.example", state: state}
		if err := e.editTask(ctx, ns, names[i], person, edit); err != nil {
			return err
		}
		edits[names[i]] = edit
	}
	if len(edits) == 0 {
		return errors.New("no task to edit")
	}
	return nil
}

// expectedOpen is, for each target of b, the tasks its numbers call for.
func (e *env) expectedOpen(b business) (map[string][]string, error) {
	want := map[string][]string{}
	for i := range b.n {
		names, err := e.work.expectedTasks(targetName(i), e.work.sample, levelHighPerformance)
		if err != nil {
			return nil, err
		}
		want[targetName(i)] = names
	}
	return want, nil
}

// diffTasks describes how the open tasks per target differ from want ("" if
// they do not).
func diffTasks(want, got map[string][]string) string {
	var diffs []string
	for target, names := range want {
		if !slices.Equal(names, got[target]) {
			diffs = append(diffs, fmt.Sprintf("%s has %d open tasks, want %d", target, len(got[target]), len(names)))
		}
	}
	for target, names := range got {
		if _, ok := want[target]; !ok {
			diffs = append(diffs, fmt.Sprintf("unexpected owner %q of %d tasks", target, len(names)))
		}
	}
	slices.Sort(diffs)
	if len(diffs) > 3 {
		diffs = append(diffs[:3], fmt.Sprintf("and %d more", len(diffs)-3))
	}
	return strings.Join(diffs, "; ")
}

func countNames(m map[string][]string) int {
	n := 0
	for _, names := range m {
		n += len(names)
	}
	return n
}
