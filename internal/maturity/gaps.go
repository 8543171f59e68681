package maturity

import (
	"fmt"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// Gaps lists the tasks a target needs: first one measurement gap when
// objectives below the target read metrics no source provides, then, in
// model order, every objective below the target whose rule for the next
// level fails on known values, with that level and the model's projects for
// it. An objective whose next level is unknown (a metric is missing) or
// cannot run (Error) has not failed: it gets no task of its own. Tasks always
// aim one level up: an objective at Startup targeting HighPerformance gets
// the GrowingPains projects first.
func Gaps(m *Model, r Result) []tasks.Gap {
	levels := m.Levels()
	spec := m.Spec()
	var gaps []tasks.Gap
	if need := unmeasured(m, r); len(need) > 0 {
		gaps = append(gaps, measurementGap(need))
	}
	i := 0
	for _, s := range spec.Streams {
		for _, o := range s.Objectives {
			res := &r.Objectives[i]
			i++
			blocking := res.Blocking
			if res.Reached >= r.TargetLevel {
				blocking = nil
			}
			// A rule of an Active campaign that fails lower down wins: its
			// task is due at the campaign's target date.
			var due time.Time
			if cb, d, _ := m.activeBlocking(res, r.TargetLevel); cb != nil && (blocking == nil || cb.Level < blocking.Level) {
				blocking, due = cb, d
			}
			if blocking == nil || blocking.Result != Failed {
				continue
			}
			// The level above Reached may be shadow: the gap is at the rule
			// that failed.
			next := levels[blocking.Level]
			gap := tasks.Gap{
				Key:   tasks.Key{Stream: s.Name, Objective: o.Name, Level: next},
				Owner: o.Owner,
				Due:   due,
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

// failed says whether the rule that keeps o from its next level failed on
// known values, as opposed to being unknown or not running.
func failed(o ObjectiveResult) bool {
	return o.Blocking != nil && o.Blocking.Result == Failed
}

// Resolver says, for the gap a task was opened for, whether it has closed:
// the objective reached the task's level, or the level is no longer
// required (the target was lowered, or the objective left the model). A gap
// below the task's level that cannot be judged is Unknown: its task is
// neither resolved nor reopened. The measurement task resolves once the
// objectives below the target lack no metric.
func Resolver(m *Model, r Result) func(tasks.Key) tasks.Resolution {
	objectives := make(map[[2]string]*ObjectiveResult, len(r.Objectives))
	for i := range r.Objectives {
		o := &r.Objectives[i]
		objectives[[2]string{o.Stream, o.Objective}] = o
	}
	need := unmeasured(m, r)
	return func(k tasks.Key) tasks.Resolution {
		if k == tasks.MeasurementKey {
			if len(need) == 0 {
				return tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonMetricsProvided,
					Message: fmt.Sprintf("the objectives below %s lack no metric", m.Levels()[r.TargetLevel])}
			}
			return tasks.Resolution{Reason: v1alpha1.ReasonMetricsMissing,
				Message: "no MetricSource provides: " + metricNames(need, maxMessageMetrics)}
		}
		level, ok := m.LevelIndex(k.Level)
		o, found := objectives[[2]string{k.Stream, k.Objective}]
		switch {
		case !ok || !found:
			return tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonOutOfScope,
				Message: fmt.Sprintf("%s/%s at %s is no longer in the model", k.Stream, k.Objective, k.Level)}
		case o.Exemption != nil && level <= r.TargetLevel:
			return tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonExempted,
				Message: fmt.Sprintf("%s/%s is exempted until %s: %s", k.Stream, k.Objective,
					o.Exemption.ExpiresAt.UTC().Format(time.RFC3339), o.Exemption.Reason)}
		case m.campaignHolds(o, r.TargetLevel, level):
			return m.campaignResolution(o, r.TargetLevel)
		case o.Reached >= level:
			return tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed,
				Message: fmt.Sprintf("%s/%s reached %s", k.Stream, k.Objective, m.Levels()[o.Reached])}
		case level > r.TargetLevel:
			return tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonOutOfScope,
				Message: fmt.Sprintf("%s is above the target level %s", k.Level, m.Levels()[r.TargetLevel])}
		case !failed(*o):
			return unknown(m, o)
		}
		return tasks.Resolution{Resolved: false, Reason: v1alpha1.ReasonGapOpen,
			Message: fmt.Sprintf("%s/%s is at %s and must reach %s", k.Stream, k.Objective, levelName(m, o.Reached), k.Level)}
	}
}

// unknown is the resolution of a task whose objective cannot be judged at
// the level above the one it reached.
func unknown(m *Model, o *ObjectiveResult) tasks.Resolution {
	next := o.Reached + 1
	if o.Blocking != nil {
		next = o.Blocking.Level
	}
	at := fmt.Sprintf("%s/%s cannot be judged at %s", o.Stream, o.Objective, levelName(m, next))
	if o.Blocking != nil && o.Blocking.Result == Error {
		return tasks.Resolution{Unknown: true, Reason: v1alpha1.ReasonInvalidRule,
			Message: at + ": its rule fails to run: " + o.Blocking.Message}
	}
	var missing []string
	if o.Blocking != nil {
		missing = o.Blocking.Missing
	}
	return tasks.Resolution{Unknown: true, Reason: v1alpha1.ReasonMetricsMissing,
		Message: at + ": no value for " + Listed(missing, maxMessageMetrics)}
}

// campaignHolds says whether a rule of an Active campaign keeps the
// objective below level, so that a task at that level stays open (or
// undecided) although the model's own rules pass.
func (m *Model) campaignHolds(o *ObjectiveResult, target, level int) bool {
	cb, _, _ := m.activeBlocking(o, target)
	return cb != nil && cb.Level <= level
}

// campaignResolution is the resolution of a task an Active campaign's rule
// holds: open while the rule fails on known values, else undecided.
func (m *Model) campaignResolution(o *ObjectiveResult, target int) tasks.Resolution {
	cb, due, name := m.activeBlocking(o, target)
	if cb.Result != Failed {
		c := *o
		c.Blocking, c.Reached = cb, cb.Level-1
		return unknown(m, &c)
	}
	return tasks.Resolution{Resolved: false, Reason: v1alpha1.ReasonGapOpen, Message: campaignGapMessage(m, o, cb, name, due)}
}

func levelName(m *Model, i int) string {
	if i < 0 {
		return "no level"
	}
	return m.Levels()[i]
}
