package partners

import (
	"errors"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var levels = []string{"Startup", "GrowingPains", "HighPerformance", "EnterpriseGrade"}

func gate(minimum string, hold v1alpha1.WhileNotReady) *v1alpha1.ReadinessGate {
	return &v1alpha1.ReadinessGate{MaturityTargetRef: v1alpha1.LocalObjectReference{Name: "acme-shop"}, MinimumLevel: minimum, WhileNotReady: hold}
}

func TestReadiness(t *testing.T) {
	tests := []struct {
		name    string
		gate    *v1alpha1.ReadinessGate
		current string
		ready   bool
		hold    v1alpha1.WhileNotReady
		reason  string
		message string
	}{
		{"no gate", nil, "", true, "", v1alpha1.ReasonNoReadinessGate, "the program sets no readiness gate"},
		{"below the minimum holds the first stage by default", gate("HighPerformance", ""), "GrowingPains", false,
			v1alpha1.WhileNotReadyHoldFirstStage, v1alpha1.ReasonBelowMinimumLevel, "acme-shop is at GrowingPains; HighPerformance required"},
		{"below the minimum, closed", gate("HighPerformance", v1alpha1.WhileNotReadyClosed), "Startup", false,
			v1alpha1.WhileNotReadyClosed, v1alpha1.ReasonBelowMinimumLevel, "acme-shop is at Startup; HighPerformance required"},
		{"at the minimum is ready", gate("GrowingPains", v1alpha1.WhileNotReadyClosed), "GrowingPains", true,
			"", v1alpha1.ReasonMinimumLevelReached, "acme-shop is at GrowingPains; GrowingPains required"},
		{"above the minimum is ready", gate("GrowingPains", ""), "EnterpriseGrade", true,
			"", v1alpha1.ReasonMinimumLevelReached, "acme-shop is at EnterpriseGrade; GrowingPains required"},
		{"below the lowest level", gate("Startup", ""), "", false,
			v1alpha1.WhileNotReadyHoldFirstStage, v1alpha1.ReasonBelowMinimumLevel, "acme-shop is at below Startup; Startup required"},
		{"a level the model does not have counts as below the lowest", gate("GrowingPains", ""), "Legendary", false,
			v1alpha1.WhileNotReadyHoldFirstStage, v1alpha1.ReasonBelowMinimumLevel, "acme-shop is at below Startup; GrowingPains required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Readiness(tt.gate, "acme-shop", "ecommerce-scaleup", levels, tt.current)
			if err != nil {
				t.Fatal(err)
			}
			if g.Ready != tt.ready || g.Hold != tt.hold || g.Reason != tt.reason || g.Message != tt.message {
				t.Errorf("got %+v, want ready=%v hold=%q %s %q", g, tt.ready, tt.hold, tt.reason, tt.message)
			}
		})
	}
}

func TestReadinessUnknownMinimumLevel(t *testing.T) {
	_, err := Readiness(gate("Unicorn", ""), "acme-shop", "ecommerce-scaleup", levels, "GrowingPains")
	var unknown *UnknownLevelError
	if !errors.As(err, &unknown) {
		t.Fatalf("got %v, want an UnknownLevelError", err)
	}
	want := `spec.readiness.minimumLevel "Unicorn" is not a level of MaturityModel "ecommerce-scaleup" (levels: Startup, GrowingPains, HighPerformance, EnterpriseGrade)`
	if err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
}

