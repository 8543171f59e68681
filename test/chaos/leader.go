package chaos

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// leaderHandover runs two managers with leader election, each with a user of
// its own, and stops the leader (SIGTERM, as a rollout or a drain does)
// while it converges. The other must take over and finish, and the API
// server's audit log must show that they never wrote at the same time.
func leaderHandover(ctx context.Context, e *env, cfg Config) (string, error) {
	b := business{ns: "chaos-leader", n: cfg.LeaderTargets}
	if err := e.createNamespace(ctx, b.ns); err != nil {
		return "", err
	}
	const userA, userB = "manager-a", "manager-b"
	kubeconfigA, err := e.cluster.UserKubeconfig(userA)
	if err != nil {
		return "", err
	}
	kubeconfigB, err := e.cluster.UserKubeconfig(userB)
	if err != nil {
		return "", err
	}
	a, err := e.startManager("leader-a", b.ns, localcp.ManagerOptions{Kubeconfig: kubeconfigA, LeaderElection: true, Args: throttle})
	if err != nil {
		return "", err
	}
	defer func() { _ = a.Stop() }()
	holderA, err := e.leaseHolder(ctx, b.ns)
	if err != nil {
		return "", err
	}
	// Only one manager can serve the webhooks' port: the follower runs
	// without, as the objects are all created while the leader runs.
	follower, err := e.startManager("leader-b", b.ns, localcp.ManagerOptions{Kubeconfig: kubeconfigB, LeaderElection: true, NoWebhooks: true})
	if err != nil {
		return "", err
	}
	defer func() { _ = follower.Stop() }()
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
	var ready, total int
	err = waitFor(ctx, cfg.Timeout, "the leader's progress", func(ctx context.Context) (bool, string, error) {
		ready, total, err = e.converged(ctx, b.ns)
		return ready >= total/4, fmt.Sprintf("%d of %d targets converged", ready, total), err
	})
	if err != nil {
		return "", err
	}
	if err := a.Stop(); err != nil {
		return "", err
	}
	if ready, total, err = e.converged(ctx, b.ns); err != nil {
		return "", err
	}
	if ready == total {
		return "", fmt.Errorf("all %d targets had converged when the leader stopped: nothing was handed over", total)
	}
	e.progress("stopped the leader with %d of %d targets converged", ready, total)
	if err := e.waitTasks(ctx, cfg, b.ns, follower, want); err != nil {
		return "", err
	}
	holderB, err := e.leaseHolder(ctx, b.ns)
	if err != nil {
		return "", err
	}
	if holderB == holderA {
		return "", fmt.Errorf("the lease is still held by the stopped leader %q", holderA)
	}
	if err := follower.Err(); err != nil {
		return "", err
	}
	writes, err := readWrites(e.cluster.AuditLog, b.ns)
	if err != nil {
		return "", err
	}
	wa, wb := writes[userA], writes[userB]
	if len(wa) == 0 || len(wb) == 0 {
		return "", fmt.Errorf("the audit log has %d writes by %s and %d by %s in %s, want both", len(wa), userA, len(wb), userB, b.ns)
	}
	lastA := slices.MaxFunc(wa, func(x, y write) int { return x.completed.Compare(y.completed) }).completed
	if early := countBefore(wb, lastA); early > 0 {
		return "", fmt.Errorf("two writers at once: %d writes by %s were received before the last write by %s completed (%s)",
			early, userB, userA, lastA.Format(time.RFC3339Nano))
	}
	return fmt.Sprintf("leader stopped with %d of %d targets converged; %d writes by the leader, then %d by the other after it took over, none overlapping; all converged",
		ready, total, len(wa), len(wb)), nil
}

// countBefore counts the writes received no later than t.
func countBefore(ws []write, t time.Time) int {
	n := 0
	for _, w := range ws {
		if !w.received.After(t) {
			n++
		}
	}
	return n
}

// write is one write request of the audit log.
type write struct {
	received, completed time.Time
}

// auditEvent holds the fields of an audit.k8s.io/v1 Event that are read.
type auditEvent struct {
	Stage string `json:"stage"`
	User  struct {
		Username string `json:"username"`
	} `json:"user"`
	ObjectRef *struct {
		Namespace string `json:"namespace"`
	} `json:"objectRef"`
	Received  time.Time `json:"requestReceivedTimestamp"`
	Completed time.Time `json:"stageTimestamp"` // of stage ResponseComplete
}

// readWrites returns the completed writes to objects in ns per user. The
// audit policy logs only writes to the operator's kinds.
func readWrites(path, ns string) (map[string][]write, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	out := map[string][]write{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var ev auditEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if ev.Stage != "ResponseComplete" || ev.ObjectRef == nil || ev.ObjectRef.Namespace != ns {
			continue
		}
		out[ev.User.Username] = append(out[ev.User.Username], write{received: ev.Received, completed: ev.Completed})
	}
	return out, sc.Err()
}
