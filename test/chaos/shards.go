package chaos

import (
	"context"
	"fmt"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// twoShards runs two managers against one control plane, each with a user
// of its own and a --watch-label-selector: one caches the objects labelled
// sharding.fluxcd.io/key=shard1, the other those without the label. Each
// has a business of its own. Both must converge, and the API server's audit
// log must show each namespace written by its shard's manager only: every
// object was reconciled by exactly one of them.
func twoShards(ctx context.Context, e *env, cfg Config) (string, error) {
	const shard, userLabelled, userDefault = "shard1", "shard-1", "shard-default"
	labelled := business{ns: "chaos-shard-1", n: cfg.LeaderTargets / 2, shard: shard}
	unlabelled := business{ns: "chaos-shard-default", n: cfg.LeaderTargets / 2}
	kubeconfigs := map[string]string{}
	for _, user := range []string{userLabelled, userDefault} {
		k, err := e.cluster.UserKubeconfig(user)
		if err != nil {
			return "", err
		}
		kubeconfigs[user] = k
	}
	// One manager serves the webhooks (the configurations point at one
	// port); sharded, it admits the objects of both shards.
	a, err := e.startManager("shard-1", labelled.ns, localcp.ManagerOptions{Kubeconfig: kubeconfigs[userLabelled],
		Args: []string{"--watch-label-selector=" + v1alpha1.ShardLabel + "=" + shard}})
	if err != nil {
		return "", err
	}
	defer func() { _ = a.Stop() }()
	b, err := e.startManager("shard-default", unlabelled.ns, localcp.ManagerOptions{Kubeconfig: kubeconfigs[userDefault], NoWebhooks: true,
		Args: []string{"--watch-label-selector=!" + v1alpha1.ShardLabel}})
	if err != nil {
		return "", err
	}
	defer func() { _ = b.Stop() }()
	if err := e.ensureModel(ctx); err != nil {
		return "", err
	}
	for _, run := range []struct {
		biz business
		m   *localcp.Manager
	}{{labelled, a}, {unlabelled, b}} {
		if err := e.create(ctx, run.biz); err != nil {
			return "", err
		}
		want, err := e.expectedOpen(run.biz)
		if err != nil {
			return "", err
		}
		if err := e.waitTasks(ctx, cfg, run.biz.ns, run.m, want); err != nil {
			return "", err
		}
	}
	if err := tasksInShard(ctx, e, labelled.ns, shard); err != nil {
		return "", err
	}
	if err := tasksInShard(ctx, e, unlabelled.ns, ""); err != nil {
		return "", err
	}
	rejected, err := crossShardRejected(ctx, e, shard)
	if err != nil {
		return "", err
	}

	var counts []string
	for _, run := range []struct{ ns, owner, other string }{
		{labelled.ns, userLabelled, userDefault}, {unlabelled.ns, userDefault, userLabelled},
	} {
		writes, err := readWrites(e.cluster.AuditLog, run.ns)
		if err != nil {
			return "", err
		}
		if n := len(writes[run.other]); n > 0 {
			return "", fmt.Errorf("%d writes by %s in %s, which is %s's shard", n, run.other, run.ns, run.owner)
		}
		if len(writes[run.owner]) == 0 {
			return "", fmt.Errorf("no write by %s in its shard's namespace %s", run.owner, run.ns)
		}
		counts = append(counts, fmt.Sprintf("%d writes by %s in %s", len(writes[run.owner]), run.owner, run.ns))
	}
	return fmt.Sprintf("%s, none by the other manager; both converged; %s", strings.Join(counts, " and "), rejected), nil
}

// tasksInShard checks that every task of ns carries shard (none: no label).
func tasksInShard(ctx context.Context, e *env, ns, shard string) error {
	list := &v1alpha1.ProjectTaskList{}
	if err := e.client.List(ctx, list, client.InNamespace(ns)); err != nil {
		return err
	}
	for i := range list.Items {
		got, ok := list.Items[i].Labels[v1alpha1.ShardLabel]
		if got != shard || ok != (shard != "") {
			return fmt.Errorf("task %s/%s has shard label %q, its source's shard is %q", ns, list.Items[i].Name, got, shard)
		}
	}
	return nil
}

// crossShardRejected creates a source without a shard label and a target of
// shard that reads it: the webhook must reject the target, naming the field.
func crossShardRejected(ctx context.Context, e *env, shard string) (string, error) {
	ns := "chaos-shard-cross"
	if err := e.createNamespace(ctx, ns); err != nil {
		return "", err
	}
	if err := e.client.Create(ctx, e.work.source(ns, "src", e.work.sample)); err != nil {
		return "", err
	}
	tgt := e.work.target(ns, "tgt", levelHighPerformance, "src")
	tgt.Labels = map[string]string{v1alpha1.ShardLabel: shard}
	err := e.client.Create(ctx, tgt)
	const want = "spec.metricSources[0].name"
	if err == nil {
		return "", fmt.Errorf("a target of shard %q reading a source of none was admitted", shard)
	}
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "same shard") {
		return "", fmt.Errorf("a target of shard %q reading a source of none was rejected for another reason: %w", shard, err)
	}
	return "a target reading a source of another shard rejected (" + want + ")", nil
}
