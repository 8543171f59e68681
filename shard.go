package main

import (
	"fmt"
	"hash/fnv"
	"strings"

	"k8s.io/apimachinery/pkg/labels"
)

// shardSelector parses --watch-label-selector; nil when it is empty (no
// sharding).
func shardSelector(s string) (labels.Selector, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	sel, err := labels.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("--watch-label-selector %q: %w", s, err)
	}
	return sel, nil
}

// leaderElectionID is the lease the replicas of one shard compete for:
// each shard has its own leader.
func leaderElectionID(selector string) string {
	const id = "scaleup-operator.growth.scaleup.io"
	if strings.TrimSpace(selector) == "" {
		return id
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.TrimSpace(selector)))
	return fmt.Sprintf("%s-shard-%08x", id, h.Sum32())
}
