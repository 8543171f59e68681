package partners

import (
	"slices"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// smallProgram is the lean program with a pilot of two seats and a growth stage
// of three, under the default 30-day validation window.
func smallProgram(edit ...func(*v1alpha1.PartnerProgram)) *v1alpha1.PartnerProgram {
	prog := &v1alpha1.PartnerProgram{Spec: *program()}
	prog.Name = "acme"
	prog.Spec.Expansion = v1alpha1.Expansion{Mode: v1alpha1.ExpansionGradual, Stages: []v1alpha1.ExpansionStage{
		{Name: "pilot", MaxPartners: 2}, {Name: "growth", MaxPartners: 3}, {Name: "national", MaxPartners: 10}}}
	for _, e := range edit {
		e(prog)
	}
	return prog
}

func annotated(kv ...string) func(*v1alpha1.PartnerProgram) {
	return func(p *v1alpha1.PartnerProgram) {
		p.Annotations = map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			p.Annotations[kv[i]] = kv[i+1]
		}
	}
}

func statusStage(stage string, held *time.Time) func(*v1alpha1.PartnerProgram) {
	return func(p *v1alpha1.PartnerProgram) {
		p.Status.Stage = stage
		if held != nil {
			p.Status.TargetsHeldSince = mt(*held)
		}
	}
}

func admittedIn(at time.Time) func(*v1alpha1.Partner) {
	return func(p *v1alpha1.Partner) { p.Status.AdmittedAt = mt(at) }
}

func admittedNote(at time.Time) func(*v1alpha1.Partner) {
	return func(p *v1alpha1.Partner) {
		p.Annotations = map[string]string{v1alpha1.AnnotationAdmittedAt: at.UTC().Format(time.RFC3339)}
	}
}

