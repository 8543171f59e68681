package supportplan

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

const level = "RevenueGeneration"

// peak builds a projected peak starting on start with a hire-by date six
// weeks before; it lasts 17 days (December 20 runs into the new year).
func peak(name string, start time.Time, required, gap int) support.PeakProjection {
	return support.PeakProjection{Name: name, Start: start, End: start.AddDate(0, 0, 16), WeeklyDemand: 2500.4,
		RequiredHeroes: required, Gap: gap, HireBy: start.AddDate(0, 0, -42)}
}

func findingOf(t *testing.T, fs []Finding, typ string) Finding {
	t.Helper()
	for _, f := range fs {
		if f.Type == typ {
			return f
		}
	}
	t.Fatalf("no finding %s in %+v", typ, fs)
	return Finding{}
}

func TestFindingsCapacity(t *testing.T) {
	bf, xmas, summer := date(2026, time.November, 20), date(2026, time.December, 20), date(2027, time.July, 1)
	tests := []struct {
		name        string
		heroes      int
		p           support.Projection
		ok          bool
		reason      string
		msgHas      []string
		msgHasNot   []string
		wantGaps    []tasks.Key
		wantTitles  []string
		wantDueDays []time.Time
	}{
		{"covered", 10, support.Projection{RequiredHeroesNow: 4, Peaks: []support.PeakProjection{peak("bf", bf, 9, 0)}},
			true, "CapacityCovered", []string{"10 heroes cover the demand now and at every peak in the horizon"}, nil, nil, nil, nil},
		{"one task per peak with a gap", 4, support.Projection{RequiredHeroesNow: 4, CapacityGap: 3, Peaks: []support.PeakProjection{
			peak("black-friday", bf, 7, 3), peak("holidays", xmas, 4, 0), peak("summer", summer, 5, 1)}},
			false, "HeroesMissing",
			[]string{"black-friday 2026-11-20: 7 heroes needed, hire 3 by 2026-10-09", "summer 2027-07-01: 5 heroes needed, hire 1 by 2027-05-20"},
			[]string{"now:", "holidays"},
			[]tasks.Key{
				{Stream: "capacity", Objective: "black-friday-2026", Level: level},
				{Stream: "capacity", Objective: "summer-2027", Level: level},
			},
			[]string{"Hire 3 heroes by 2026-10-09 for black-friday", "Hire 1 hero by 2027-05-20 for summer"},
			[]time.Time{date(2026, time.October, 9), date(2027, time.May, 20)}},
		{"a shortfall now is in the message", 2, support.Projection{RequiredHeroesNow: 5, CapacityGap: 4, Peaks: []support.PeakProjection{peak("black-friday", bf, 6, 4)}},
			false, "HeroesMissing", []string{"now: 3 heroes more needed; black-friday 2026-11-20: 6 heroes needed, hire 4 by 2026-10-09"}, nil,
			[]tasks.Key{{Stream: "capacity", Objective: "now", Level: level}, {Stream: "capacity", Objective: "black-friday-2026", Level: level}},
			[]string{"Hire 3 heroes now: today's demand needs 5", "Hire 4 heroes by 2026-10-09 for black-friday"},
			[]time.Time{{}, date(2026, time.October, 9)}},
		{"one hero short now", 2, support.Projection{RequiredHeroesNow: 3, CapacityGap: 1},
			false, "HeroesMissing", []string{"now: 1 hero more needed"}, nil,
			[]tasks.Key{{Stream: "capacity", Objective: "now", Level: level}},
			[]string{"Hire 1 hero now: today's demand needs 3"}, []time.Time{{}}},
		{"a peak across the new year keys on its start year", 3, support.Projection{RequiredHeroesNow: 3, CapacityGap: 2, Peaks: []support.PeakProjection{
			peak("holidays", xmas, 5, 2)}}, false, "HeroesMissing", nil, nil,
			[]tasks.Key{{Stream: "capacity", Objective: "holidays-2026", Level: level}},
			[]string{"Hire 2 heroes by 2026-11-08 for holidays"}, []time.Time{date(2026, time.November, 8)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := findingOf(t, Findings(baseSpec(), support.Input{Heroes: tt.heroes}, tt.p), v1alpha1.ConditionCapacitySufficient)
			if f.OK != tt.ok || f.Reason != tt.reason {
				t.Errorf("OK, Reason = %v, %s; want %v, %s", f.OK, f.Reason, tt.ok, tt.reason)
			}
			for _, s := range tt.msgHas {
				if !strings.Contains(f.Message, s) {
					t.Errorf("message %q lacks %q", f.Message, s)
				}
			}
			for _, s := range tt.msgHasNot {
				if strings.Contains(f.Message, s) {
					t.Errorf("message %q has %q", f.Message, s)
				}
			}
			if len(tt.wantGaps) == 0 {
				if len(f.Gaps) > 0 && tt.ok {
					t.Errorf("gaps = %+v for a covered plan", f.Gaps)
				}
				return
			}
			if len(f.Gaps) != len(tt.wantGaps) {
				t.Fatalf("gaps = %+v, want keys %v", f.Gaps, tt.wantGaps)
			}
			for i, g := range f.Gaps {
				if g.Key != tt.wantGaps[i] || !g.Due.Equal(tt.wantDueDays[i]) || g.Owner != v1alpha1.OwnerCustomerSupport {
					t.Errorf("gap %d = %v due %v owner %s, want %v due %v", i, g.Key, g.Due, g.Owner, tt.wantGaps[i], tt.wantDueDays[i])
				}
				if len(g.Templates) != 1 || g.Templates[0].Title != tt.wantTitles[i] || g.Templates[0].Priority != v1alpha1.PriorityHigh {
					t.Errorf("gap %d templates = %+v, want one High %q", i, g.Templates, tt.wantTitles[i])
				}
			}
		})
	}
}

