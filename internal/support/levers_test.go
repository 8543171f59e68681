package support

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// leversInput: 60% chat at 8 minutes, two at once (4 minutes a contact),
// 40% phone at 9 minutes: 0.4*9 + 0.6*4 = 6 minutes a contact. Ten heroes
// give 10 * 32 h = 320 h = 19200 minutes a week.
func leversInput(contacts, deflection float64, heroes int) Input {
	in := baseInput()
	in.ContactsPerWeek, in.Deflection, in.Heroes = contacts, deflection, heroes
	in.Channels = []ChannelMix{
		{Channel: Phone, Share: 0.4, HandlingMinutes: 9},
		{Channel: Chat, Share: 0.6, HandlingMinutes: 8, Concurrency: 2},
	}
	return in
}

func TestLevers(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want Levers // Change is checked through Proposed and separately below
	}{
		{"hire is the smallest change",
			// 5000 * 0.8 * 6 min = 400 h / 32 = 12.5 -> 13 heroes, gap 3 (+30%).
			// Deflect: 1 - 19200/(5000*6) = 36%, from 20% (+80%).
			// Shift: needed 6 - 19200/(5000*0.8) = 1.2 min; saving of moving
			// all phone: 3.6 - 0.4*4 = 2 min; 1.2/2 = 60% of phone (-60%).
			leversInput(5000, 0.2, 10),
			Levers{Hire: possible(0.3), Heroes: 3, Deflect: possible(0.8), DeflectionNow: 0.2, DeflectionNeeded: 0.36,
				Shift: possible(0.6), ShiftShare: 0.6, AsyncMinutes: 4, Proposed: LeverHire}},
		{"deflection is the smallest change; moving all phone is not enough",
			// 10000 * 0.5 * 6 = 500 h / 32 = 15.6 -> 16, gap 6 (+60%).
			// Deflect: 1 - 19200/60000 = 68% from 50% (+36%).
			// Shift: 6 - 19200/5000 = 2.16 min to save, 2 at most.
			leversInput(10000, 0.5, 10),
			Levers{Hire: possible(0.6), Heroes: 6, Deflect: possible(0.36), DeflectionNow: 0.5, DeflectionNeeded: 0.68,
				Shift: impossible("moving every phone and video contact is not enough"), AsyncMinutes: 4, Proposed: LeverDeflect}},
		{"too much deflection: only hires",
			// One hero: 13 needed, gap 12 (+1200%); 1 - 1920/30000 = 93.6% -> 94%.
			leversInput(5000, 0.2, 1),
			Levers{Hire: possible(12), Heroes: 12,
				Deflect:       impossible("needs 94% of contacts resolved without a hero, above the 90% a plan may rely on"),
				DeflectionNow: 0.2, DeflectionNeeded: 0.94,
				Shift: impossible("moving every phone and video contact is not enough"), AsyncMinutes: 4, Proposed: LeverHire}},
		{"no heroes: only hires",
			leversInput(5000, 0.2, 0),
			Levers{Hire: possible(math.MaxFloat64), Heroes: 13,
				Deflect:       impossible("the team has no heroes: only hires close the gap"),
				DeflectionNow: 0.2, DeflectionNeeded: 1,
				Shift: impossible("the team has no heroes: only hires close the gap"), AsyncMinutes: 4, Proposed: LeverHire}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Project(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			checkLevers(t, p.NowLevers, tt.want)
		})
	}
}

func possible(change float64) LeverOption { return LeverOption{Possible: true, Change: change} }

func impossible(reason string) LeverOption { return LeverOption{Reason: reason} }

func checkLevers(t *testing.T, got *Levers, want Levers) {
	t.Helper()
	if got == nil {
		t.Fatal("no levers")
	}
	opt := func(name string, g, w LeverOption) {
		if g.Possible != w.Possible || g.Reason != w.Reason || !near(g.Change, w.Change) {
			t.Errorf("%s = %+v, want %+v", name, g, w)
		}
	}
	opt("hire", got.Hire, want.Hire)
	opt("deflect", got.Deflect, want.Deflect)
	opt("shift", got.Shift, want.Shift)
	if got.Heroes != want.Heroes || !near(got.DeflectionNow, want.DeflectionNow) || !near(got.DeflectionNeeded, want.DeflectionNeeded) ||
		!near(got.ShiftShare, want.ShiftShare) || !near(got.AsyncMinutes, want.AsyncMinutes) || got.Proposed != want.Proposed {
		t.Errorf("levers = %+v\n  want %+v", *got, want)
	}
}

