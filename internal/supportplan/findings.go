package supportplan

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// Finding is one domain condition of the plan and, when it is False, the
// gap a task should close.
type Finding struct {
	Type            string
	OK              bool
	Reason, Message string
	// Gaps are the tasks that close the finding (several for capacity:
	// one per peak that needs hires).
	Gaps []tasks.Gap
}

// Task streams: the first part of a task's key after the plan's name.
const (
	streamCapacity    = "capacity"
	streamChannels    = "channels"
	streamSelfService = "self-service"
	streamAI          = "ai"
)

// Findings judges capacity, channel mix, self-service and the AI hand-off.
// Gap keys carry the target stage as their level.
func Findings(spec *v1alpha1.SupportPlanSpec, in support.Input, p support.Projection) []Finding {
	level := string(spec.TargetStage)
	return []Finding{
		capacity(in, p, level),
		channelMix(p, level),
		selfService(spec, in, level),
		handoff(spec, level),
	}
}

func capacity(in support.Input, p support.Projection, level string) Finding {
	f := Finding{Type: v1alpha1.ConditionCapacitySufficient, OK: p.CapacityGap == 0}
	if f.OK {
		f.Reason, f.Message = v1alpha1.ReasonCapacityCovered, fmt.Sprintf("%s cover the demand now and at every peak in the horizon", heroes(in.Heroes))
		return f
	}
	f.Reason = v1alpha1.ReasonHeroesMissing
	var parts []string
	if now := p.RequiredHeroesNow - in.Heroes; now > 0 {
		parts = append(parts, fmt.Sprintf("now: %s more needed", heroes(now)))
		// Demand already exceeds the team: the hire is due today.
		f.Gaps = append(f.Gaps, tasks.Gap{
			Key:   tasks.Key{Stream: streamCapacity, Objective: "now", Level: level},
			Owner: v1alpha1.OwnerCustomerSupport,
			Due:   in.Now,
			Templates: []tasks.Template{{
				Title: withLevers(p.NowLevers, fmt.Sprintf("Hire %s now: today's demand needs %d", heroes(now), p.RequiredHeroesNow),
					func(action string) string {
						return fmt.Sprintf("%s now: today's demand needs %s", action, heroes(p.RequiredHeroesNow))
					}),
				Description: fmt.Sprintf("%.0f contacts a week already need %s; the team has %d.", p.DemandNow, heroes(p.RequiredHeroesNow), in.Heroes) +
					summary(p.NowLevers),
				Priority: v1alpha1.PriorityHigh,
			}},
		})
	}
	for _, pk := range p.Peaks {
		if pk.Gap == 0 {
			continue
		}
		msg, gap := peakGap(in, pk, level)
		parts = append(parts, msg)
		f.Gaps = append(f.Gaps, gap)
	}
	f.Message = strings.Join(parts, "; ")
	return f
}