// tenth is a variable so that tenth+2*tenth is float arithmetic,
// 0.30000000000000004, not the constant 0.3.
var tenth = 0.1

func TestFindingsChannelMix(t *testing.T) {
	tests := []struct {
		share     float64
		ok        bool
		message   string
		wantTitle string
	}{
		{0, true, "phone and video carry 0% of contacts (at most 30%)", ""},
		{0.3, true, "phone and video carry 30% of contacts (at most 30%)", ""},
		{tenth + 2*tenth, true, "phone and video carry 30% of contacts (at most 30%)", ""},
		{0.304, true, "phone and video carry 30% of contacts (at most 30%)", ""},
		{0.306, false, "phone and video carry 31% of contacts, more than 30%", "Move 1% of contacts from phone/video to chat, SMS or email"},
		{0.45, false, "phone and video carry 45% of contacts, more than 30%", "Move 15% of contacts from phone/video to chat, SMS or email"},
		{1, false, "phone and video carry 100% of contacts, more than 30%", "Move 70% of contacts from phone/video to chat, SMS or email"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.share), func(t *testing.T) {
			f := findingOf(t, Findings(baseSpec(), support.Input{}, support.Projection{PhoneVideoShare: tt.share}), v1alpha1.ConditionChannelMixEfficient)
			wantReason := "EfficientChannels"
			if !tt.ok {
				wantReason = "TooMuchPhoneAndVideo"
			}
			if f.OK != tt.ok || f.Reason != wantReason || f.Message != tt.message {
				t.Errorf("finding = %v %s %q, want %v %s %q", f.OK, f.Reason, f.Message, tt.ok, wantReason, tt.message)
			}
			checkOneGap(t, f, tasks.Key{Stream: "channels", Objective: "phone-video-share", Level: level}, tt.wantTitle, v1alpha1.PriorityMedium)
		})
	}
}

