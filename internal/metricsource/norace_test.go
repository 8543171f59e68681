//go:build !race

package metricsource

const raceEnabled = false
