package partners

import (
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Field paths in the Partner's JSON shape. Items of the completed list are
// reported as FieldCompleted+"[1].step" and FieldCompleted+"[1].at".
const (
	FieldType                = "spec.type"
	FieldJoinedAt            = "spec.joinedAt"
	FieldCompleted           = "spec.onboarding.completed"
	FieldFirstContributionAt = "spec.activity.firstContributionAt"
	FieldLastActivityAt      = "spec.activity.lastActivityAt"
	FieldLeftAt              = "spec.activity.leftAt"
)

// Validate checks a partner against its program and returns one line per
// problem, each starting with the field it names; empty when the partner
// fits. A partner that does not fit is left out of the program's metrics,
// so only facts that cannot be true are rejected:
//   - a type the program does not declare;
//   - a completed step the program does not have, or one listed twice;
//   - steps completed out of the program's order: a later step completed,
//     by time, before an earlier one (equal times are in order; an earlier
//     step not completed at all is not an error, the partner is simply
//     still onboarding there);
//   - anything that happened before the partner joined: a completed step,
//     the first contribution, the last activity or leaving;
//   - a last activity before the first contribution.
func Validate(p *v1alpha1.Partner, prog *v1alpha1.PartnerProgramSpec) []string {
	var errs []string
	add := func(field, format string, args ...any) {
		errs = append(errs, field+": "+fmt.Sprintf(format, args...))
	}
	if typeIndex(prog, p.Spec.Type) < 0 {
		names := make([]string, len(prog.PartnerTypes))
		for i, t := range prog.PartnerTypes {
			names[i] = t.Name
		}
		add(FieldType, "unknown type %q, must be one of %s", p.Spec.Type, strings.Join(names, ", "))
	}
	joined := p.Spec.JoinedAt.Time
	completed := p.Spec.Onboarding.Completed
	for i, c := range completed {
		field := fmt.Sprintf("%s[%d]", FieldCompleted, i)
		si := stepIndex(prog, c.Step)
		switch {
		case si < 0:
			names := make([]string, len(prog.Onboarding.Steps))
			for k, s := range prog.Onboarding.Steps {
				names[k] = s.Name
			}
			add(field+".step", "unknown step %q, must be one of %s", c.Step, strings.Join(names, ", "))
			continue
		case firstWithStep(completed, c.Step) < i:
			add(field+".step", "step %q is listed more than once", c.Step)
			continue
		}
		if c.At.Time.Before(joined) {
			add(field+".at", "step %q completed %s, before %s %s", c.Step, stamp(c.At.Time), FieldJoinedAt, stamp(joined))
			continue
		}
		for _, e := range completed {
			if ei := stepIndex(prog, e.Step); ei >= 0 && ei < si && c.At.Time.Before(e.At.Time) {
				add(field+".at", "step %q (step %d) completed %s, before the earlier step %q (step %d) at %s: steps are completed in the program's order",
					c.Step, si+1, stamp(c.At.Time), e.Step, ei+1, stamp(e.At.Time))
				break
			}
		}
	}
	a := p.Spec.Activity
	for _, f := range []struct {
		field string
		at    *metav1.Time
	}{{FieldFirstContributionAt, a.FirstContributionAt}, {FieldLastActivityAt, a.LastActivityAt}, {FieldLeftAt, a.LeftAt}} {
		if f.at != nil && f.at.Time.Before(joined) {
			add(f.field, "%s is before %s %s", stamp(f.at.Time), FieldJoinedAt, stamp(joined))
		}
	}
	if a.FirstContributionAt != nil && a.LastActivityAt != nil && a.LastActivityAt.Time.Before(a.FirstContributionAt.Time) {
		add(FieldLastActivityAt, "%s is before %s %s", stamp(a.LastActivityAt.Time), FieldFirstContributionAt, stamp(a.FirstContributionAt.Time))
	}
	return errs
}

// typeIndex is the index of the named type in the program, -1 if unknown.
// Programs have at most 10 types: a scan beats a map built per call.
func typeIndex(prog *v1alpha1.PartnerProgramSpec, name string) int {
	for i := range prog.PartnerTypes {
		if prog.PartnerTypes[i].Name == name {
			return i
		}
	}
	return -1
}

// stepIndex is the index of the named step in the program, -1 if unknown.
func stepIndex(prog *v1alpha1.PartnerProgramSpec, name string) int {
	for i := range prog.Onboarding.Steps {
		if prog.Onboarding.Steps[i].Name == name {
			return i
		}
	}
	return -1
}

func firstWithStep(completed []v1alpha1.CompletedStep, step string) int {
	for i := range completed {
		if completed[i].Step == step {
			return i
		}
	}
	return -1
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