// TestEvaluateHistory: admissions and the stage come back from the status,
// from the annotations when a restore dropped the status, and from the
// facts when both are gone; live history is never moved by an annotation.
func TestEvaluateHistory(t *testing.T) {
	held := ago(10 * Day).Truncate(time.Second)
	joined := func(days int) time.Time { return ago(time.Duration(days) * Day) }
	type seat = string // the partner annotated
	tests := []struct {
		name      string
		prog      *v1alpha1.PartnerProgram
		members   []*v1alpha1.Partner
		gate      Gate
		wantStage string
		wantHeld  *time.Time
		wantSeats []seat
		// wantHistory are annotations the pass writes (nil: none).
		wantHistory map[string]string
	}{
		{name: "a new program seats the first come in its first stage",
			prog:      smallProgram(),
			members:   []*v1alpha1.Partner{partner("c", joined(1)), partner("a", joined(3)), partner("b", joined(2))},
			wantStage: "pilot", wantHeld: ptr(now),
			wantSeats: []seat{"a", "b"},
			wantHistory: map[string]string{v1alpha1.AnnotationExpansionStage: "pilot",
				v1alpha1.AnnotationExpansionStageReachedAt: stamp(now), v1alpha1.AnnotationTargetsHeldSince: stamp(now)}},
		{name: "a live program backfills the annotations of what its status records",
			prog:      smallProgram(statusStage("pilot", &held)),
			members:   []*v1alpha1.Partner{partner("a", joined(3), admittedIn(joined(2))), partner("b", joined(2), admittedIn(joined(2)), admittedNote(joined(2)))},
			wantStage: "pilot", wantHeld: &held,
			wantSeats:   []seat{"a"},
			wantHistory: map[string]string{v1alpha1.AnnotationExpansionStage: "pilot", v1alpha1.AnnotationTargetsHeldSince: stamp(held)}},
		{name: "an annotation does not move a live program's stage",
			prog: smallProgram(statusStage("pilot", &held), annotated(v1alpha1.AnnotationExpansionStage, "national",
				v1alpha1.AnnotationTargetsHeldSince, stamp(held))),
			wantStage: "pilot", wantHeld: &held,
			wantHistory: map[string]string{v1alpha1.AnnotationExpansionStage: "pilot"}},
		{name: "restored without status: stage, held-since and admissions come back from the annotations",
			prog: smallProgram(annotated(v1alpha1.AnnotationExpansionStage, "growth", v1alpha1.AnnotationTargetsHeldSince, stamp(held))),
			members: []*v1alpha1.Partner{partner("a", joined(3), admittedNote(joined(2))), partner("b", joined(2), admittedNote(joined(1))),
				partner("c", joined(1), admittedNote(joined(1))), partner("d", joined(1))},
			wantStage: "growth", wantHeld: &held,
			wantSeats: nil}, // each Partner's controller copies its annotation into its status
		{name: "recreated from specs: partners with progress are admitted and the stage seats them",
			prog: smallProgram(),
			members: []*v1alpha1.Partner{partner("a", joined(9), step("contract", joined(8))), partner("b", joined(8), contributed(joined(1))),
				partner("c", joined(7), step("contract", joined(6))), partner("d", joined(1))},
			wantStage: "growth", wantHeld: ptr(now),
			wantSeats: []seat{"a", "b", "c"},
			wantHistory: map[string]string{v1alpha1.AnnotationExpansionStage: "growth",
				v1alpha1.AnnotationExpansionStageReachedAt: stamp(now), v1alpha1.AnnotationTargetsHeldSince: stamp(now)}},
		{name: "a churned partner is not admitted on evidence and holds no seat",
			prog: smallProgram(),
			members: []*v1alpha1.Partner{partner("a", joined(9), step("contract", joined(8)), func(p *v1alpha1.Partner) { p.Spec.Activity.LeftAt = mt(joined(2)) }),
				partner("b", joined(8), step("contract", joined(7))), partner("c", joined(7), step("contract", joined(6))), partner("d", joined(1))},
			wantStage: "pilot", wantHeld: ptr(now),
			wantSeats: []seat{"b", "c"},
			wantHistory: map[string]string{v1alpha1.AnnotationExpansionStage: "pilot",
				v1alpha1.AnnotationExpansionStageReachedAt: stamp(now), v1alpha1.AnnotationTargetsHeldSince: stamp(now)}},
		{name: "a closed gate admits no one new, but keeps who was admitted",
			prog:      smallProgram(statusStage("pilot", nil), annotated(v1alpha1.AnnotationExpansionStage, "pilot")),
			members:   []*v1alpha1.Partner{partner("a", joined(3), step("contract", joined(2))), partner("b", joined(2))},
			gate:      Gate{Hold: v1alpha1.WhileNotReadyClosed, Reason: v1alpha1.ReasonBelowMinimumLevel, Message: "held"},
			wantStage: "pilot", wantHeld: ptr(now),
			wantSeats:   []seat{"a"},
			wantHistory: map[string]string{v1alpha1.AnnotationTargetsHeldSince: stamp(now)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gate := tt.gate
			if gate.Reason == "" {
				gate = Ungated
			}
			unadmitted := make([]*v1alpha1.Partner, len(tt.members))
			for i, p := range tt.members {
				if p.Status.AdmittedAt == nil {
					unadmitted[i] = p.DeepCopy()
				}
			}
			// No target is set: every target holds.
			ev := Evaluate(tt.prog, tt.members, Inputs{Gate: gate, SupportHours: -1}, now)
			if ev.Status.Stage != tt.wantStage {
				t.Errorf("stage %q, want %q", ev.Status.Stage, tt.wantStage)
			}
			gotHeld := ev.Status.TargetsHeldSince
			if (gotHeld == nil) != (tt.wantHeld == nil) || gotHeld != nil && !gotHeld.Time.Equal(*tt.wantHeld) {
				t.Errorf("held since %v, want %v", gotHeld, tt.wantHeld)
			}
			var seats []seat
			for _, s := range ev.Seats {
				seats = append(seats, s.Partner.Name)
			}
			if !slices.Equal(seats, tt.wantSeats) {
				t.Errorf("seats %v, want %v", seats, tt.wantSeats)
			}
			if len(ev.History) != len(tt.wantHistory) {
				t.Errorf("history %v, want %v", ev.History, tt.wantHistory)
			}
			for k, v := range tt.wantHistory {
				if ev.History[k] != v {
					t.Errorf("history %s = %q, want %q", k, ev.History[k], v)
				}
			}
			// The members are the cache's objects: only read.
			for i, p := range tt.members {
				if p.Status.AdmittedAt != nil && unadmitted[i] != nil {
					t.Errorf("Evaluate wrote to its input %s", p.Name)
				}
			}
		})
	}
}

