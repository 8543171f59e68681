package partners

import (
	"fmt"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Risk names (seed 003's risks that limit scalability).
const (
	RiskOvercomplicatedStructure = "OvercomplicatedStructure"
	RiskMisalignedIncentives     = "MisalignedIncentives"
	RiskOnboardingBottleneck     = "OnboardingBottleneck"
)

// Thresholds of the risks. Seed 003: complexity is the enemy of scale, a
// misaligned revenue share pushes partners to other priorities, and growth
// phases expose every bottleneck.
const (
	// MaxSteps is the most onboarding steps a lean program has.
	MaxSteps = 7
	// MaxTypes is the most partner types a lean program has.
	MaxTypes = 6
	// MaxTypesWithThreeTiers is the most partner types a program may have
	// when any of them has three revenue tiers.
	MaxTypesWithThreeTiers = 4
	// IncentiveSkew is how many times another type's share a type may earn
	// while bringing less revenue per partner.
	IncentiveSkew = 1.5
	// MinPartnersPerType is the fewest partners (not Waitlisted) of each of
	// two types before their revenue per partner is compared.
	MinPartnersPerType = 2
	// BottleneckP90Factor is how many times onboarding's target duration
	// the p90 onboarding time may reach.
	BottleneckP90Factor = 2
	// MaxStallShare is the largest share of onboarding partners that may
	// wait at the same step. It is judged from the program's minSample of
	// onboarding partners up: one partner always "stalls" at its next step.
	MaxStallShare = 0.3
)

// maxRiskMessage is the status' limit for a risk's message.
const maxRiskMessage = 512

// stallFormat is the bottleneck message for a step; Gaps reads it back.
const stallFormat = "%s of onboarding partners stall at %s"

// Risks finds seed 003's risks in the program, in this order:
//   - OvercomplicatedStructure: more than MaxSteps steps, more than
//     MaxTypes types, or a type with three revenue tiers among more than
//     MaxTypesWithThreeTiers types;
//   - MisalignedIncentives: a type earns more than IncentiveSkew times
//     another type's revenue share (its flat percent, or its top tier's)
//     yet brings less revenue per partner, both types having at least
//     MinPartnersPerType partners that are not Waitlisted;
//   - OnboardingBottleneck: onboardingP90 above BottleneckP90Factor times
//     the onboarding target duration, or more than MaxStallShare of the
//     onboarding partners waiting at the same step (the first step they
//     have not completed; the largest group, the earliest step on a tie).
func Risks(prog *v1alpha1.PartnerProgramSpec, partners []*v1alpha1.Partner, states []State, ms []v1alpha1.ProgramMetric) []v1alpha1.Risk {
	var out []v1alpha1.Risk
	add := func(name string, parts []string) {
		if len(parts) > 0 {
			out = append(out, v1alpha1.Risk{Name: name, Message: truncate(strings.Join(parts, "; "), maxRiskMessage)})
		}
	}
	add(RiskOvercomplicatedStructure, structure(prog))
	add(RiskMisalignedIncentives, incentives(prog, partners, states))
	add(RiskOnboardingBottleneck, bottleneck(prog, partners, states, ms))
	return out
}

func structure(prog *v1alpha1.PartnerProgramSpec) []string {
	var parts []string
	if n := len(prog.Onboarding.Steps); n > MaxSteps {
		parts = append(parts, fmt.Sprintf("%d onboarding steps, more than %d", n, MaxSteps))
	}
	types := len(prog.PartnerTypes)
	if types > MaxTypes {
		parts = append(parts, fmt.Sprintf("%d partner types, more than %d", types, MaxTypes))
	}
	if types > MaxTypesWithThreeTiers {
		var tiered []string
		for _, t := range prog.PartnerTypes {
			if len(t.RevenueShare.Tiers) >= 3 {
				tiered = append(tiered, t.Name)
			}
		}
		if len(tiered) > 0 {
			parts = append(parts, fmt.Sprintf("three revenue tiers for %s among %d partner types, more than %d",
				strings.Join(tiered, ", "), types, MaxTypesWithThreeTiers))
		}
	}
	return parts
}

// share is what a type earns: its flat percent or its top tier's.
func share(rs v1alpha1.RevenueShare) float64 {
	switch {
	case rs.Percent != nil:
		return *rs.Percent
	case len(rs.Tiers) > 0:
		return rs.Tiers[len(rs.Tiers)-1].Percent
	}
	return 0
}

// maxPairs is how many misaligned pairs a message names.
const maxPairs = 3

func incentives(prog *v1alpha1.PartnerProgramSpec, partners []*v1alpha1.Partner, states []State) []string {
	types := prog.PartnerTypes
	count := make([]int, len(types))
	revenue := make([]float64, len(types))
	for i := range min(len(partners), len(states)) {
		if partners[i] == nil || states[i].Phase == v1alpha1.PhaseWaitlisted {
			continue
		}
		if t := typeIndex(prog, partners[i].Spec.Type); t >= 0 {
			count[t]++
			revenue[t] += partners[i].Spec.Results.Revenue
		}
	}
	var parts []string
	found := 0
	for a := range types {
		for b := range types {
			if a == b || count[a] < MinPartnersPerType || count[b] < MinPartnersPerType {
				continue
			}
			sa, sb := share(types[a].RevenueShare), share(types[b].RevenueShare)
			ra, rb := revenue[a]/float64(count[a]), revenue[b]/float64(count[b])
			if sa <= IncentiveSkew*sb || ra >= rb {
				continue
			}
			if found++; found <= maxPairs {
				parts = append(parts, fmt.Sprintf("%s earns %s%% of revenue, over %gx %s's %s%%, yet brings %s per partner against %s",
					types[a].Name, formatNumber(sa), IncentiveSkew, types[b].Name, formatNumber(sb), money(ra), money(rb)))
			}
		}
	}
	if found > maxPairs {
		parts = append(parts, fmt.Sprintf("and %d more pairs", found-maxPairs))
	}
	return parts
}

func money(x float64) string { return formatNumber(roundTo(x, 100)) }

func bottleneck(prog *v1alpha1.PartnerProgramSpec, partners []*v1alpha1.Partner, states []State, ms []v1alpha1.ProgramMetric) []string {
	var parts []string
	steps := prog.Onboarding.Steps
	waiting := make([]int, len(steps))
	onboarding := 0
	for i := range min(len(partners), len(states)) {
		if partners[i] == nil || states[i].Phase != v1alpha1.PhaseOnboarding {
			continue
		}
		if s := nextStep(partners[i], prog); s >= 0 {
			onboarding++
			waiting[s]++
		}
	}
	if onboarding >= minSample(prog) {
		worst := 0
		for s := range waiting {
			if waiting[s] > waiting[worst] {
				worst = s
			}
		}
		if share := float64(waiting[worst]) / float64(onboarding); share > MaxStallShare {
			parts = append(parts, fmt.Sprintf(stallFormat, pct(share), steps[worst].Name))
		}
	}
	target := targetDuration(prog)
	if p90, ok := metricDuration(ms, MetricOnboardingP90); ok && target > 0 && p90 > BottleneckP90Factor*target {
		parts = append(parts, fmt.Sprintf("onboarding p90 is %s days, more than %dx the %s-day target",
			days(p90), BottleneckP90Factor, days(target)))
	}
	return parts
}
