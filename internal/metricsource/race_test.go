//go:build race

package metricsource

// raceEnabled: the race detector's own allocations make allocation bounds
// meaningless.
const raceEnabled = true