// peakGap is the message part and the hire task of a peak that lacks
// heroes. The task's key is the peak's name and start year whatever its
// wording, so a task opened as "by <date>" is updated, not doubled, once
// the hire-by date passes. While hire-by is ahead (or is exactly now) the
// task reads "Hire N heroes by <hire-by> for <peak>" and is due on the
// hire-by date. Once it has passed (HireNow: on the hire-by day itself
// already, as hire-by is that day's first instant) the ramp-up ends after
// the peak starts: the task reads "Hire N heroes now for <peak>" and a new
// one is due now. No task is ever due before now; an open task keeps the
// due date it was opened with.
func peakGap(in support.Input, pk support.PeakProjection, level string) (string, tasks.Gap) {
	start, hireBy := pk.Start.Format(time.DateOnly), pk.HireBy.Format(time.DateOnly)
	msg := fmt.Sprintf("%s %s: %s needed, hire %d by %s", pk.Name, start, heroes(pk.RequiredHeroes), pk.Gap, hireBy)
	title := withLevers(pk.Levers, fmt.Sprintf("Hire %s by %s for %s", heroes(pk.Gap), hireBy, pk.Name),
		func(action string) string { return fmt.Sprintf("%s by %s for %s", action, hireBy, pk.Name) })
	desc := fmt.Sprintf("%s starting %s needs %d heroes at %.0f contacts a week; the team has %d. New hires need the ramp-up time before the peak.",
		pk.Name, start, pk.RequiredHeroes, pk.WeeklyDemand, in.Heroes)
	due := pk.HireBy
	if due.Before(in.Now) {
		due = in.Now
	}
	if pk.HireNow {
		msg = fmt.Sprintf("%s %s: %s needed, hire %d now (hire-by %s has passed)", pk.Name, start, heroes(pk.RequiredHeroes), pk.Gap, hireBy)
		title = withLevers(pk.Levers, fmt.Sprintf("Hire %s now for %s (ramp-up ends after it starts)", heroes(pk.Gap), pk.Name),
			func(action string) string { return fmt.Sprintf("%s now for %s", action, pk.Name) })
		desc = fmt.Sprintf("%s starting %s needs %d heroes at %.0f contacts a week; the team has %d. The hire-by date %s (the start minus the ramp-up) has passed: heroes hired now are still ramping up when it starts.",
			pk.Name, start, pk.RequiredHeroes, pk.WeeklyDemand, in.Heroes, hireBy)
		if !pk.Start.After(in.Now) {
			desc = fmt.Sprintf("%s started %s and needs %d heroes at %.0f contacts a week; the team has %d. Heroes hired now ramp up while it runs.",
				pk.Name, start, pk.RequiredHeroes, pk.WeeklyDemand, in.Heroes)
		}
	}
	desc += summary(pk.Levers)
	return msg, tasks.Gap{
		Key:       tasks.Key{Stream: streamCapacity, Objective: fmt.Sprintf("%s-%d", pk.Name, pk.Start.Year()), Level: level},
		Owner:     v1alpha1.OwnerCustomerSupport,
		Due:       due,
		Templates: []tasks.Template{{Title: title, Description: desc, Priority: v1alpha1.PriorityHigh}},
	}
}

// channelMix and selfService judge the shares as the plan publishes them
// (figures rounded to 0.01), so the condition agrees with the stage rules
// reading those figures and a message never reads "30%, more than 30%" or
// asks to move 0% of contacts.
func channelMix(p support.Projection, level string) Finding {
	share := round2(p.PhoneVideoShare)
	f := Finding{Type: v1alpha1.ConditionChannelMixEfficient, OK: share <= MaxPhoneVideoShare+1e-9}
	if f.OK {
		f.Reason, f.Message = v1alpha1.ReasonEfficientChannels, fmt.Sprintf("phone and video carry %.0f%% of contacts (at most %.0f%%)", share*100, MaxPhoneVideoShare*100)
		return f
	}
	move := math.Round((share - MaxPhoneVideoShare) * 100)
	f.Reason, f.Message = v1alpha1.ReasonTooMuchPhoneAndVideo, fmt.Sprintf("phone and video carry %.0f%% of contacts, more than %.0f%%", share*100, MaxPhoneVideoShare*100)
	f.Gaps = []tasks.Gap{{
		Key:   tasks.Key{Stream: streamChannels, Objective: "phone-video-share", Level: level},
		Owner: v1alpha1.OwnerCustomerSupport,
		Templates: []tasks.Template{{
			Title:       fmt.Sprintf("Move %.0f%% of contacts from phone/video to chat, SMS or email", move),
			Description: "Phone and video cost a hero's full attention per contact; chat, SMS and email let one hero serve several customers at once.",
			Priority:    v1alpha1.PriorityMedium,
		}},
	}}
	return f
}

