package maturity

import (
	"fmt"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// Gaps lists, in model order, every objective below the target level with
// the level it must reach next and the model's projects for that level.
// Tasks always aim one level up: an objective at Startup targeting
// HighPerformance gets the GrowingPains projects first.
func Gaps(m *Model, r Result) []tasks.Gap {
	levels := m.Levels()
	spec := m.Spec()
	var gaps []tasks.Gap
	i := 0
	for _, s := range spec.Streams {
		for _, o := range s.Objectives {
			res := r.Objectives[i]
			i++
			if res.Reached >= r.TargetLevel {
				continue
			}
			next := levels[res.Reached+1]
			gap := tasks.Gap{
				Key:   tasks.Key{Stream: s.Name, Objective: o.Name, Level: next},
				Owner: o.Owner,
			}
			for _, p := range o.Projects {
				if p.Level == next {
					gap.Templates = append(gap.Templates, tasks.Template{Title: p.Title, Description: p.Description, Priority: p.Priority})
				}
			}
			gaps = append(gaps, gap)
		}
	}
	return gaps
}

// Resolver says, for the gap a task was opened for, whether it has closed:
// the objective reached the task's level, or the level is no longer
// required (the target was lowered, or the objective left the model).
func Resolver(m *Model, r Result) func(tasks.Key) tasks.Resolution {
	reached := make(map[[2]string]int, len(r.Objectives))
	for _, o := range r.Objectives {
		reached[[2]string{o.Stream, o.Objective}] = o.Reached
	}
	return func(k tasks.Key) tasks.Resolution {
		level, ok := m.LevelIndex(k.Level)
		at, found := reached[[2]string{k.Stream, k.Objective}]
		switch {
		case !ok || !found:
			return tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonOutOfScope,
				Message: fmt.Sprintf("%s/%s at %s is no longer in the model", k.Stream, k.Objective, k.Level)}
		case at >= level:
			return tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed,
				Message: fmt.Sprintf("%s/%s reached %s", k.Stream, k.Objective, m.Levels()[at])}
		case level > r.TargetLevel:
			return tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonOutOfScope,
				Message: fmt.Sprintf("%s is above the target level %s", k.Level, m.Levels()[r.TargetLevel])}
		}
		return tasks.Resolution{Resolved: false, Reason: v1alpha1.ReasonGapOpen,
			Message: fmt.Sprintf("%s/%s is at %s and must reach %s", k.Stream, k.Objective, levelName(m, at), k.Level)}
	}
}

func levelName(m *Model, i int) string {
	if i < 0 {
		return "no level"
	}
	return m.Levels()[i]
}
