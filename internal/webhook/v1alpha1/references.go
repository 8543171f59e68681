package v1alpha1

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

// The functions in this file decide, without a client, which references of
// an object do not resolve; the validators look the referenced objects up
// and pass them in. Each warning is one line that starts with the field it
// is about and names the values that would resolve.
//
// The API server may cut warnings longer than 256 characters and drops
// warnings beyond 4096 characters in all, so lists of names are bounded,
// every warning is capped, and so is their number.
const (
	maxListedNames = 10
	maxListedChars = 120
	maxWarningLen  = 256
	maxWarnings    = 10
)

// modelWarnings warns when spec.modelRef names no MaturityModel (model is
// nil; models are the names of the ones that exist) or spec.targetLevel is
// not one of the model's levels.
func modelWarnings(spec *v1alpha1.MaturityTargetSpec, model *v1alpha1.MaturityModel, models []string) []string {
	if model == nil {
		return []string{warning("spec.modelRef.name", "MaturityModel %q not found; the target is evaluated once it exists (MaturityModels: %s)",
			spec.ModelRef.Name, listNames(models))}
	}
	levels := make([]string, len(model.Spec.Levels))
	for i, l := range model.Spec.Levels {
		levels[i] = l.Name
	}
	if slices.Contains(levels, spec.TargetLevel) {
		return nil
	}
	// Levels keep the model's order: it is the order they are reached in.
	return []string{warning("spec.targetLevel", "%q is not a level of MaturityModel %s (levels: %s)",
		spec.TargetLevel, model.Name, listInOrder(levels))}
}

// exemptionWarnings warns about each entry of spec.exemptions that names an
// objective the model (when it exists) does not have. Models change on
// their own schedule, so this is advice: the target reports such an
// exemption in status.exemptions as UnknownObjective.
func exemptionWarnings(spec *v1alpha1.MaturityTargetSpec, model *v1alpha1.MaturityModel) []string {
	if model == nil || len(spec.Exemptions) == 0 {
		return nil
	}
	objectives := map[string][]string{}
	for _, s := range model.Spec.Streams {
		for _, o := range s.Objectives {
			objectives[s.Name] = append(objectives[s.Name], o.Name)
		}
	}
	var out []string
	for i, ex := range spec.Exemptions {
		names, stream := objectives[ex.Stream]
		switch {
		case !stream:
			streams := make([]string, 0, len(model.Spec.Streams))
			for _, s := range model.Spec.Streams {
				streams = append(streams, s.Name)
			}
			out = append(out, warning(fmt.Sprintf("spec.exemptions[%d].stream", i), "MaturityModel %s has no stream %q; the exemption has no effect (streams: %s)",
				model.Name, ex.Stream, listInOrder(streams)))
		case !slices.Contains(names, ex.Objective):
			out = append(out, warning(fmt.Sprintf("spec.exemptions[%d].objective", i), "stream %s of MaturityModel %s has no objective %q; the exemption has no effect (objectives: %s)",
				ex.Stream, model.Name, ex.Objective, listInOrder(names)))
		}
	}
	return out
}

// expiredExemptionWarnings warns about each entry of spec.exemptions that
// has already expired at now: it grants nothing, and the target lists it as
// Expired. Advice, not a refusal: a GitOps pipeline re-applying an old
// manifest must not be blocked by the calendar.
func expiredExemptionWarnings(spec *v1alpha1.MaturityTargetSpec, now time.Time) []string {
	var out []string
	for i, ex := range spec.Exemptions {
		if !ex.ExpiresAt.IsZero() && !ex.ExpiresAt.After(now) {
			out = append(out, warning(fmt.Sprintf("spec.exemptions[%d].expiresAt", i), "%s has passed; the exemption for %s/%s has no effect",
				ex.ExpiresAt.UTC().Format(time.RFC3339), ex.Stream, ex.Objective))
		}
	}
	return out
}