func selfService(spec *v1alpha1.SupportPlanSpec, in support.Input, level string) Finding {
	f := Finding{Type: v1alpha1.ConditionSelfServiceHealthy, OK: true, Reason: v1alpha1.ReasonNoTarget, Message: "no self-service target set"}
	if spec.SelfService == nil || spec.SelfService.TargetDeflection == nil {
		return f
	}
	have, want := math.Round(in.Deflection*100), math.Round(*spec.SelfService.TargetDeflection*100)
	if have >= want {
		f.Reason, f.Message = v1alpha1.ReasonTargetDeflectionReached, fmt.Sprintf("self-service deflects %.0f%% of contacts (target %.0f%%)", have, want)
		return f
	}
	f.OK, f.Reason, f.Message = false, v1alpha1.ReasonBelowTargetDeflection, fmt.Sprintf("self-service deflects %.0f%% of contacts, target %.0f%%", have, want)
	f.Gaps = []tasks.Gap{{
		Key:   tasks.Key{Stream: streamSelfService, Objective: "deflection", Level: level},
		Owner: v1alpha1.OwnerCustomerSupport,
		Templates: []tasks.Template{{
			Title:       fmt.Sprintf("Raise self-service deflection from %.0f%% to %.0f%%", have, want),
			Description: "Make self-service intuitive: answers customers find themselves reduce the demand per hero.",
			Priority:    v1alpha1.PriorityMedium,
		}},
	}}
	return f
}

func handoff(spec *v1alpha1.SupportPlanSpec, level string) Finding {
	f := Finding{Type: v1alpha1.ConditionHumanHandoffConfigured, OK: true}
	switch {
	case spec.AI == nil || !spec.AI.Enabled:
		f.Reason, f.Message = v1alpha1.ReasonAIDisabled, "AI does not answer customers"
	case spec.AI.Handoff != nil:
		f.Reason, f.Message = v1alpha1.ReasonHandoffConfigured, fmt.Sprintf("AI hands conversations to a hero on %s", spec.AI.Handoff.Channel)
	default:
		f.OK, f.Reason, f.Message = false, v1alpha1.ReasonHandoffMissing, "AI answers customers without a hand-off to a human hero (spec.ai.handoff)"
		f.Gaps = []tasks.Gap{{
			Key:   tasks.Key{Stream: streamAI, Objective: "human-handoff", Level: level},
			Owner: v1alpha1.OwnerCustomerSupport,
			Templates: []tasks.Template{{
				Title:       "Configure human hand-off for AI answers",
				Description: "Use AI only with a clear hand-off to a human: customers stuck with a bot leave.",
				Priority:    v1alpha1.PriorityCritical,
			}},
		}}
	}
	return f
}

// Resolver says whether a task's finding has cleared: its key is no
// longer among the gaps.
func Resolver(findings []Finding) func(tasks.Key) tasks.Resolution {
	open := map[tasks.Key]bool{}
	for _, f := range findings {
		for _, g := range f.Gaps {
			open[g.Key] = true
		}
	}
	return func(k tasks.Key) tasks.Resolution {
		if open[k] {
			return tasks.Resolution{Reason: v1alpha1.ReasonGapOpen, Message: fmt.Sprintf("%s/%s is still open", k.Stream, k.Objective)}
		}
		return tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed, Message: fmt.Sprintf("%s/%s no longer needs work", k.Stream, k.Objective)}
	}
}

// Gaps lists the gaps of every finding, in finding order.
func Gaps(findings []Finding) []tasks.Gap {
	var out []tasks.Gap
	for _, f := range findings {
		out = append(out, f.Gaps...)
	}
	return out
}

// withLevers is a capacity task's title: hire when hiring is proposed (or
// the levers are unknown), else the proposed lever's action put in place.
func withLevers(l *support.Levers, hire string, other func(action string) string) string {
	if l == nil || l.Proposed == support.LeverHire {
		return hire
	}
	return other(leverAction(l))
}

// summary is the levers' paragraph of a capacity task's description.
func summary(l *support.Levers) string {
	if l == nil {
		return ""
	}
	return " " + leverSummary(l)
}

func heroes(n int) string {
	if n == 1 {
		return "1 hero"
	}
	return fmt.Sprintf("%d heroes", n)
}
