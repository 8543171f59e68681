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
// of containerLimit bytes: 90% of it, leaving the rest for what the Go
// runtime does not count (stacks of cgo threads, the binary's pages) so the
// collector works harder before the kernel kills the process. An explicit
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
	return n / 10 * 9, true
}
