package main

import (
	"strconv"
	"time"
)

// memoryLimitEnv holds the container's memory limit in bytes (the
// Deployment sets it from limits.memory with a resourceFieldRef).
const memoryLimitEnv = "MEMORY_LIMIT"

// gracefulShutdown bounds how long the manager waits for its runnables on
// a stop.
const gracefulShutdown = 30 * time.Second

// memoryLimit is the Go runtime's soft memory limit for a container limit
// of containerLimit bytes. It leaves room for what the container is charged
// and the Go runtime does not count: chiefly the binary's own pages, about
// 50 MiB resident, so a fixed reserve of 64 MiB, or 10% of a limit above
// 640 MiB (and never less than half the limit). With 90% alone, a 256 MiB
// container's heap could grow to 230 MiB and, with the binary, past the
// limit. Near the limit the collector works harder instead of the kernel
// reclaiming the binary's pages or killing the process. An explicit
// GOMEMLIMIT wins, and no limit (empty, unparsable, or the 2^63-1 that
// resourceFieldRef reports for an unlimited container) sets nothing.
func memoryLimit(containerLimit, gomemlimit string) (int64, bool) {
	if gomemlimit != "" || containerLimit == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(containerLimit, 10, 64)
	if err != nil || n <= 0 || n > 1<<50 {
		return 0, false
	}
	return max(n-max(n/10, memoryReserve), n/2), true
}

// memoryReserve is the part of a container's limit left outside the Go
// runtime's, at least.
const memoryReserve = 64 << 20
