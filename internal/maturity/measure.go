package maturity

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// Bounds of the measurement task's text: the ProjectTask schema allows a
// 4096-character description and the Resolved message is cut at 1024.
const (
	maxMeasurementDescription = 3500
	maxReadersListed          = 5
	maxMessageMetrics         = 10
)

// Unmeasured is a metric that objectives below the target read and no
// source provides.
type Unmeasured struct {
	Metric string
	// Readers are the objectives below the target that read it at a level
	// they have yet to reach, as "stream/objective (Level)" with the lowest
	// such level, in model order.
	Readers []string
}

// unmeasured lists, sorted by metric, what must be measured before the
// objectives below the target can be judged up to it: the missing metrics
// their rules read from the level above the one they reached to the target.
// Metrics only rules they already pass, or rules above the target, read are
// not needed for the target and not listed (status.missingMetrics has them).
func unmeasured(m *Model, r Result) []Unmeasured {
	if len(r.Missing) == 0 {
		return nil
	}
	readers := map[string][]string{}
	for i := range r.Objectives {
		res := &r.Objectives[i]
		if res.Reached >= r.TargetLevel {
			continue
		}
		o := &m.objectives[i]
		var seen []string
		add := func(name string, level int) {
			if slices.Contains(seen, name) {
				return
			}
			seen = append(seen, name)
			readers[name] = append(readers[name], fmt.Sprintf("%s/%s (%s)", o.stream, o.name, m.levels[level]))
		}
		for level := res.Reached + 1; level <= r.TargetLevel; level++ {
			if res.Blocking != nil && level == res.Blocking.Level {
				// The rule that was evaluated knows its computed keys too
				// (they are in r.Missing; a value of the previous period
				// is not a metric to provide).
				for _, n := range res.Blocking.Missing {
					if _, missing := slices.BinarySearch(r.Missing, n); missing {
						add(n, level)
					}
				}
			}
			for rl := o.byLevel[level]; rl != nil; rl = rl.next {
				if rl.shadow {
					continue
				}
				for _, n := range rl.refs.names {
					if _, missing := slices.BinarySearch(r.Missing, n); missing {
						add(n, level)
					}
				}
			}
		}
	}
	out := make([]Unmeasured, 0, len(readers))
	for n, rs := range readers {
		out = append(out, Unmeasured{Metric: n, Readers: rs})
	}
	slices.SortFunc(out, func(a, b Unmeasured) int { return strings.Compare(a.Metric, b.Metric) })
	return out
}

// measurementGap is the one task a target opens for its missing metrics,
// owned by IT, instead of a task per objective that cannot be judged.
func measurementGap(need []Unmeasured) tasks.Gap {
	noun := "metrics"
	if len(need) == 1 {
		noun = "metric"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "No MetricSource of this target provides these %s, so the objectives that read them cannot be judged "+
		"at the levels listed: they are unknown, not failed. Provide them in a MetricSource named in spec.metricSources; "+
		"this task resolves once every one has a value.\n\n", noun)
	for i, u := range need {
		line := "- " + truncate(u.Metric, maxNameLength) + ": " + Listed(u.Readers, maxReadersListed) + "\n"
		if b.Len()+len(line) > maxMeasurementDescription {
			fmt.Fprintf(&b, "- and %d more\n", len(need)-i)
			break
		}
		b.WriteString(line)
	}
	return tasks.Gap{
		Key:   tasks.MeasurementKey,
		Owner: v1alpha1.OwnerIT,
		Templates: []tasks.Template{{
			Title:       fmt.Sprintf("Provide %d missing %s", len(need), noun),
			Description: b.String(),
			Priority:    v1alpha1.PriorityHigh,
		}},
	}
}

// Listed joins at most n items, saying how many more there are.
func Listed(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// metricNames are the names of need, at most n, for a one-line message.
func metricNames(need []Unmeasured, n int) string {
	names := make([]string, 0, len(need))
	for _, u := range need {
		names = append(names, truncate(u.Metric, maxNameLength))
	}
	return Listed(names, n)
}
