// Package chaos runs the operator's manager binary against a local control
// plane and injects the faults a shared cluster has: the manager killed
// while it converges, the API server and etcd stopped, a leader replaced, a
// metric provider flapping, people editing while the controllers write.
// Each scenario checks outcomes (task sets, people's fields, writes per
// identity), never how fast anything happened: waits have generous timeouts
// that only guard against a hang.
//
// make chaos runs the full sizes and writes the table the README shows;
// make test runs a bounded version (TestChaos).
package chaos

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Config sizes the scenarios.
type Config struct {
	// Dir holds the logs, the manager binary and the control plane's
	// state; bin/chaos when empty.
	Dir string
	// Targets converging when the manager is killed.
	Targets int
	// Outage is how long the API server and etcd are stopped, and then
	// how long the manager's connections are refused.
	Outage time.Duration
	// LeaderTargets converging when the leader is stopped.
	LeaderTargets int
	// Flips is how many times the flapping provider goes down and up.
	Flips int
	// Writers patch specs and tasks concurrently, Rounds times each.
	Writers, Rounds int
	// Timeout bounds each wait for convergence (a hang guard).
	Timeout time.Duration
	// Only, when set, runs only the scenarios whose fault contains it.
	Only string
	// Progress receives one line per step; nil discards them.
	Progress io.Writer
}

// Full is what make chaos runs.
var Full = Config{Targets: 500, Outage: 20 * time.Second, LeaderTargets: 300, Flips: 10, Writers: 10, Rounds: 30, Timeout: 15 * time.Minute}

// Bounded is what make test runs.
var Bounded = Config{Targets: 100, Outage: 10 * time.Second, LeaderTargets: 100, Flips: 3, Writers: 10, Rounds: 8, Timeout: 10 * time.Minute}

func (c Config) progressf(format string, args ...any) {
	if c.Progress != nil {
		_, _ = fmt.Fprintf(c.Progress, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
}

// Row is one scenario's outcome.
type Row struct {
	Fault   string
	Checked string
	// Result is what was measured; Err is set when a check failed.
	Result string
	Err    error
}

// scenario runs one fault against the environment.
type scenario struct {
	fault   func(cfg Config) string
	checked string
	run     func(ctx context.Context, e *env, cfg Config) (string, error)
}

var scenarios = []scenario{
	{
		fault: func(c Config) string {
			return fmt.Sprintf("manager SIGKILLed while converging %d targets, then restarted", c.Targets)
		},
		checked: "every target converges; the task set equals the one computed from the numbers, no duplicate; no assignee or state a person set is lost",
		run:     killWhileConverging,
	},
	{
		fault: func(c Config) string {
			return fmt.Sprintf("kube-apiserver and etcd stopped (SIGSTOP) for %s, then the manager's connections refused for as long", c.Outage)
		},
		checked: "the manager neither exits nor spins (connection attempts counted at a proxy), keeps its lease, and converges on the changes made meanwhile",
		run:     apiServerOutage,
	},
	{
		fault: func(c Config) string {
			return fmt.Sprintf("two managers with leader election, the leader stopped while converging %d targets", c.LeaderTargets)
		},
		checked: "the other takes over and converges everything; writes per identity from the API server's audit log never overlap",
		run:     leaderHandover,
	},
	{
		fault: func(c Config) string {
			return fmt.Sprintf("two shard managers (--watch-label-selector) on one control plane, %d targets in each shard", c.LeaderTargets/2)
		},
		checked: "each namespace is written by exactly one manager, its shard's (audit log); both shards converge; tasks carry their shard; a reference across shards is rejected at admission",
		run:     twoShards,
	},
	{
		fault:   func(c Config) string { return fmt.Sprintf("metric provider flapping down and up %d times", c.Flips) },
		checked: "level and tasks never change (every watch event checked); status shows the provider down and the values stale; no poll sooner than the interval, polls continue while it is down",
		run:     flappingProvider,
	},
	{
		fault: func(c Config) string {
			return fmt.Sprintf("%d goroutines patching target specs and people's task fields while the controllers run", c.Writers)
		},
		checked: "no person edit overwritten; every target converges to the tasks of its last spec",
		run:     concurrentEdits,
	},
}

// Run starts one control plane and runs every scenario on it, each in a
// namespace of its own with managers of its own. It returns an error only
// when the environment could not be set up; a scenario that fails has Err.
func Run(ctx context.Context, cfg Config) ([]Row, error) {
	e, err := startEnv(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer func() { _ = e.stop() }()
	rows := make([]Row, 0, len(scenarios))
	for _, s := range scenarios {
		row := Row{Fault: s.fault(cfg), Checked: s.checked}
		if !strings.Contains(row.Fault, cfg.Only) {
			continue
		}
		cfg.progressf("scenario: %s", row.Fault)
		row.Result, row.Err = s.run(ctx, e, cfg)
		if row.Err != nil {
			cfg.progressf("FAILED: %v", row.Err)
		} else {
			cfg.progressf("passed: %s", row.Result)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// WriteMarkdown writes the rows as the README's table.
func WriteMarkdown(w io.Writer, rows []Row) {
	_, _ = fmt.Fprintln(w, "| fault or attack | what was checked | result |")
	_, _ = fmt.Fprintln(w, "|---|---|---|")
	for _, r := range rows {
		result := "passed: " + r.Result
		if r.Err != nil {
			result = "FAILED: " + r.Err.Error()
		}
		_, _ = fmt.Fprintf(w, "| %s | %s | %s |\n", cell(r.Fault), cell(r.Checked), cell(result))
	}
}

func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}
