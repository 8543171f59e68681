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

// Name is the deterministic name of a gap's task for the template with the
// given title at position index among the gap's templates: the same gap
// always yields the same name, so re-planning after a restart never
// duplicates a task. The first template's task is
// <source>-<stream>-<objective>-<level>; a later one adds the slug of its
// project title, so a task keeps its name when templates are added after
// it. Plan gives a name another task of the source already holds (two
// titles with one slug) a hash of the gap instead.
func Name(source string, k Key, index int, title string) string {
	parts := []string{source, k.Stream, k.Objective, strings.ToLower(k.Level)}
	if index > 0 {
		parts = append(parts, Slug(title))
	}
	return shorten(strings.Join(parts, "-"), maxNameLength)
}

// legacyName is the name earlier releases gave a later template's task,
// numbered from 2. Plan keeps it for a task that already has it.
func legacyName(source string, k Key, index int) string {
	return shorten(strings.Join([]string{source, k.Stream, k.Objective, strings.ToLower(k.Level), fmt.Sprint(index + 1)}, "-"), maxNameLength)
}

// Slug turns a project title into a DNS label: lowercase letters and
// digits, every other run of characters one '-', at most 63 characters (a
// longer slug is cut with a hash of the whole, so it stays unique). A title
// with no letter or digit a-z, 0-9 gets "project-" and a hash of the title.
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		h := fnv.New32a()
		_, _ = h.Write([]byte(title))
		return fmt.Sprintf("project-%08x", h.Sum32())
	}
	return shorten(b.String(), maxLabelLength)
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