func TestExpandGated(t *testing.T) {
	held := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	notReady := func(hold v1alpha1.WhileNotReady) Gate {
		return Gate{Hold: hold, Reason: v1alpha1.ReasonBelowMinimumLevel, Message: "acme-shop is at GrowingPains; HighPerformance required"}
	}
	ready := Gate{Ready: true, Reason: v1alpha1.ReasonMinimumLevelReached}
	tests := []struct {
		name      string
		prog      *v1alpha1.PartnerProgramSpec
		prevStage string
		prevHeld  *time.Time
		gate      Gate
		stage     string
		capacity  int
		closed    bool
		heldSince *time.Time
		next      time.Duration
	}{
		{"ready: as without a gate", gradual(), "pilot", held(30 * Day), ready, "regional", 50, false, &now, 30 * Day},
		{"holding: a new program starts in the first stage", gradual(), "", nil, notReady(v1alpha1.WhileNotReadyHoldFirstStage), "pilot", 10, false, nil, 0},
		{"holding: no stage opens, however long the targets held", gradual(), "pilot", held(300 * Day),
			notReady(v1alpha1.WhileNotReadyHoldFirstStage), "pilot", 10, false, held(300 * Day), 0},
		{"holding past the first stage: the stage stays, the seats are the first stage's", gradual(), "regional", held(Day),
			notReady(v1alpha1.WhileNotReadyHoldFirstStage), "regional", 10, false, held(Day), 0},
		{"holding an open program: nothing to hold, so closed", program(), "", nil,
			notReady(v1alpha1.WhileNotReadyHoldFirstStage), StageOpen, 0, true, nil, 0},
		{"closed: no one admitted, stage kept", gradual(), "regional", nil, notReady(v1alpha1.WhileNotReadyClosed), "regional", 10, true, nil, 0},
		{"closed open program", program(), StageOpen, nil, notReady(v1alpha1.WhileNotReadyClosed), StageOpen, 0, true, nil, 0},
		{"ready again: the targets' hold opens the next stage at once", gradual(), "pilot", held(40 * Day), ready, "regional", 50, false, &now, 30 * Day},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			met := tt.prevHeld != nil
			e := ExpandGated(tt.prog, tt.prevStage, tt.prevHeld, met, tt.gate, now)
			if e.Stage != tt.stage || e.Capacity != tt.capacity || e.Closed != tt.closed || e.NextCheck != tt.next {
				t.Errorf("got stage %s capacity %d closed %v next %v, want %s %d %v %v", e.Stage, e.Capacity, e.Closed, e.NextCheck,
					tt.stage, tt.capacity, tt.closed, tt.next)
			}
			switch {
			case (e.HeldSince == nil) != (tt.heldSince == nil):
				t.Errorf("held since %v, want %v", e.HeldSince, tt.heldSince)
			case e.HeldSince != nil && !e.HeldSince.Equal(*tt.heldSince):
				t.Errorf("held since %v, want %v", *e.HeldSince, *tt.heldSince)
			}
			if wantHeldBy := !tt.gate.Ready; (e.HeldBy != "") != wantHeldBy || e.HeldBy != "" && e.HeldBy != tt.gate.Message {
				t.Errorf("held by %q with gate %+v", e.HeldBy, tt.gate)
			}
		})
	}
}

// TestHeldProgramAdmitsWithinTheFirstStage runs the decisions in the order
// the program controller does: a program holding its first stage seats its
// first partners, and past it admits no one until the business is ready.
func TestHeldProgramAdmitsWithinTheFirstStage(t *testing.T) {
	prog := gradual()
	prog.Expansion.Stages[0].MaxPartners = 2
	ps := []*v1alpha1.Partner{partner("a", ago(3*Day)), partner("b", ago(2*Day)), partner("c", ago(Day))}
	hold := Gate{Hold: v1alpha1.WhileNotReadyHoldFirstStage, Message: "not yet"}
	e := ExpandGated(prog, "", nil, false, hold, now)
	if got := Admit(ps, nil, e.Capacity, now); len(got) != 2 || got[0] != 0 || got[1] != 1 {
		t.Errorf("holding the first stage admitted %v, want [0 1]", got)
	}
	e = ExpandGated(prog, "regional", nil, false, hold, now)
	if got := Admit(ps, []bool{true, true, false}, e.Capacity, now); len(got) != 0 {
		t.Errorf("held past the first stage admitted %v, want none", got)
	}
}
