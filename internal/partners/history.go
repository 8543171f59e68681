package partners

import (
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// A program's history (its stage, since when its targets hold, whom it
// admitted) cannot be recomputed from its spec: the operator records it in
// the status and, first, in annotations on the objects themselves, which a
// backup without status keeps (v1alpha1.AnnotationExpansionStage and the
// others). Reading it back:
//   - the status when it has the fact; the annotation when the status lost
//     it (restored without status). The program's annotations are read only
//     while status.stage is empty, so on a live program they cannot move
//     its stage;
//   - when both are gone (objects recreated from their specs), the facts:
//     a partner whose spec records a completed onboarding step or a
//     contribution was admitted (onboarding starts at admission), and a
//     program without any record of its stage is at least at the first
//     stage that seats its admitted partners that have not churned.

// AdmittedAt is what is known of a partner's admission at now: when, and
// whether it is known at all. The status wins over the annotation. A
// partner with neither but with evidence in its spec was admitted; as far
// as anyone can tell then, no later than it joined, so it counts from
// joinedAt (the onboarding clock then runs from joining: metrics judged on
// it are never better than before the restore). A partner that has churned
// is not admitted on evidence: it holds no seat, and its phase is Churned
// either way.
func AdmittedAt(p *v1alpha1.Partner, now time.Time) (time.Time, bool) {
	if at := p.Status.AdmittedAt; at != nil {
		return at.Time, true
	}
	if at, ok := annotatedTime(p.Annotations, v1alpha1.AnnotationAdmittedAt); ok {
		// Whoever may edit the Partner may write the annotation: a date
		// before joining or after now would make onboarding times negative.
		// Now bounds it last: a partner that joins in the future and was
		// admitted already keeps its admission at most now.
		if at.Before(p.Spec.JoinedAt.Time) {
			at = p.Spec.JoinedAt.Time
		}
		if at.After(now) {
			at = now
		}
		return at, true
	}
	if Evidenced(p) && !churned(p, now) {
		return p.Spec.JoinedAt.Time, true
	}
	return time.Time{}, false
}

// Evidenced says the partner's spec shows it was admitted: it completed an
// onboarding step or contributed. Neither happens on the waitlist.
func Evidenced(p *v1alpha1.Partner) bool {
	return len(p.Spec.Onboarding.Completed) > 0 || p.Spec.Activity.FirstContributionAt != nil
}

func churned(p *v1alpha1.Partner, now time.Time) bool {
	return p.Spec.Activity.LeftAt != nil && !p.Spec.Activity.LeftAt.After(now)
}

// expansionHistory is the stage the program reached and since when its
// targets hold: the status' values, or the annotations' when the status has
// no stage (a restore without status). recorded is false when neither has
// a stage (a new program, or one recreated from its spec).
func expansionHistory(prog *v1alpha1.PartnerProgram) (stage string, held *time.Time, recorded bool) {
	st := &prog.Status
	if st.Stage != "" {
		if st.TargetsHeldSince != nil {
			t := st.TargetsHeldSince.Time
			held = &t
		}
		return st.Stage, held, true
	}
	stage = prog.Annotations[v1alpha1.AnnotationExpansionStage]
	if t, ok := annotatedTime(prog.Annotations, v1alpha1.AnnotationTargetsHeldSince); ok {
		held = &t
	}
	return stage, held, stage != ""
}

// seatingStage is the first stage of a Gradual program that seats n
// partners, the last when none does; "" in Open mode.
func seatingStage(prog *v1alpha1.PartnerProgramSpec, n int) string {
	stages := prog.Expansion.Stages
	if prog.Expansion.Mode != v1alpha1.ExpansionGradual || len(stages) == 0 {
		return ""
	}
	for _, s := range stages {
		if int(s.MaxPartners) >= n {
			return s.Name
		}
	}
	return stages[len(stages)-1].Name
}

// historyAnnotations are the program's annotations to write for exp: the
// values that differ from the ones it carries ("" removes one). The time
// a stage was reached is written when the pass moved the stage.
func historyAnnotations(prog *v1alpha1.PartnerProgram, prevStage string, exp ExpansionState, now time.Time) map[string]string {
	out := map[string]string{}
	have := prog.Annotations
	if have[v1alpha1.AnnotationExpansionStage] != exp.Stage {
		out[v1alpha1.AnnotationExpansionStage] = exp.Stage
		if prevStage != exp.Stage {
			out[v1alpha1.AnnotationExpansionStageReachedAt] = stamp(now)
		}
	}
	held := ""
	if exp.HeldSince != nil {
		held = stamp(*exp.HeldSince)
	}
	if have[v1alpha1.AnnotationTargetsHeldSince] != held {
		out[v1alpha1.AnnotationTargetsHeldSince] = held
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func annotatedTime(annotations map[string]string, key string) (time.Time, bool) {
	v, ok := annotations[key]
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v)
	return t, err == nil
}
