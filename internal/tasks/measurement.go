package tasks

// StreamMeasurement is the stream of a source's measurement task: the one
// task that asks for the metrics its rules read and no MetricSource
// provides, instead of a task per objective that cannot be judged.
const StreamMeasurement = "measurement"

// MeasurementKey is the key of the measurement task. It has no objective
// and no level, which no objective's gap lacks, so it never meets one.
var MeasurementKey = Key{Stream: StreamMeasurement}

// MeasurementName is the name of source's measurement task:
// <source>-missing-metrics. No objective's task can have it: those end in
// <stream>-<objective>-<level>, three non-empty parts.
func MeasurementName(source string) string {
	return shorten(source+"-missing-metrics", maxNameLength)
}
