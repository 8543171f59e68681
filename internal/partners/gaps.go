package partners

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// Task streams: the first part of a task's key after the program's name.
const (
	streamMetrics = "metrics"
	streamRisks   = "risks"
)

// maxTitle is the ProjectTask's limit for a title.
const maxTitle = 200

var stallPattern = regexp.MustCompile(`^([0-9.]+%) of onboarding partners stall at ([a-z0-9-]+)`)

// Gaps opens one gap per metric that misses its target (Met false; a
// metric without a value opens none: more partners will tell) and one per
// risk, metrics first, each in the order given. Keys are
// {metrics|risks, the metric's or risk's name in kebab-case, stage}, so a
// new stage opens new tasks. Every gap is the partner manager's. A missed
// target holds the next stage back, so its task is High; so is an
// onboarding bottleneck (seed 003: growth phases break on them); the
// structural risks are Medium.
func Gaps(ms []v1alpha1.ProgramMetric, risks []v1alpha1.Risk, stage string) []tasks.Gap {
	out := make([]tasks.Gap, 0, len(ms)+len(risks))
	for _, m := range ms {
		if m.Met == nil || *m.Met || (m.Value == nil && m.Duration == nil) {
			continue
		}
		title, desc := metricTask(m)
		out = append(out, gap(streamMetrics, m.Name, stage, title, desc, v1alpha1.PriorityHigh))
	}
	for _, r := range risks {
		title, desc, prio := riskTask(r)
		out = append(out, gap(streamRisks, r.Name, stage, title, desc, prio))
	}
	return out
}

func gap(stream, name, stage, title, desc string, prio v1alpha1.Priority) tasks.Gap {
	return tasks.Gap{
		Key:   tasks.Key{Stream: stream, Objective: kebab(name), Level: stage},
		Owner: v1alpha1.OwnerPartnerManager,
		Templates: []tasks.Template{{
			Title: truncate(title, maxTitle), Description: desc, Priority: prio,
		}},
	}
}

// metricTask is the title and description of a missed target.
func metricTask(m v1alpha1.ProgramMetric) (string, string) {
	if m.Duration != nil {
		return durationTask(m)
	}
	var v float64
	if m.Value != nil {
		v = *m.Value
	}
	target := m.Target
	rate := func(what string) string {
		return fmt.Sprintf("Raise %s from %s to %s", what, pct(v), pctOf(target))
	}
	switch m.Name {
	case MetricActivationRate:
		what := "activation"
		if d, ok := window(m.Note); ok {
			what += " within " + d + " days"
		}
		return rate(what), "Partners who contribute early stay: standardise onboarding so every partner knows its first sale, lead or referral, and follow up with those who have not contributed."
	case MetricRevenuePerSupportHour:
		return fmt.Sprintf("Raise revenue per support hour from %s to %s", money(v), target),
			"Revenue per partner should grow faster than the support it needs: shared dashboards and self-service answers replace one-to-one coordination."
	case MetricAutomationSuccessRate:
		return rate("workflow automation"), "Automate reporting, notifications, approvals and data updates so routine partner work needs no person."
	case MetricRetentionRate:
		what := "retention"
		if d, ok := window(m.Note); ok {
			what = d + "-day retention"
		}
		return rate(what), "Find why partners leave in their first months: misaligned incentives and poor communication break partnerships faster than poor performance."
	case MetricConversionRate:
		return rate("partner conversion"), "Co-market with the partners whose traffic converts least: shared campaigns, better landing pages, clearer offers."
	case MetricReferralsPerPartner:
		return fmt.Sprintf("Raise referrals per active partner from %s to %s", money(v), target),
			"Make referring easy and rewarded: each partner who brings another strengthens the network."
	}
	return fmt.Sprintf("Bring %s from %s to %s", m.Name, formatNumber(v), target), ""
}

// durationTask is the title and description of a missed target of a
// metric measured in time.
func durationTask(m v1alpha1.ProgramMetric) (string, string) {
	d := m.Duration.Duration
	switch m.Name {
	case MetricOnboardingP50, MetricOnboardingP90:
		pctl := strings.TrimPrefix(m.Name, "onboarding")
		title := fmt.Sprintf("Cut onboarding %s from %s to %s days", strings.ToLower(pctl), days(d), daysOf(m.Target))
		return title, "Onboarding should take the same steps, tools and expectations for every partner: automate the slow steps so new partners are operational without weeks of coordination."
	}
	return fmt.Sprintf("Bring %s from %s to %s", m.Name, d, m.Target), ""
}

// riskTask is the title, description and priority of a risk's task.
func riskTask(r v1alpha1.Risk) (string, string, v1alpha1.Priority) {
	first, _, _ := strings.Cut(r.Message, "; ")
	switch r.Name {
	case RiskOvercomplicatedStructure:
		return "Simplify the partner program: " + first,
			"Complexity is the enemy of scale (seed 003): fewer steps, fewer types and flat revenue shares let any new partner be onboarded without internal coordination. Found: " + r.Message + ".",
			v1alpha1.PriorityMedium
	case RiskMisalignedIncentives:
		return "Realign revenue shares: " + first,
			"Reward every type for the same outcome: a share that does not follow results pushes partners toward other priorities. Found: " + r.Message + ".",
			v1alpha1.PriorityMedium
	case RiskOnboardingBottleneck:
		title := "Cut onboarding time: " + first
		if m := stallPattern.FindStringSubmatch(r.Message); m != nil {
			title = fmt.Sprintf("Automate the %s step: %s of onboarding partners stall there", m[2], m[1])
		}
		return title,
			"Growth phases expose every manual step: automate or staff the step where partners wait before admitting more. Found: " + r.Message + ".",
			v1alpha1.PriorityHigh
	}
	return r.Name + ": " + first, r.Message, v1alpha1.PriorityMedium
}

// window reads the days back from a windowed rate's note.
func window(note string) (string, bool) {
	var d string
	if _, err := fmt.Sscanf(note, "window %s days", &d); err != nil {
		return "", false
	}
	return d, true
}

// pctOf writes a rate target as a percentage; as given when not a number.
func pctOf(target string) string {
	var x float64
	if _, err := fmt.Sscan(target, &x); err != nil || math.IsNaN(x) {
		return target
	}
	return pct(x)
}

// daysOf writes a duration target in days; as given when not a duration.
func daysOf(target string) string {
	d, err := time.ParseDuration(target)
	if err != nil {
		return target
	}
	return days(d)
}

// kebab writes a camel-case name in kebab-case: activationRate becomes
// activation-rate, onboardingP90 onboarding-p90.
func kebab(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 4)
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Resolver says whether a task's gap has closed: its key is no longer
// among the gaps (the target is met or no longer judged, the risk gone, or
// the program moved to another stage).
func Resolver(gaps []tasks.Gap) func(tasks.Key) tasks.Resolution {
	open := make(map[tasks.Key]bool, len(gaps))
	for _, g := range gaps {
		open[g.Key] = true
	}
	return func(k tasks.Key) tasks.Resolution {
		if open[k] {
			return tasks.Resolution{Reason: v1alpha1.ReasonGapOpen, Message: fmt.Sprintf("%s/%s is still open", k.Stream, k.Objective)}
		}
		return tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed, Message: fmt.Sprintf("%s/%s no longer needs work", k.Stream, k.Objective)}
	}
}
