package support

import (
	"errors"
	"math"
	"testing"
	"time"
)

const week = 7 * 24 * time.Hour

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// baseInput: 1000 e-mails a week at 6 minutes = 100 hero hours; a hero gives
// 40 h * 0.8 = 32 h, so 3.125 -> 4 heroes; the team has 10.
func baseInput() Input {
	return Input{
		Now:                 date(2026, time.January, 1),
		Heroes:              10,
		HoursPerHeroPerWeek: 40,
		RampUp:              6 * week,
		ContactsPerWeek:     1000,
		Channels:            []ChannelMix{{Channel: Email, Share: 1, HandlingMinutes: 6}},
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func mustProject(t *testing.T, in Input) Projection {
	t.Helper()
	p, err := Project(in)
	if err != nil {
		t.Fatalf("Project: %v", err)
	}
	return p
}

func TestProject(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Input)
		want   Projection // Peaks and NextPeak are not compared here
	}{
		{"defaults", func(*Input) {}, Projection{
			DemandNow: 1000, DemandAtHorizon: 1000, MinutesPerContact: 6, HeroContactShare: 1,
			RequiredHeroesNow: 4, VolumePerHero: 100, HoursPerHero: 10}},
		{"growth compounds by fraction of year: 1000 * 1.2^0.5", func(in *Input) {
			in.YearlyGrowth, in.Horizon = 0.2, Year/2
		}, Projection{DemandNow: 1000, DemandAtHorizon: 1095.445115010332, MinutesPerContact: 6,
			HeroContactShare: 1, RequiredHeroesNow: 4, VolumePerHero: 100, HoursPerHero: 10}},
		{"growth over the default horizon of a year", func(in *Input) { in.YearlyGrowth = 0.2 },
			Projection{DemandNow: 1000, DemandAtHorizon: 1200, MinutesPerContact: 6,
				HeroContactShare: 1, RequiredHeroesNow: 4, VolumePerHero: 100, HoursPerHero: 10}},
		{"shrinking demand: 1000 * 0.5^2", func(in *Input) { in.YearlyGrowth, in.Horizon = -0.5, 2*Year },
			Projection{DemandNow: 1000, DemandAtHorizon: 250, MinutesPerContact: 6,
				HeroContactShare: 1, RequiredHeroesNow: 4, VolumePerHero: 100, HoursPerHero: 10}},
		{"chat concurrency 3 divides its minutes by 3", func(in *Input) {
			// 0.5*9/3 + 0.5*6 = 4.5 min; 1000*4.5/60 = 75 h; 75/32 = 2.34 -> 3
			in.Channels = []ChannelMix{
				{Channel: Chat, Share: 0.5, HandlingMinutes: 9, Concurrency: 3},
				{Channel: Phone, Share: 0.5, HandlingMinutes: 6},
			}
		}, Projection{DemandNow: 1000, DemandAtHorizon: 1000, MinutesPerContact: 4.5, HeroContactShare: 1,
			RequiredHeroesNow: 3, VolumePerHero: 100, HoursPerHero: 7.5, PhoneVideoShare: 0.5}},
		{"phone and video share", func(in *Input) {
			in.Channels = []ChannelMix{
				{Channel: Video, Share: 0.1, HandlingMinutes: 6},
				{Channel: Phone, Share: 0.3, HandlingMinutes: 6},
				{Channel: SMS, Share: 0.6, HandlingMinutes: 6},
			}
		}, Projection{DemandNow: 1000, DemandAtHorizon: 1000, MinutesPerContact: 6, HeroContactShare: 1,
			RequiredHeroesNow: 4, VolumePerHero: 100, HoursPerHero: 10, PhoneVideoShare: 0.4}},
		{"zero demand needs no heroes", func(in *Input) { in.ContactsPerWeek, in.YearlyGrowth = 0, 0.3 },
			Projection{MinutesPerContact: 6, HeroContactShare: 1}},
		{"100% deflection needs no heroes", func(in *Input) { in.Deflection = 1 },
			Projection{DemandNow: 1000, DemandAtHorizon: 1000, MinutesPerContact: 6}},
		{"deflection and AI containment: 0.8 * 0.75 reach heroes", func(in *Input) {
			// 1000*0.6*6/60 = 60 h; 60/32 = 1.875 -> 2
			in.Deflection, in.AIEnabled, in.AIContainment, in.HandoffConfigured = 0.2, true, 0.25, true
		}, Projection{DemandNow: 1000, DemandAtHorizon: 1000, MinutesPerContact: 6, HeroContactShare: 0.6,
			RequiredHeroesNow: 2, VolumePerHero: 60, HoursPerHero: 6}},
		{"containment without AI is ignored", func(in *Input) { in.AIContainment = 0.5 },
			Projection{DemandNow: 1000, DemandAtHorizon: 1000, MinutesPerContact: 6, HeroContactShare: 1,
				RequiredHeroesNow: 4, VolumePerHero: 100, HoursPerHero: 10}},
		{"no heroes: the gap is the requirement, per-hero figures are 0", func(in *Input) { in.Heroes = 0 },
			Projection{DemandNow: 1000, DemandAtHorizon: 1000, MinutesPerContact: 6, HeroContactShare: 1,
				RequiredHeroesNow: 4, CapacityGap: 4}},
		{"target utilisation: 100/(40*0.5) = 5 exactly", func(in *Input) { in.TargetUtilisation, in.Heroes = 0.5, 3 },
			Projection{DemandNow: 1000, DemandAtHorizon: 1000, MinutesPerContact: 6, HeroContactShare: 1,
				RequiredHeroesNow: 5, CapacityGap: 2, VolumePerHero: 1000.0 / 3, HoursPerHero: 100.0 / 3}},
		{"float noise on an exact count does not add a hero", func(in *Input) {
			// 0.6*7 + 0.3*7 + 0.1*7 = 7.000000000000001 in floats: 600*7/60 = 70 h
			// over 10 h heroes is 7.000000000000002, which is 7 heroes, not 8.
			in.ContactsPerWeek, in.HoursPerHeroPerWeek, in.TargetUtilisation = 600, 10, 1
			in.Channels = []ChannelMix{
				{Channel: Chat, Share: 0.6, HandlingMinutes: 7},
				{Channel: SMS, Share: 0.3, HandlingMinutes: 7},
				{Channel: Email, Share: 0.1, HandlingMinutes: 7},
			}
		}, Projection{DemandNow: 600, DemandAtHorizon: 600, MinutesPerContact: 7, HeroContactShare: 1,
			RequiredHeroesNow: 7, VolumePerHero: 60, HoursPerHero: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInput()
			tt.mutate(&in)
			got := mustProject(t, in)
			w := tt.want
			floats := []struct {
				name      string
				got, want float64
			}{
				{"DemandNow", got.DemandNow, w.DemandNow},
				{"DemandAtHorizon", got.DemandAtHorizon, w.DemandAtHorizon},
				{"MinutesPerContact", got.MinutesPerContact, w.MinutesPerContact},
				{"HeroContactShare", got.HeroContactShare, w.HeroContactShare},
				{"VolumePerHero", got.VolumePerHero, w.VolumePerHero},
				{"HoursPerHero", got.HoursPerHero, w.HoursPerHero},
				{"PhoneVideoShare", got.PhoneVideoShare, w.PhoneVideoShare},
			}
			for _, f := range floats {
				if !near(f.got, f.want) {
					t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
				}
			}
			if got.RequiredHeroesNow != w.RequiredHeroesNow || got.CapacityGap != w.CapacityGap {
				t.Errorf("RequiredHeroesNow, CapacityGap = %d, %d, want %d, %d",
					got.RequiredHeroesNow, got.CapacityGap, w.RequiredHeroesNow, w.CapacityGap)
			}
			if len(got.Peaks) != 0 || got.NextPeak != nil {
				t.Errorf("Peaks = %v, NextPeak = %v, want none", got.Peaks, got.NextPeak)
			}
		})
	}
}

func TestCeilHeroes(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want int
	}{
		{0, 0}, {-3, 0}, {math.NaN(), 0}, {1e-12, 0}, {0.2, 1}, {1, 1}, {1.0000001, 2},
		{10.0000000001, 10}, {10.5, 11}, {3.125, 4}, {1e9 + 0.5, 1e9 + 1},
		{math.Inf(1), MaxHeroes}, {1e300, MaxHeroes},
	} {
		if got := ceilHeroes(tt.x); got != tt.want {
			t.Errorf("ceilHeroes(%v) = %d, want %d", tt.x, got, tt.want)
		}
	}
}

func TestProjectInvalid(t *testing.T) {
	in := baseInput()
	in.Heroes = -1
	in.Channels[0].Share = 0.5
	_, err := Project(in)
	var fe FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("Project error %v does not wrap a FieldError", err)
	}
	if fe.Field != FieldHeroes {
		t.Errorf("first error field = %q, want %q", fe.Field, FieldHeroes)
	}
	if want := "invalid support plan: spec.team.heroes: must not be negative, got -1 (and 1 more)"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}
