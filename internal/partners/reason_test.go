package partners

import (
	"strings"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestAssessReasons(t *testing.T) {
	j := ago(100 * Day)
	ob := onboarded(j.Add(5 * Day))
	admitted := Admission{Admitted: true}
	pilot := Admission{Stage: "pilot", Capacity: 10}
	window60 := func(p *v1alpha1.PartnerProgramSpec) { p.Targets.ActivationWindow = dur(60 * Day) }
	tests := []struct {
		name   string
		p      *v1alpha1.Partner
		prog   func(*v1alpha1.PartnerProgramSpec)
		adm    Admission
		phase  v1alpha1.PartnerPhase
		reason string
	}{
		{"inactive after the window", partner("a", j, ob, contributed(j.Add(6*Day)), lastActive(ago(62*Day))), window60, admitted,
			v1alpha1.PhaseInactive, "no contribution for 62 days; Inactive after 60"},
		{"inactive a second past the window", partner("a", j, ob, contributed(j.Add(6*Day)), lastActive(ago(30*Day+time.Second))), nil, admitted,
			v1alpha1.PhaseInactive, "no contribution for 30.1 days; Inactive after 30"},
		{"a partial day does not count", partner("a", j, ob, contributed(j.Add(6*Day)), lastActive(ago(40*Day+23*time.Hour))), nil, admitted,
			v1alpha1.PhaseInactive, "no contribution for 40 days; Inactive after 30"},
		{"onboarded, never contributed", partner("a", j, ob), nil, admitted,
			v1alpha1.PhaseInactive, "no contribution yet, onboarded 95 days ago"},
		{"active", partner("a", j, ob, contributed(j.Add(6*Day)), lastActive(ago(5*Day+time.Hour))), nil, admitted,
			v1alpha1.PhaseActive, "last contribution 5 days ago; Inactive after 30"},
		{"active exactly at the window", partner("a", j, ob, contributed(j.Add(6*Day)), lastActive(ago(30*Day))), nil, admitted,
			v1alpha1.PhaseActive, "last contribution 30 days ago; Inactive after 30"},
		{"active today", partner("a", j, ob, contributed(ago(time.Hour))), nil, admitted,
			v1alpha1.PhaseActive, "last contribution today; Inactive after 30"},
		{"a window of a day and a half", partner("a", j, ob, contributed(ago(Day))),
			func(p *v1alpha1.PartnerProgramSpec) { p.Targets.ActivationWindow = dur(36 * time.Hour) }, admitted,
			v1alpha1.PhaseActive, "last contribution 1 day ago; Inactive after 1.5"},
		{"onboarding", partner("a", ago(12*Day+3*time.Hour), done(ago(11*Day), ago(10*Day))), nil, admitted,
			v1alpha1.PhaseOnboarding, "onboarding for 12 days: 2 of 3 steps done"},
		{"onboarding since yesterday", partner("a", ago(Day)), nil, admitted,
			v1alpha1.PhaseOnboarding, "onboarding for 1 day: 0 of 3 steps done"},
		{"onboarding, joined in the future", partner("a", now.Add(Day)), nil, admitted,
			v1alpha1.PhaseOnboarding, "onboarding for 0 days: 0 of 3 steps done"},
		{"onboarding in a gradual program counts from an admission after waiting idle",
			partner("a", ago(40*Day), func(p *v1alpha1.Partner) { p.Status.AdmittedAt = mt(ago(4*Day + time.Hour)) }),
			func(p *v1alpha1.PartnerProgramSpec) { p.Expansion = gradual().Expansion }, admitted,
			v1alpha1.PhaseOnboarding, "onboarding for 4 days: 0 of 3 steps done"},
		{"in an open program from joining", partner("a", ago(40*Day), func(p *v1alpha1.Partner) { p.Status.AdmittedAt = mt(ago(4 * Day)) }),
			nil, admitted, v1alpha1.PhaseOnboarding, "onboarding for 40 days: 0 of 3 steps done"},
		{"waitlisted on a full stage", partner("a", j), nil, pilot,
			v1alpha1.PhaseWaitlisted, "waitlisted: program at stage pilot admits 10, all taken"},
		{"waitlisted before the program's first pass", partner("a", j), nil, Admission{},
			v1alpha1.PhaseWaitlisted, "waitlisted: waiting for a seat in the program's current stage"},
		{"waitlisted behind a held first stage", partner("a", j), nil,
			Admission{Stage: "pilot", Capacity: 10, HeldBy: "acme-shop is at GrowingPains; HighPerformance required"},
			v1alpha1.PhaseWaitlisted, "waitlisted: the program holds its first stage's 10 seats, all taken, until the business is ready (acme-shop is at GrowingPains; HighPerformance required)"},
		{"waitlisted behind a closed gate", partner("a", j), nil,
			Admission{Stage: "pilot", Capacity: 10, Closed: true, HeldBy: "acme-shop is at Startup; GrowingPains required"},
			v1alpha1.PhaseWaitlisted, "waitlisted: the program admits no one until the business is ready (acme-shop is at Startup; GrowingPains required)"},
		{"churned", partner("a", j, ob, contributed(j.Add(6*Day)), left(ago(53*Day+time.Hour))), nil, admitted,
			v1alpha1.PhaseChurned, "left 53 days ago"},
		{"churned today, even while waitlisted", partner("a", j, left(ago(time.Minute))), nil, pilot,
			v1alpha1.PhaseChurned, "left today"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog := program()
			if tt.prog != nil {
				tt.prog(prog)
			}
			s := Assess(tt.p, prog, tt.adm, now)
			if s.Phase != tt.phase || s.Reason != tt.reason {
				t.Errorf("got %s %q, want %s %q", s.Phase, s.Reason, tt.phase, tt.reason)
			}
			if d := Derive(tt.p, prog, tt.adm.Admitted, now); d.Phase != s.Phase {
				t.Errorf("Derive says %s, Assess %s", d.Phase, s.Phase)
			}
		})
	}
}

// TestReasonAgreesWithPhase: over every day of a partner's first 200 days
// (and the seconds around each window's edge), the reason names the phase's
// own facts: an Active partner's "last contribution" is within the window,
// an Inactive one's "no contribution for" is past it.
func TestReasonAgreesWithPhase(t *testing.T) {
	j := ago(200 * Day)
	p := partner("a", j, onboarded(j.Add(2*Day)), contributed(j.Add(3*Day)), lastActive(j.Add(20*Day)))
	for d := time.Duration(0); d <= 200*Day; d += Day / 4 {
		for _, at := range []time.Time{j.Add(d), j.Add(50*Day - time.Second), j.Add(50 * Day), j.Add(50*Day + time.Second)} {
			s := Assess(p, program(), Admission{Admitted: true}, at)
			prefix := map[v1alpha1.PartnerPhase]string{
				v1alpha1.PhaseOnboarding: "onboarding for ", v1alpha1.PhaseActive: "last contribution ", v1alpha1.PhaseInactive: "no contribution for ",
			}[s.Phase]
			if !strings.HasPrefix(s.Reason, prefix) || len(s.Reason) > 256 {
				t.Fatalf("at %s: %s with reason %q", at, s.Phase, s.Reason)
			}
		}
	}
}