func TestLeversAccepted(t *testing.T) {
	tests := []struct {
		accepted []Lever
		want     Lever
	}{
		{nil, LeverHire},
		{[]Lever{LeverHire, LeverDeflect, LeverShiftChannels}, LeverHire},
		{[]Lever{LeverDeflect, LeverShiftChannels}, LeverShiftChannels}, // 60% of phone beats +80% deflection
		{[]Lever{LeverDeflect}, LeverDeflect},
	}
	for _, tt := range tests {
		in := leversInput(5000, 0.2, 10)
		in.Levers = tt.accepted
		p := mustProject(t, in)
		if got := p.NowLevers.Proposed; got != tt.want {
			t.Errorf("accepting %v proposes %q, want %q", tt.accepted, got, tt.want)
		}
	}
	// One hero: neither deflection nor shifting closes the gap alone.
	in := leversInput(5000, 0.2, 1)
	in.Levers = []Lever{LeverDeflect, LeverShiftChannels}
	if got := mustProject(t, in).NowLevers.Proposed; got != "" {
		t.Errorf("proposes %q, want none", got)
	}
}

func TestLeversShiftReasons(t *testing.T) {
	email := func(in *Input) { in.Channels = []ChannelMix{{Channel: Email, Share: 1, HandlingMinutes: 6}} }
	tests := []struct {
		name   string
		mutate func(*Input)
		want   string
	}{
		{"only asynchronous channels", email, "no contacts on phone or video to move"},
		{"only phone and video", func(in *Input) {
			in.Channels = []ChannelMix{{Channel: Phone, Share: 0.5, HandlingMinutes: 6}, {Channel: Video, Share: 0.5, HandlingMinutes: 6}}
		}, "no chat, SMS, email or messaging in the mix to move contacts to"},
		{"e-mail costs more than a call", func(in *Input) {
			in.Channels = []ChannelMix{{Channel: Phone, Share: 0.5, HandlingMinutes: 4}, {Channel: Email, Share: 0.5, HandlingMinutes: 10}}
		}, "a contact costs a hero no less on chat, SMS, email and messaging than on phone and video"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInput()
			in.ContactsPerWeek = 20000
			tt.mutate(&in)
			l := mustProject(t, in).NowLevers
			if l == nil || l.Shift.Possible || l.Shift.Reason != tt.want || l.ShiftShare != 0 {
				t.Errorf("shift = %+v, want not possible: %q", l, tt.want)
			}
		})
	}
}

// TestPeakLevers: no gap today (4 heroes of 10), a 5x peak needs 16: the
// levers are worked out at the peak's demand, only for the peak.
// 5000 * 6 min = 500 h / 32 = 15.6 -> 16, gap 6; deflect 1 - 19200/30000 =
// 36% from none (unbounded); e-mail only, nothing to shift.
func TestPeakLevers(t *testing.T) {
	in := baseInput()
	in.Peaks = []Peak{{Name: "sale", Start: md(time.March, 2), End: md(time.March, 3), Multiplier: 5}}
	p := mustProject(t, in)
	if p.NowLevers != nil || len(p.Peaks) != 1 {
		t.Fatalf("now levers %+v, %d peaks; want none and 1", p.NowLevers, len(p.Peaks))
	}
	checkLevers(t, p.Peaks[0].Levers, Levers{Hire: possible(0.6), Heroes: 6, Deflect: possible(math.MaxFloat64),
		DeflectionNeeded: 0.36, Shift: impossible("no contacts on phone or video to move"), AsyncMinutes: 6, Proposed: LeverHire})
}

// TestLeversCloseTheGap: on random plans, every possible lever applied alone
// (the needed deflection through self-service, AI off; the share of phone
// and video moved onto the asynchronous mix) needs no more heroes than the
// team has.
func TestLeversCloseTheGap(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 2026))
	checked := 0
	for range 3000 {
		in := randomInput(r)
		in.Heroes = 1 + r.IntN(30)
		p := mustProject(t, in)
		for _, pk := range p.Peaks {
			if pk.Levers == nil {
				continue
			}
			l := pk.Levers
			m := newModel(withDefaults(in))
			if l.Deflect.Possible {
				d := withDefaults(in)
				d.Deflection, d.AIEnabled = l.DeflectionNeeded, false
				if n := newModel(d).heroes(pk.WeeklyDemand); n > in.Heroes {
					t.Fatalf("deflecting %v still needs %d heroes of %d: %+v", l.DeflectionNeeded, n, in.Heroes, in)
				}
				checked++
			}
			if l.Shift.Possible {
				s := withDefaults(in)
				moved, async := 0.0, 0.0
				for _, c := range s.Channels {
					if isAsync(c.Channel) {
						async += c.Share
					} else {
						moved += c.Share * l.ShiftShare
					}
				}
				for i, c := range s.Channels {
					if isAsync(c.Channel) {
						s.Channels[i].Share += moved * c.Share / async
					} else {
						s.Channels[i].Share -= c.Share * l.ShiftShare
					}
				}
				if n := newModel(s).heroes(pk.WeeklyDemand); n > in.Heroes {
					t.Fatalf("moving %v of phone/video still needs %d heroes of %d (minutes %v -> %v)", l.ShiftShare, n, in.Heroes, m.minutes, newModel(s).minutes)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d levers checked", checked)
	}
}