// sourceWarnings warns about each entry of spec.metricSources that names no
// MetricSource in namespace; existing are the names of the ones there.
func sourceWarnings(namespace string, refs []v1alpha1.LocalObjectReference, existing []string) []string {
	var out []string
	for i, ref := range refs {
		if slices.Contains(existing, ref.Name) {
			continue
		}
		out = append(out, warning(fmt.Sprintf("spec.metricSources[%d].name", i),
			"MetricSource %q not found in namespace %s; readers wait for it (MetricSources there: %s)",
			ref.Name, namespace, listNames(existing)))
	}
	return out
}

// partnerWarnings warns when spec.programRef names no PartnerProgram in the
// partner's namespace (prog is nil; programs are the names of the ones
// there), or when the partner does not fit its program: an unknown type or
// step, or facts out of order. The partner controller reports the same
// problems as Stalled.
func partnerWarnings(p *v1alpha1.Partner, prog *v1alpha1.PartnerProgram, programs []string) []string {
	if prog == nil {
		return []string{warning("spec.programRef.name", "PartnerProgram %q not found in namespace %s; the partner waits for it (PartnerPrograms there: %s)",
			p.Spec.ProgramRef.Name, p.Namespace, listNames(programs))}
	}
	problems := partners.Validate(p, &prog.Spec)
	out := make([]string, len(problems))
	for i, problem := range problems {
		field, msg, ok := strings.Cut(problem, ": ")
		if !ok {
			field, msg = "spec", problem
		}
		out[i] = warning(field, "%s (PartnerProgram %s)", msg, prog.Name)
	}
	return out
}

// readinessWarnings warns when a program's spec.readiness names no
// MaturityTarget in its namespace (target is nil; targets are the names of
// the ones there), or when the target's model (model, when it exists) does
// not have spec.readiness.minimumLevel. The program waits for a missing
// target and stalls on an unknown level.
func readinessWarnings(prog *v1alpha1.PartnerProgram, target *v1alpha1.MaturityTarget, targets []string, model *v1alpha1.MaturityModel) []string {
	gate := prog.Spec.Readiness
	if gate == nil {
		return nil
	}
	if target == nil {
		return []string{warning("spec.readiness.maturityTargetRef.name",
			"MaturityTarget %q not found in namespace %s; the program waits for it (MaturityTargets there: %s)",
			gate.MaturityTargetRef.Name, prog.Namespace, listNames(targets))}
	}
	if model == nil {
		return nil
	}
	levels := make([]string, len(model.Spec.Levels))
	for i, l := range model.Spec.Levels {
		levels[i] = l.Name
	}
	if slices.Contains(levels, gate.MinimumLevel) {
		return nil
	}
	return []string{warning("spec.readiness.minimumLevel", "%q is not a level of MaturityModel %s of MaturityTarget %s (levels: %s)",
		gate.MinimumLevel, model.Name, target.Name, listInOrder(levels))}
}

// warnings caps the number of warnings; the last one left says how many
// more there were.
func warnings(ws ...[]string) admission.Warnings {
	var all []string
	for _, w := range ws {
		all = append(all, w...)
	}
	if len(all) > maxWarnings {
		more := len(all) - (maxWarnings - 1)
		all = append(all[:maxWarnings-1], fmt.Sprintf("and %d more warnings like these", more))
	}
	return all
}

// warning formats one warning about field, on one line and capped.
func warning(field, format string, args ...any) string {
	w := field + ": " + strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " ")
	if len(w) > maxWarningLen {
		w = strings.ToValidUTF8(w[:maxWarningLen-3], "") + "..."
	}
	return w
}

// listNames lists names sorted, bounded by count and length.
func listNames(names []string) string {
	return listInOrder(slices.Sorted(slices.Values(names)))
}

// listInOrder lists names in the order given, bounded by count and length;
// the first name is always listed.
func listInOrder(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	var b strings.Builder
	n := 0
	for _, name := range names {
		if n == maxListedNames || (n > 0 && b.Len()+2+len(name) > maxListedChars) {
			break
		}
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString(name)
		n++
	}
	if rest := len(names) - n; rest > 0 {
		fmt.Fprintf(&b, " and %d more", rest)
	}
	return b.String()
}
