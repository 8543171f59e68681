package v1alpha1

// ShardLabel splits the objects of growth.scaleup.io between operator
// replicas, as Flux's controllers split theirs: a replica started with
// --watch-label-selector=sharding.fluxcd.io/key=shard1 caches and
// reconciles only the objects labelled sharding.fluxcd.io/key=shard1, one
// started with --watch-label-selector='!sharding.fluxcd.io/key' those
// without the label. Objects that refer to each other (a target and its
// MetricSources, a program and its partners) must carry the same value:
// the webhook rejects a reference across shards. ProjectTasks take their
// source's value.
const ShardLabel = "sharding.fluxcd.io/key"
