package partners

import (
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestDerive(t *testing.T) {
	j := ago(100 * Day)
	ob := onboarded(j.Add(5 * Day))
	tests := []struct {
		name      string
		p         *v1alpha1.Partner
		prog      func(*v1alpha1.PartnerProgramSpec)
		admitted  bool
		phase     v1alpha1.PartnerPhase
		completed int
		activated *time.Duration
	}{
		{"left now is churned", partner("a", j, ob, contributed(ago(Day)), left(now)), nil, true, v1alpha1.PhaseChurned, 3, ptr(99 * Day)},
		{"leaving tomorrow is not churned yet", partner("a", j, ob, contributed(ago(Day)), left(now.Add(Day))), nil, true, v1alpha1.PhaseActive, 3, ptr(99 * Day)},
		{"a waitlisted partner who left is churned", partner("a", j, left(ago(Day))), nil, false, v1alpha1.PhaseChurned, 0, nil},
		{"not admitted is waitlisted", partner("a", j, ob), nil, false, v1alpha1.PhaseWaitlisted, 3, nil},
		{"steps missing is onboarding", partner("a", j, done(j, j.Add(Day)), contributed(ago(Day))), nil, true, v1alpha1.PhaseOnboarding, 2, ptr(99 * Day)},
		{"unknown and repeated steps do not count", partner("a", j, step("contract", j), step("contract", j), step("x", j), step("y", j)),
			nil, true, v1alpha1.PhaseOnboarding, 1, nil},
		{"onboarded without contribution is inactive", partner("a", j, ob), nil, true, v1alpha1.PhaseInactive, 3, nil},
		{"last activity exactly 30 days ago is active", partner("a", j, ob, contributed(j.Add(6*Day)), lastActive(ago(30*Day))),
			nil, true, v1alpha1.PhaseActive, 3, ptr(6 * Day)},
		{"a second later it is inactive", partner("a", j, ob, contributed(j.Add(6*Day)), lastActive(ago(30*Day+time.Second))),
			nil, true, v1alpha1.PhaseInactive, 3, ptr(6 * Day)},
		{"first contribution alone counts as activity", partner("a", j, ob, contributed(ago(10*Day))), nil, true, v1alpha1.PhaseActive, 3, ptr(90 * Day)},
		{"activity without a first contribution is not contribution", partner("a", j, ob, lastActive(ago(Day))), nil, true, v1alpha1.PhaseInactive, 3, nil},
		{"the program's window", partner("a", j, ob, contributed(ago(10*Day))),
			func(p *v1alpha1.PartnerProgramSpec) { p.Targets.ActivationWindow = dur(7 * Day) }, true, v1alpha1.PhaseInactive, 3, ptr(90 * Day)},
		{"time to activation in whole minutes", partner("a", j, contributed(j.Add(2*Day+23*time.Hour+59*time.Minute))), nil, true, v1alpha1.PhaseOnboarding, 0, ptr(71*time.Hour + 59*time.Minute)},
		{"a part of a minute rounds up", partner("a", j, contributed(j.Add(30*Day+time.Second))), nil, true, v1alpha1.PhaseOnboarding, 0, ptr(30*Day + time.Minute)},
		{"a contribution before joining took no time", partner("a", j, contributed(j.Add(-time.Hour))), nil, true, v1alpha1.PhaseOnboarding, 0, ptr(time.Duration(0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog := program()
			if tt.prog != nil {
				tt.prog(prog)
			}
			s := Derive(tt.p, prog, tt.admitted, now)
			if s.Phase != tt.phase || s.Completed != tt.completed || s.Steps != 3 {
				t.Errorf("got %s %d/%d, want %s %d/3", s.Phase, s.Completed, s.Steps, tt.phase, tt.completed)
			}
			if s.Onboarded != (tt.completed == 3) {
				t.Errorf("onboarded = %v with %d of 3 steps", s.Onboarded, tt.completed)
			}
			switch {
			case (s.TimeToActivation == nil) != (tt.activated == nil):
				t.Errorf("time to activation = %v, want %v", s.TimeToActivation, tt.activated)
			case tt.activated != nil && *s.TimeToActivation != *tt.activated:
				t.Errorf("time to activation = %v, want %v", *s.TimeToActivation, *tt.activated)
			}
		})
	}
}

func TestDeriveOnboardedAtIsTheLatestStep(t *testing.T) {
	j := ago(50 * Day)
	last := j.Add(9 * Day)
	// Completed out of list order but in the program's order by time.
	p := partner("a", j, step("listing", last), step("contract", j.Add(Day)), step("training", j.Add(2*Day)))
	s := Derive(p, program(), true, now)
	if !s.Onboarded || s.OnboardedAt == nil || !s.OnboardedAt.Equal(last) {
		t.Fatalf("onboarded=%v at %v, want %v", s.Onboarded, s.OnboardedAt, last)
	}
	if s := Derive(partner("b", j, done(j)), program(), true, now); s.OnboardedAt != nil {
		t.Errorf("a partner still onboarding has OnboardedAt %v", s.OnboardedAt)
	}
}
