package chaos

import (
	"context"
	"fmt"
	"syscall"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// leaseName is the manager's leader election lease (main.go).
const leaseName = "scaleup-operator.growth.scaleup.io"

// maxAttemptsPerSecond is the connection rate above which a manager counts
// as spinning against a refusing API server; a retry loop without backoff
// makes thousands a second. What a healthy one makes is about one a second
// per watched kind: client-go retries an idempotent request up to ten times,
// a second apart, before its reflector backs off (from 800 ms), and the
// reconciles back off from 750 ms.
const maxAttemptsPerSecond = 50

// apiServerOutage runs a manager with leader election, as deployed, through
// a proxy. Once it converged, etcd and the API server are stopped for
// cfg.Outage; then, with both running again, the proxy refuses the
// manager's connections for cfg.Outage while the targets are changed. The
// manager must still run, hold its lease, and converge on the changes.
func apiServerOutage(ctx context.Context, e *env, cfg Config) (string, error) {
	b := business{ns: "chaos-outage", n: 20}
	if err := e.createNamespace(ctx, b.ns); err != nil {
		return "", err
	}
	pids, err := controlPlanePids()
	if err != nil {
		return "", err
	}
	p, err := startProxy("")
	if err != nil {
		return "", err
	}
	defer p.close()
	kubeconfig, apiserver, err := proxiedKubeconfig(e.cluster.Kubeconfig, e.dir, p)
	if err != nil {
		return "", err
	}
	p.target = apiserver
	m, err := e.startManager("outage", b.ns, localcp.ManagerOptions{Kubeconfig: kubeconfig, LeaderElection: true})
	if err != nil {
		return "", err
	}
	defer func() { _ = m.Stop() }()
	want, err := e.createConverged(ctx, cfg, b, m)
	if err != nil {
		return "", err
	}
	holder, err := e.leaseHolder(ctx, b.ns)
	if err != nil {
		return "", err
	}

	e.progress("stopping etcd and kube-apiserver for %s", cfg.Outage)
	openedBefore, _ := p.counts()
	if err := signalAll(pids, syscall.SIGSTOP); err != nil {
		return "", err
	}
	stopped := e.outage(ctx, cfg.Outage)
	thawed := time.Now()
	if err := signalAll(pids, syscall.SIGCONT); err != nil {
		return "", err
	}
	openedFrozen, _ := p.counts()
	// Two outages back to back would be one as long as both, longer than
	// the renew deadline: the second starts once the lease was renewed.
	if err := e.waitRenewed(ctx, b.ns, holder, thawed, m); err != nil {
		return "", fmt.Errorf("after etcd and the API server stopped: %w", err)
	}

	e.progress("refusing the manager's connections for %s", cfg.Outage)
	p.refuse()
	// Meanwhile the business lowers the bar of half the targets: their
	// tasks must be resolved once the manager is back.
	for i := 0; i < b.n; i += 2 {
		if err := e.setTargetLevel(ctx, b.ns, targetName(i), levelGrowingPains); err != nil {
			return "", err
		}
		if want[targetName(i)], err = e.work.expectedTasks(targetName(i), e.work.sample, levelGrowingPains); err != nil {
			return "", err
		}
	}
	refusedFrom := time.Now() // for the per-second counts of a failure
	refusedFor := e.outage(ctx, cfg.Outage)
	_, attempts := p.counts()
	p.restore()
	if err := m.Err(); err != nil {
		return "", fmt.Errorf("after its connections were refused: %w", err)
	}
	refused := len(attempts)
	if rate := float64(refused) / refusedFor.Seconds(); rate > maxAttemptsPerSecond {
		return "", fmt.Errorf("the manager spun: %d connection attempts in %s of refusal (%.1f/s, at most %d/s allowed; per second: %v)",
			refused, refusedFor.Round(time.Second), rate, maxAttemptsPerSecond, perSecond(attempts, refusedFrom))
	}
	if err := e.waitTasks(ctx, cfg, b.ns, m, want); err != nil {
		return "", err
	}
	after, err := e.leaseHolder(ctx, b.ns)
	if err != nil {
		return "", err
	}
	if after != holder {
		return "", fmt.Errorf("lease held by %q before the outage and %q after: the manager lost leadership", holder, after)
	}
	if err := m.Err(); err != nil {
		return "", err
	}
	return fmt.Sprintf("stopped %s: %d new connections; refused %s: %d connection attempts (%.1f/s); still running and leading; converged on %d changed targets after",
		stopped.Round(time.Second), openedFrozen-openedBefore, refusedFor.Round(time.Second), refused,
		float64(refused)/refusedFor.Seconds(), (b.n+1)/2), nil
}

// perSecond counts the times in each second from start.
func perSecond(times []time.Time, start time.Time) []int {
	var counts []int
	for _, t := range times {
		i := int(t.Sub(start) / time.Second)
		for len(counts) <= i {
			counts = append(counts, 0)
		}
		counts[i]++
	}
	return counts
}

// outage waits d (the fault's length, not a check) and returns how long it
// lasted.
func (e *env) outage(ctx context.Context, d time.Duration) time.Duration {
	start := time.Now()
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
	return time.Since(start)
}

// waitRenewed waits until holder renewed the lease in ns after since.
func (e *env) waitRenewed(ctx context.Context, ns, holder string, since time.Time, m *localcp.Manager) error {
	return waitFor(ctx, time.Minute, "a lease renewal", func(ctx context.Context) (bool, string, error) {
		if err := m.Err(); err != nil {
			return false, "", err
		}
		lease := &coordinationv1.Lease{}
		if err := e.client.Get(ctx, types.NamespacedName{Namespace: ns, Name: leaseName}, lease); err != nil {
			return false, "", err
		}
		spec := lease.Spec
		if spec.HolderIdentity == nil || *spec.HolderIdentity != holder {
			return false, "", fmt.Errorf("the lease passed from %q to %v: the manager lost leadership", holder, spec.HolderIdentity)
		}
		// RenewTime has microsecond precision; since is compared at it.
		renewed := spec.RenewTime != nil && !spec.RenewTime.Time.Before(since.Truncate(time.Microsecond))
		return renewed, "not renewed since the outage", nil
	})
}

// leaseHolder waits for the leader election lease in ns to be held and
// returns its holder.
func (e *env) leaseHolder(ctx context.Context, ns string) (string, error) {
	var holder string
	err := waitFor(ctx, time.Minute, "a lease holder", func(ctx context.Context) (bool, string, error) {
		lease := &coordinationv1.Lease{}
		if err := e.client.Get(ctx, types.NamespacedName{Namespace: ns, Name: leaseName}, lease); err != nil {
			return false, err.Error(), client.IgnoreNotFound(err)
		}
		if lease.Spec.HolderIdentity != nil {
			holder = *lease.Spec.HolderIdentity
		}
		return holder != "", "no holder", nil
	})
	return holder, err
}
