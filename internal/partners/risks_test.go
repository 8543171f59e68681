package partners

import (
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func types(n int, tiers ...int) []v1alpha1.PartnerType {
	out := make([]v1alpha1.PartnerType, n)
	for i := range out {
		out[i] = v1alpha1.PartnerType{Name: fmt.Sprintf("T%d", i), RevenueShare: v1alpha1.RevenueShare{Percent: ptr(10.0)}}
	}
	for i, k := range tiers {
		out[i].RevenueShare = v1alpha1.RevenueShare{}
		for j := range k {
			out[i].RevenueShare.Tiers = append(out[i].RevenueShare.Tiers, v1alpha1.RevenueTier{FromRevenue: float64(j * 1000), Percent: float64(5 + j)})
		}
	}
	return out
}

func steps(n int) []v1alpha1.OnboardingStep {
	out := make([]v1alpha1.OnboardingStep, n)
	for i := range out {
		out[i].Name = fmt.Sprintf("s%d", i)
	}
	return out
}

func TestRisksOvercomplicatedStructure(t *testing.T) {
	tests := []struct {
		name  string
		steps int
		types []v1alpha1.PartnerType
		want  string // "" for no risk
	}{
		{"lean", 7, types(6), ""},
		{"eight steps", 8, types(2), "8 onboarding steps, more than 7"},
		{"seven types", 3, types(7), "7 partner types, more than 6"},
		{"three tiers among five types", 3, types(5, 2, 3), "three revenue tiers for T1 among 5 partner types, more than 4"},
		{"three tiers among four types is fine", 3, types(4, 3, 3), ""},
		{"two tiers among six types is fine", 3, types(6, 2, 2), ""},
		{"every reason", 9, types(7, 3), "9 onboarding steps, more than 7; 7 partner types, more than 6; three revenue tiers for T0 among 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog := program()
			prog.Onboarding.Steps, prog.PartnerTypes = steps(tt.steps), tt.types
			got := Risks(prog, nil, nil, nil)
			if tt.want == "" {
				if len(got) > 0 {
					t.Errorf("got %v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].Name != RiskOvercomplicatedStructure || !strings.HasPrefix(got[0].Message, tt.want) {
				t.Errorf("got %v, want OvercomplicatedStructure %q", got, tt.want)
			}
		})
	}
}

func TestRisksMisalignedIncentives(t *testing.T) {
	j := ago(60 * Day)
	earning := func(name, typ string, revenue float64) *v1alpha1.Partner {
		return partner(name, j, ofType(typ), onboarded(j.Add(Day)), results(v1alpha1.PartnerResults{Revenue: revenue}))
	}
	tiered := v1alpha1.RevenueShare{Tiers: []v1alpha1.RevenueTier{{FromRevenue: 0, Percent: 5}, {FromRevenue: 1e4, Percent: 31}}}
	tests := []struct {
		name     string
		share    v1alpha1.RevenueShare // the Affiliate's; the Distributor earns 20%
		partners []*v1alpha1.Partner
		want     string
	}{
		{"higher share, less revenue", v1alpha1.RevenueShare{Percent: ptr(31.0)},
			[]*v1alpha1.Partner{earning("a1", "Affiliate", 100), earning("a2", "Affiliate", 300), earning("d1", "Distributor", 500), earning("d2", "Distributor", 500)},
			"Affiliate earns 31% of revenue, over 1.5x Distributor's 20%, yet brings 200 per partner against 500"},
		{"the top tier is the share", tiered,
			[]*v1alpha1.Partner{earning("a1", "Affiliate", 100), earning("a2", "Affiliate", 300), earning("d1", "Distributor", 500), earning("d2", "Distributor", 500)},
			"Affiliate earns 31% of revenue"},
		{"exactly 1.5x is aligned", v1alpha1.RevenueShare{Percent: ptr(30.0)},
			[]*v1alpha1.Partner{earning("a1", "Affiliate", 100), earning("a2", "Affiliate", 300), earning("d1", "Distributor", 500), earning("d2", "Distributor", 500)}, ""},
		{"the higher share brings more", v1alpha1.RevenueShare{Percent: ptr(40.0)},
			[]*v1alpha1.Partner{earning("a1", "Affiliate", 900), earning("a2", "Affiliate", 300), earning("d1", "Distributor", 500), earning("d2", "Distributor", 500)}, ""},
		{"one partner of a type is no evidence", v1alpha1.RevenueShare{Percent: ptr(40.0)},
			[]*v1alpha1.Partner{earning("a1", "Affiliate", 100), earning("d1", "Distributor", 500), earning("d2", "Distributor", 500)}, ""},
		{"waitlisted partners do not count", v1alpha1.RevenueShare{Percent: ptr(40.0)},
			[]*v1alpha1.Partner{earning("a1", "Affiliate", 100), earning("waiting", "Affiliate", 100), earning("d1", "Distributor", 500), earning("d2", "Distributor", 500)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog := program()
			prog.PartnerTypes[0].RevenueShare = tt.share
			got := Risks(prog, tt.partners, deriveAll(prog, tt.partners, "waiting"), nil)
			if tt.want == "" {
				if len(got) > 0 {
					t.Errorf("got %v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].Name != RiskMisalignedIncentives || !strings.HasPrefix(got[0].Message, tt.want) {
				t.Errorf("got %v, want MisalignedIncentives %q", got, tt.want)
			}
		})
	}
}

func TestRisksOnboardingBottleneck(t *testing.T) {
	j := ago(20 * Day)
	// at makes a partner onboarding at the given step (0: contract, 1: training, 2: listing).
	at := func(name string, next int) *v1alpha1.Partner {
		return partner(name, j, done([]time.Time{j.Add(Day), j.Add(2 * Day), j.Add(3 * Day)}[:next]...))
	}
	p90 := func(d time.Duration) []v1alpha1.ProgramMetric {
		return []v1alpha1.ProgramMetric{{Name: MetricOnboardingP90, Duration: &metav1.Duration{Duration: d}, Sample: 10}}
	}
	tests := []struct {
		name     string
		partners []*v1alpha1.Partner
		ms       []v1alpha1.ProgramMetric
		want     string
	}{
		{"40% stall at training", []*v1alpha1.Partner{at("a", 0), at("b", 1), at("c", 1), at("d", 2), at("e", 3)}, nil,
			"40% of onboarding partners stall at training"},
		{"the earliest step on a tie", []*v1alpha1.Partner{at("a", 2), at("b", 2), at("c", 1), at("d", 1), at("e", 0)}, nil,
			"40% of onboarding partners stall at training"},
		{"the largest group", []*v1alpha1.Partner{at("a", 2), at("b", 2), at("c", 1), at("d", 1), at("e", 0), at("f", 0), at("g", 0)}, nil,
			"42.9% of onboarding partners stall at contract"},
		{"30% is not a bottleneck", []*v1alpha1.Partner{at("a", 0), at("b", 0), at("c", 0), at("d", 1), at("e", 1), at("f", 1),
			at("g", 2), at("h", 2), at("i", 2), at("j", 3), partner("onboarded", j, done(j, j, j, j))}, nil, ""},
		{"four onboarding partners are too few", []*v1alpha1.Partner{at("a", 1), at("b", 1), at("c", 1), at("d", 1)}, nil, ""},
		{"p90 above twice the target", nil, p90(2*336*time.Hour + time.Minute), "onboarding p90 is 28 days, more than 2x the 14-day target"},
		{"p90 at twice the target is fine", nil, p90(2 * 336 * time.Hour), ""},
		{"both", []*v1alpha1.Partner{at("a", 1), at("b", 1), at("c", 1), at("d", 1), at("e", 2)}, p90(1000 * time.Hour),
			"80% of onboarding partners stall at training; onboarding p90 is 41.7 days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog := program()
			prog.Onboarding.Steps = append(prog.Onboarding.Steps, v1alpha1.OnboardingStep{Name: "go-live"})
			got := Risks(prog, tt.partners, deriveAll(prog, tt.partners), tt.ms)
			if tt.want == "" {
				if len(got) > 0 {
					t.Errorf("got %v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].Name != RiskOnboardingBottleneck || !strings.HasPrefix(got[0].Message, tt.want) {
				t.Errorf("got %v, want OnboardingBottleneck %q", got, tt.want)
			}
		})
	}
}

func TestRisksMessagesFit(t *testing.T) {
	prog := program()
	prog.Onboarding.Steps = steps(20)
	prog.PartnerTypes = types(10, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3)
	for i := range prog.PartnerTypes {
		prog.PartnerTypes[i].Name = strings.Repeat("T", 60) + fmt.Sprint(i)
	}
	for _, r := range Risks(prog, nil, nil, nil) {
		if len(r.Message) > maxRiskMessage {
			t.Errorf("%s message is %d bytes, more than %d", r.Name, len(r.Message), maxRiskMessage)
		}
	}
}
