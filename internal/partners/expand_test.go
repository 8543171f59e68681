package partners

import (
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func gradual() *v1alpha1.PartnerProgramSpec {
	p := program()
	p.Expansion = v1alpha1.Expansion{Mode: v1alpha1.ExpansionGradual, Stages: []v1alpha1.ExpansionStage{
		{Name: "pilot", MaxPartners: 10}, {Name: "regional", MaxPartners: 50}, {Name: "national", MaxPartners: 500},
	}}
	return p
}

func TestExpand(t *testing.T) {
	held := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	tests := []struct {
		name      string
		prog      *v1alpha1.PartnerProgramSpec
		prevStage string
		prevHeld  *time.Time
		met       bool
		stage     string
		capacity  int
		heldSince *time.Time
		next      time.Duration
	}{
		{"first pass starts at the first stage", gradual(), "", nil, false, "pilot", 10, nil, 0},
		{"targets start holding now", gradual(), "pilot", nil, true, "pilot", 10, &now, 30 * Day},
		{"held 29 days: one more day", gradual(), "pilot", held(29 * Day), true, "pilot", 10, held(29 * Day), Day},
		{"held the window: next stage, validated anew", gradual(), "pilot", held(30 * Day), true, "regional", 50, &now, 30 * Day},
		{"one stage at a time, however long held", gradual(), "pilot", held(300 * Day), true, "regional", 50, &now, 30 * Day},
		{"targets fail: hold cleared, stage kept", gradual(), "regional", held(29 * Day), false, "regional", 50, nil, 0},
		{"the last stage stays, the hold is still reported", gradual(), "national", held(40 * Day), true, "national", 500, held(40 * Day), 0},
		{"into the last stage: nothing more to wait for", gradual(), "regional", held(31 * Day), true, "national", 500, &now, 0},
		{"an unknown stage restarts at the first", gradual(), "renamed", nil, false, "pilot", 10, nil, 0},
		{"a hold in the future starts now", gradual(), "pilot", held(-Day), true, "pilot", 10, &now, 30 * Day},
		{"the program's window", func() *v1alpha1.PartnerProgramSpec {
			p := gradual()
			p.Expansion.ValidationWindow = dur(7 * Day)
			return p
		}(), "pilot", held(7 * Day), true, "regional", 50, &now, 7 * Day},
		{"a zero window opens a stage per pass", func() *v1alpha1.PartnerProgramSpec {
			p := gradual()
			p.Expansion.ValidationWindow = dur(0)
			return p
		}(), "pilot", nil, true, "regional", 50, &now, time.Second},
		{"open mode", program(), "pilot", held(Day), true, StageOpen, 0, held(Day), 0},
		{"gradual without stages is open", func() *v1alpha1.PartnerProgramSpec {
			p := gradual()
			p.Expansion.Stages = nil
			return p
		}(), "", nil, false, StageOpen, 0, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Expand(tt.prog, tt.prevStage, tt.prevHeld, tt.met, now)
			if e.Stage != tt.stage || e.Capacity != tt.capacity || e.NextCheck != tt.next {
				t.Errorf("got stage %s capacity %d next %v, want %s %d %v", e.Stage, e.Capacity, e.NextCheck, tt.stage, tt.capacity, tt.next)
			}
			switch {
			case (e.HeldSince == nil) != (tt.heldSince == nil):
				t.Errorf("held since %v, want %v", e.HeldSince, tt.heldSince)
			case e.HeldSince != nil && !e.HeldSince.Equal(*tt.heldSince):
				t.Errorf("held since %v, want %v", *e.HeldSince, *tt.heldSince)
			}
			if e.HeldSince != nil && tt.prevHeld != nil && e.HeldSince == tt.prevHeld {
				t.Error("HeldSince aliases the previous status' time")
			}
		})
	}
}

// TestExpandOverTime runs the controller's loop day by day: targets hold
// for 10 days, fail for one, then hold again; the next stage opens 30 days
// after they start holding again, not 30 days after the first hold.
func TestExpandOverTime(t *testing.T) {
	prog := gradual()
	stage, start := "", now
	var held *time.Time
	opened := -1
	for day := 0; day <= 60 && opened < 0; day++ {
		at := start.Add(time.Duration(day) * Day)
		e := Expand(prog, stage, held, day != 10, at)
		if e.Stage != stage && stage != "" {
			opened = day
		}
		stage, held = e.Stage, e.HeldSince
		if day == 10 && held != nil {
			t.Fatalf("day 10: targets failed but hold kept since %v", held)
		}
	}
	if opened != 41 {
		t.Errorf("next stage opened on day %d, want 41 (held again from day 11)", opened)
	}
	if stage != "regional" {
		t.Errorf("stage %s, want regional", stage)
	}
}