func TestFindingsSelfService(t *testing.T) {
	tests := []struct {
		name      string
		ss        *v1alpha1.SelfService
		in        float64
		ok        bool
		reason    string
		message   string
		wantTitle string
	}{
		{"no self-service", nil, 0, true, "NoTarget", "no self-service target set", ""},
		{"no target", &v1alpha1.SelfService{Deflection: 0.02}, 0.02, true, "NoTarget", "no self-service target set", ""},
		{"below target", &v1alpha1.SelfService{Deflection: 0.12, TargetDeflection: ptr(0.25)}, 0.12, false, "BelowTargetDeflection",
			"self-service deflects 12% of contacts, target 25%", "Raise self-service deflection from 12% to 25%"},
		{"at target", &v1alpha1.SelfService{Deflection: 0.25, TargetDeflection: ptr(0.25)}, 0.25, true, "TargetDeflectionReached",
			"self-service deflects 25% of contacts (target 25%)", ""},
		{"above target", &v1alpha1.SelfService{Deflection: 0.4, TargetDeflection: ptr(0.25)}, 0.4, true, "TargetDeflectionReached",
			"self-service deflects 40% of contacts (target 25%)", ""},
		{"a hair below rounds to the target, as published", &v1alpha1.SelfService{Deflection: 0.2499, TargetDeflection: ptr(0.25)}, 0.2499, true,
			"TargetDeflectionReached", "self-service deflects 25% of contacts (target 25%)", ""},
		{"the input's deflection (from a metric) is judged", &v1alpha1.SelfService{Deflection: 0.4, TargetDeflection: ptr(0.3)}, 0.1, false,
			"BelowTargetDeflection", "self-service deflects 10% of contacts, target 30%", "Raise self-service deflection from 10% to 30%"},
		{"target zero", &v1alpha1.SelfService{TargetDeflection: ptr(0.0)}, 0, true, "TargetDeflectionReached",
			"self-service deflects 0% of contacts (target 0%)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			spec.SelfService = tt.ss
			f := findingOf(t, Findings(spec, support.Input{Deflection: tt.in}, support.Projection{}), v1alpha1.ConditionSelfServiceHealthy)
			if f.OK != tt.ok || f.Reason != tt.reason || f.Message != tt.message {
				t.Errorf("finding = %v %s %q, want %v %s %q", f.OK, f.Reason, f.Message, tt.ok, tt.reason, tt.message)
			}
			checkOneGap(t, f, tasks.Key{Stream: "self-service", Objective: "deflection", Level: level}, tt.wantTitle, v1alpha1.PriorityMedium)
		})
	}
}

func TestFindingsHandoff(t *testing.T) {
	tests := []struct {
		name      string
		ai        *v1alpha1.SupportAI
		ok        bool
		reason    string
		message   string
		wantTitle string
	}{
		{"no AI", nil, true, "AIDisabled", "AI does not answer customers", ""},
		{"AI disabled without hand-off", &v1alpha1.SupportAI{Containment: 0.5}, true, "AIDisabled", "AI does not answer customers", ""},
		{"AI with hand-off", &v1alpha1.SupportAI{Enabled: true, Handoff: &v1alpha1.HumanHandoff{Channel: "Chat"}}, true,
			"HandoffConfigured", "AI hands conversations to a hero on Chat", ""},
		{"AI without hand-off", &v1alpha1.SupportAI{Enabled: true, Containment: 0.5}, false, "HandoffMissing",
			"AI answers customers without a hand-off to a human hero (spec.ai.handoff)", "Configure human hand-off for AI answers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			spec.AI = tt.ai
			f := findingOf(t, Findings(spec, support.Input{}, support.Projection{}), v1alpha1.ConditionHumanHandoffConfigured)
			if f.OK != tt.ok || f.Reason != tt.reason || f.Message != tt.message {
				t.Errorf("finding = %v %s %q, want %v %s %q", f.OK, f.Reason, f.Message, tt.ok, tt.reason, tt.message)
			}
			checkOneGap(t, f, tasks.Key{Stream: "ai", Objective: "human-handoff", Level: level}, tt.wantTitle, v1alpha1.PriorityCritical)
		})
	}
}

// checkOneGap checks a finding has no gap when wantTitle is empty, else one
// gap with key, a single template of that title and priority, and no due
// date (the task policy sets it).
func checkOneGap(t *testing.T, f Finding, key tasks.Key, wantTitle string, priority v1alpha1.Priority) {
	t.Helper()
	if wantTitle == "" {
		if len(f.Gaps) != 0 {
			t.Errorf("gaps = %+v, want none", f.Gaps)
		}
		return
	}
	if len(f.Gaps) != 1 {
		t.Fatalf("gaps = %+v, want one", f.Gaps)
	}
	g := f.Gaps[0]
	if g.Key != key || g.Owner != v1alpha1.OwnerCustomerSupport || !g.Due.IsZero() {
		t.Errorf("gap = %v owner %s due %v, want %v owner CustomerSupport, no due date", g.Key, g.Owner, g.Due, key)
	}
	if len(g.Templates) != 1 || g.Templates[0].Title != wantTitle || g.Templates[0].Priority != priority || g.Templates[0].Description == "" {
		t.Errorf("templates = %+v, want one %s %q with a description", g.Templates, priority, wantTitle)
	}
}