// TestEvaluateStatusAndConditions: the status fields and the conditions of
// one pass agree with each other.
func TestEvaluateStatusAndConditions(t *testing.T) {
	prog := smallProgram()
	members := []*v1alpha1.Partner{partner("a", ago(3*Day)), partner("b", ago(2*Day)), partner("c", ago(Day))}
	ev := Evaluate(prog, members, Inputs{Gate: Ungated, SupportHours: -1}, now)
	st := &v1alpha1.PartnerProgramStatus{ObservedGeneration: 7}
	ev.ApplyTo(st)
	if st.Partners != 3 || st.Capacity != 2 || st.Expansion != "Closed" || st.ObservedGeneration != 7 {
		t.Errorf("status partners %d capacity %d expansion %s generation %d, want 3, 2, Closed, 7 kept",
			st.Partners, st.Capacity, st.Expansion, st.ObservedGeneration)
	}
	want := map[string]string{v1alpha1.ConditionReadyForPartners: v1alpha1.ReasonNoReadinessGate,
		v1alpha1.ConditionTargetsMet: v1alpha1.ReasonTargetsHeld, v1alpha1.ConditionExpansionOpen: v1alpha1.ReasonStageFull}
	for _, c := range ev.Conditions {
		if want[c.Type] != c.Reason {
			t.Errorf("%s reason %s, want %s", c.Type, c.Reason, want[c.Type])
		}
		delete(want, c.Type)
	}
	if len(want) > 0 {
		t.Errorf("missing conditions %v", want)
	}
	if ev.Requeue <= 0 || ev.Requeue > Interval {
		t.Errorf("requeue %s, want within %s", ev.Requeue, Interval)
	}
	var phases []string
	for _, c := range st.ByPhase {
		phases = append(phases, c.Name)
	}
	if !slices.Equal(phases, []string{string(v1alpha1.PhaseOnboarding), string(v1alpha1.PhaseWaitlisted)}) {
		t.Errorf("phases %v", phases)
	}
}

// An admitted-at annotation is taken between the partner's joining and now:
// a tenant's date in the future or before joining would make its
// onboarding time negative.
func TestAdmittedAtAnnotationIsClamped(t *testing.T) {
	for _, tc := range []struct {
		name               string
		joined, annotation time.Time
		want               time.Time
	}{
		{"within", ago(10 * Day), ago(5 * Day), ago(5 * Day)},
		{"in the future", ago(10 * Day), now.Add(30 * Day), now},
		{"before joining", ago(10 * Day), ago(400 * Day), ago(10 * Day)},
		{"joining in the future", now.Add(Day), ago(Day), now},
	} {
		got, ok := AdmittedAt(partner("a", tc.joined, admittedNote(tc.annotation)), now)
		if !ok || !got.Equal(tc.want) {
			t.Errorf("%s: AdmittedAt = %s, %v; want %s", tc.name, got, ok, tc.want)
		}
	}
}

// A partner whose cached copy left out the admitted-at annotation because
// it records status.admittedAt is not annotated again.
func TestCompactedAdmissionIsNotWrittenAgain(t *testing.T) {
	at := ago(2 * Day).Truncate(time.Second)
	for _, recorded := range []bool{true, false} {
		p := partner("a", ago(3*Day), admittedIn(at))
		p.Status.CompactedAdmissionRecorded = recorded
		ev := Evaluate(smallProgram(statusStage("pilot", nil)), []*v1alpha1.Partner{p}, Inputs{Gate: Ungated, SupportHours: -1}, now)
		if got := len(ev.Seats); got != map[bool]int{true: 0, false: 1}[recorded] {
			t.Errorf("recorded %v: %d seats to write", recorded, got)
		}
	}
}
