package chaos

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// concurrentEdits converges two targets per writer, then runs cfg.Writers
// goroutines that, round after round, move the target level of one of their
// targets up or down (resolving and reopening its tasks) and set assignee
// and state on some of their tasks, while the controllers write the same
// objects. Each goroutine owns its targets and tasks, so the last value it
// wrote is the one the cluster must hold.
func concurrentEdits(ctx context.Context, e *env, cfg Config) (string, error) {
	b := business{ns: "chaos-edits", n: 2 * cfg.Writers}
	m, err := e.startManager("edits", b.ns, localcp.ManagerOptions{})
	if err != nil {
		return "", err
	}
	defer func() { _ = m.Stop() }()
	want, err := e.createConverged(ctx, cfg, b, m)
	if err != nil {
		return "", err
	}
	all, err := e.tasksIn(ctx, b.ns)
	if err != nil {
		return "", err
	}
	names := slices.Sorted(maps.Keys(all))

	type outcome struct {
		edits  map[string]personEdit
		levels map[string]string
		err    error
	}
	results := make([]outcome, cfg.Writers)
	var wg sync.WaitGroup
	for g := range cfg.Writers {
		wg.Go(func() {
			out := outcome{edits: map[string]personEdit{}, levels: map[string]string{}}
			mine := owned(names, g, cfg.Writers)
			person := fmt.Sprintf("person-%d", g)
			for r := 0; r < cfg.Rounds && out.err == nil; r++ {
				// One of the goroutine's two targets, lowered on even
				// rounds and raised again on odd ones.
				target := targetName(g + cfg.Writers*(r/2%2))
				level := levelGrowingPains
				if r%2 == 1 {
					level = levelHighPerformance
				}
				if out.err = e.setTargetLevel(ctx, b.ns, target, level); out.err != nil {
					break
				}
				out.levels[target] = level
				for k := range 4 {
					task := mine[(4*r+k)%len(mine)]
					edit := personEdit{assignee: fmt.Sprintf("%s-round-%d@shop.example", person, r), state: v1alpha1.TaskInProgress}
					if (r+k)%2 == 0 {
						edit.state = v1alpha1.TaskOpen
					}
					if out.err = e.editTask(ctx, b.ns, task, person, edit); out.err != nil {
						break
					}
					out.edits[task] = edit
				}
			}
			results[g] = out
		})
	}
	wg.Wait()

	edits := map[string]personEdit{}
	for _, out := range results {
		if out.err != nil {
			return "", out.err
		}
		maps.Copy(edits, out.edits)
		for target, level := range out.levels {
			if want[target], err = e.work.expectedTasks(target, e.work.sample, level); err != nil {
				return "", err
			}
		}
	}
	if err := e.waitTasks(ctx, cfg, b.ns, m, want); err != nil {
		return "", err
	}
	got, err := e.tasksIn(ctx, b.ns)
	if err != nil {
		return "", err
	}
	if lost := lostEdits(edits, got); len(lost) > 0 {
		return "", fmt.Errorf("%d of %d tasks lost their person's last edit: %s", len(lost), len(edits), strings.Join(lost[:min(5, len(lost))], "; "))
	}
	return fmt.Sprintf("%d writers x %d rounds: %d target level changes and %d task edits; all %d targets converged to their last level; every task holds its person's last edit",
		cfg.Writers, cfg.Rounds, cfg.Writers*cfg.Rounds, cfg.Writers*cfg.Rounds*4, b.n), nil
}

// owned are the names goroutine g of n edits.
func owned(names []string, g, n int) []string {
	var out []string
	for i := g; i < len(names); i += n {
		out = append(out, names[i])
	}
	return out
}

// setTargetLevel changes a target's spec.targetLevel with a merge patch.
func (e *env) setTargetLevel(ctx context.Context, ns, name, level string) error {
	patch := client.RawPatch(types.MergePatchType, fmt.Appendf(nil, `{"spec":{"targetLevel":%q}}`, level))
	return e.client.Patch(ctx, e.work.target(ns, name, level), patch)
}