// allGaps is a plan failing every finding: two peaks short, 45% phone,
// 12% of a 25% deflection, AI without hand-off.
func allGaps() []Finding {
	spec := baseSpec()
	spec.TargetStage = v1alpha1.StageRevenueTransition
	spec.SelfService.TargetDeflection = ptr(0.25)
	spec.AI.Handoff = nil
	p := support.Projection{CapacityGap: 2, PhoneVideoShare: 0.45, Peaks: []support.PeakProjection{
		peak("black-friday", date(2026, time.November, 20), 6, 2), peak("summer", date(2027, time.July, 1), 5, 1)}}
	return Findings(spec, support.Input{Heroes: 4, Deflection: 0.12}, p)
}

func TestFindingsOrderAndGaps(t *testing.T) {
	fs := allGaps()
	var types []string
	for _, f := range fs {
		types = append(types, f.Type)
	}
	wantTypes := []string{v1alpha1.ConditionCapacitySufficient, v1alpha1.ConditionChannelMixEfficient,
		v1alpha1.ConditionSelfServiceHealthy, v1alpha1.ConditionHumanHandoffConfigured}
	if !reflect.DeepEqual(types, wantTypes) {
		t.Errorf("finding types = %v, want %v", types, wantTypes)
	}
	var keys []string
	for _, g := range Gaps(fs) {
		keys = append(keys, g.Key.Stream+"/"+g.Key.Objective+"@"+g.Key.Level)
	}
	want := []string{
		"capacity/black-friday-2026@RevenueTransition", "capacity/summer-2027@RevenueTransition",
		"channels/phone-video-share@RevenueTransition", "self-service/deflection@RevenueTransition",
		"ai/human-handoff@RevenueTransition",
	}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("Gaps keys = %v, want %v", keys, want)
	}
	if g := Gaps(findingsOK()); len(g) != 0 {
		t.Errorf("Gaps of a healthy plan = %+v, want none", g)
	}
}

func findingsOK() []Finding {
	return Findings(baseSpec(), support.Input{Heroes: 10}, support.Projection{RequiredHeroesNow: 4, PhoneVideoShare: 0.3})
}

func TestResolver(t *testing.T) {
	tests := []struct {
		name     string
		findings []Finding
		key      tasks.Key
		want     tasks.Resolution
	}{
		{"capacity gap still open", allGaps(), tasks.Key{Stream: "capacity", Objective: "summer-2027", Level: "RevenueTransition"},
			tasks.Resolution{Reason: v1alpha1.ReasonGapOpen, Message: "capacity/summer-2027 is still open"}},
		{"AI gap still open", allGaps(), tasks.Key{Stream: "ai", Objective: "human-handoff", Level: "RevenueTransition"},
			tasks.Resolution{Reason: v1alpha1.ReasonGapOpen, Message: "ai/human-handoff is still open"}},
		{"a past peak is resolved", allGaps(), tasks.Key{Stream: "capacity", Objective: "black-friday-2025", Level: "RevenueTransition"},
			tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed, Message: "capacity/black-friday-2025 no longer needs work"}},
		{"another target stage is resolved", allGaps(), tasks.Key{Stream: "ai", Objective: "human-handoff", Level: "RevenueGeneration"},
			tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed, Message: "ai/human-handoff no longer needs work"}},
		{"closed finding", findingsOK(), tasks.Key{Stream: "channels", Objective: "phone-video-share", Level: level},
			tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed, Message: "channels/phone-video-share no longer needs work"}},
		{"no findings", nil, tasks.Key{Stream: "self-service", Objective: "deflection", Level: level},
			tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed, Message: "self-service/deflection no longer needs work"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Resolver(tt.findings)(tt.key); got != tt.want {
				t.Errorf("Resolver(%v) = %+v, want %+v", tt.key, got, tt.want)
			}
		})
	}
	// Every gap's own key is open.
	resolve := Resolver(allGaps())
	for _, g := range Gaps(allGaps()) {
		if r := resolve(g.Key); r.Resolved || r.Reason != v1alpha1.ReasonGapOpen {
			t.Errorf("Resolver(%v) = %+v, want open", g.Key, r)
		}
	}
}
