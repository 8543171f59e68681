// Package tasks plans the ProjectTasks that close the gaps a controller
// found: which tasks must exist, with which fields, which are resolved, and
// which are held back by the open-task cap. It is pure: no client, no clock.
package tasks

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// Labels put on every generated task so people and tools can select them.
// GitOps tracking labels of the source are never copied: Argo CD and Flux
// would otherwise treat the tasks as their own and prune them.
const (
	LabelSourceKind = "growth.scaleup.io/source-kind"
	LabelSourceName = "growth.scaleup.io/source-name"
	LabelStream     = "growth.scaleup.io/stream"
	LabelObjective  = "growth.scaleup.io/objective"
	LabelLevel      = "growth.scaleup.io/level"
	LabelOwnerRole  = "growth.scaleup.io/owner-role"
)

const (
	maxNameLength  = 253
	maxLabelLength = 63
	hashLength     = 8
)

// Name is the deterministic name of a task: the same gap always yields the
// same name, so re-planning after a restart never duplicates a task.
// index distinguishes several templates for the same gap (0 for the first).
func Name(source, stream, objective, level string, index int) string {
	parts := []string{source, stream, objective, strings.ToLower(level)}
	if index > 0 {
		parts = append(parts, fmt.Sprint(index+1))
	}
	return shorten(strings.Join(parts, "-"), maxNameLength)
}

// disambiguate is the name of a task whose plain Name is taken by another
// gap: the plain name with a hash of the gap's key, which '/' joins without
// ambiguity since no part can contain it.
func disambiguate(name string, k Key, index int) string {
	h := fnv.New32a()
	_, _ = fmt.Fprintf(h, "%s/%s/%s/%d", k.Stream, k.Objective, k.Level, index)
	suffix := fmt.Sprintf("-%08x", h.Sum32())
	if len(name)+len(suffix) > maxNameLength {
		name = strings.TrimRight(name[:maxNameLength-len(suffix)], "-.")
	}
	return name + suffix
}

// LabelValue fits s into a label value, keeping it unique with a hash suffix
// when it has to be cut.
func LabelValue(s string) string {
	return shorten(s, maxLabelLength)
}

func shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	prefix := strings.TrimRight(s[:max-hashLength-1], "-.")
	return fmt.Sprintf("%s-%08x", prefix, h.Sum32())
}
