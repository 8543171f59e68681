package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SupportStage is a customer-service maturity stage (seed 002).
// +kubebuilder:validation:Enum=PreRevenue;RevenueTransition;RevenueGeneration
type SupportStage string

// Support stages, lowest first.
const (
	StagePreRevenue        SupportStage = "PreRevenue"
	StageRevenueTransition SupportStage = "RevenueTransition"
	StageRevenueGeneration SupportStage = "RevenueGeneration"
)

// SupportLever is a way to close a capacity gap (seed 002: hiring, channel
// expansion or technology).
// +kubebuilder:validation:Enum=Hire;Deflect;ShiftChannels
type SupportLever string

// The levers, in the order ties between them are broken.
const (
	LeverHire          SupportLever = "Hire"
	LeverDeflect       SupportLever = "Deflect"
	LeverShiftChannels SupportLever = "ShiftChannels"
)

// SupportChannelName is a way customers reach the team.
// +kubebuilder:validation:Enum=Phone;Video;Chat;SMS;Email;Messaging
type SupportChannelName string

// SupportPlanSpec declares the stage a support team must reach and the facts
// of the team, its demand, its peaks and its channels.
type SupportPlanSpec struct {
	// business is the name of the business, as people know it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	Business string `json:"business"`

	// targetStage is the stage to reach.
	// +required
	TargetStage SupportStage `json:"targetStage"`

	// metricSources name MetricSources in this namespace, merged in order
	// (a later one wins). Their values feed metricInputs and stage rules.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	MetricSources []LocalObjectReference `json:"metricSources,omitempty"`

	// metricInputs take spec numbers from metrics instead: a metric present
	// in the sources replaces the number written in the spec.
	// +optional
	// +listType=map
	// +listMapKey=field
	// +kubebuilder:validation:MaxItems=10
	MetricInputs []MetricInput `json:"metricInputs,omitempty"`

	// team is the support team today.
	// +required
	Team SupportTeam `json:"team"`

	// demand is the contact volume today and its growth.
	// +required
	Demand SupportDemand `json:"demand"`

	// peakSeasons recur every year and multiply demand while they last.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=12
	PeakSeasons []PeakSeason `json:"peakSeasons,omitempty"`

	// channels is the channel mix; shares sum to 1 (within 0.001).
	// +required
	// +listType=map
	// +listMapKey=channel
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=6
	// +kubebuilder:validation:XValidation:rule="self.map(c, c.share).sum() >= 0.999 && self.map(c, c.share).sum() <= 1.001",message="spec.channels shares must sum to 1 (within 0.001)"
	Channels []SupportChannel `json:"channels"`

	// selfService is the share of contacts resolved without a hero.
	// +optional
	SelfService *SelfService `json:"selfService,omitempty"`

	// ai is the automated first line, if any.
	// +optional
	AI *SupportAI `json:"ai,omitempty"`

	// stages are the rules per stage, CEL over `metrics`: the values of the
	// metric sources plus the plan's own figures (requiredHeroes,
	// phoneVideoShare, deflection, ...). Empty uses the defaults of seed 002.
	// +optional
	// +listType=map
	// +listMapKey=stage
	// +kubebuilder:validation:MaxItems=3
	Stages []StageRules `json:"stages,omitempty"`

	// levers are the ways the business accepts to close a capacity gap:
	// Hire, Deflect (self-service and AI), ShiftChannels (phone and video
	// to chat, SMS, email, messaging). Every gap's status shows all three;
	// its task proposes the accepted one needing the smallest relative
	// change. Empty or absent accepts all.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=3
	Levers []SupportLever `json:"levers,omitempty"`

	// tasks is the policy for generated ProjectTasks.
	// +optional
	// +kubebuilder:default={}
	Tasks *TaskPolicy `json:"tasks,omitempty"`
}

// MetricInput reads one spec number from a metric.
type MetricInput struct {
	// field is the spec number to replace.
	// +required
	// +kubebuilder:validation:Enum=team.heroes;team.hoursPerHeroPerWeek;demand.contactsPerWeek;demand.yearlyGrowth;selfService.deflection;ai.containment
	Field string `json:"field"`
	// metric is the metric's name in the sources.
	// +required
	// +kubebuilder:validation:Pattern=`^[A-Za-z_][A-Za-z0-9_]{0,62}$`
	Metric string `json:"metric"`
}

// SupportTeam is the team of "heroes" answering customers.
type SupportTeam struct {
	// heroes is the number of people answering customers, at most 100000.
	// +required
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100000
	Heroes int32 `json:"heroes"`
	// hoursPerHeroPerWeek is the time each hero spends on contacts, at
	// most 168 (a week).
	// +optional
	// +kubebuilder:default=40
	// +kubebuilder:validation:XValidation:rule="self > 0.0 && self <= 168.0",message="spec.team.hoursPerHeroPerWeek must be in (0, 168]"
	HoursPerHeroPerWeek *float64 `json:"hoursPerHeroPerWeek,omitempty"`
	// targetUtilisation is the share of those hours that may be busy.
	// +optional
	// +kubebuilder:default=0.8
	// +kubebuilder:validation:XValidation:rule="self > 0.0 && self <= 1.0",message="spec.team.targetUtilisation must be in (0, 1]"
	TargetUtilisation *float64 `json:"targetUtilisation,omitempty"`
	// rampUp is how long a new hire takes to become productive.
	// +optional
	// +kubebuilder:default="720h"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	RampUp *metav1.Duration `json:"rampUp,omitempty"`
}

// SupportDemand is the contact volume and its growth.
type SupportDemand struct {
	// contactsPerWeek reaching the business today, at most 1e9. A metric
	// that replaces it (metricInputs) is held to the same bound.
	// +required
	// +kubebuilder:validation:XValidation:rule="self >= 0.0",message="spec.demand.contactsPerWeek must not be negative"
	// +kubebuilder:validation:Maximum=1e9
	ContactsPerWeek float64 `json:"contactsPerWeek"`
	// yearlyGrowth is the year-over-year growth, 0.3 for +30%; above -1
	// and at most 100 (+10000%), from a metric too.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self > -1.0 && self <= 100.0",message="spec.demand.yearlyGrowth must be in (-1, 100]"
	YearlyGrowth float64 `json:"yearlyGrowth,omitempty"`
	// horizon is how far ahead to project.
	// +optional
	// +kubebuilder:default="8760h"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	Horizon *metav1.Duration `json:"horizon,omitempty"`
}

// PeakSeason is a recurring period of higher demand, in exactly one of four
// forms: fixed days (start and end), a weekday rule (rule), an offset from
// Easter (easter) or explicit dates (dates).
// +kubebuilder:validation:XValidation:rule="(has(self.start) || has(self.end) ? 1 : 0) + (has(self.rule) ? 1 : 0) + (has(self.easter) ? 1 : 0) + (has(self.dates) ? 1 : 0) == 1",message="spec.peakSeasons: set exactly one of start and end, rule, easter or dates"
// +kubebuilder:validation:XValidation:rule="has(self.start) == has(self.end)",message="spec.peakSeasons: start and end go together"
// +kubebuilder:validation:XValidation:rule="!has(self.start) || !has(self.end) || self.end >= self.start || (has(self.wrapsNewYear) && self.wrapsNewYear)",message="end is before start: set wrapsNewYear: true for a peak across the new year"
// +kubebuilder:validation:XValidation:rule="!has(self.wrapsNewYear) || !self.wrapsNewYear || has(self.start)",message="spec.peakSeasons: wrapsNewYear applies to start and end only"
type PeakSeason struct {
	// name of the peak, for example BlackFriday.
	// +required
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +kubebuilder:validation:MaxLength=40
	Name string `json:"name"`
	// start is the first day, MM-DD, every year (with end).
	// +optional
	// +kubebuilder:validation:Pattern=`^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	// +kubebuilder:validation:MaxLength=5
	Start string `json:"start,omitempty"`
	// end is the last day, MM-DD (with start).
	// +optional
	// +kubebuilder:validation:Pattern=`^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	// +kubebuilder:validation:MaxLength=5
	End string `json:"end,omitempty"`
	// wrapsNewYear must be set when end is before start (12-20 to 01-05),
	// so that a swapped start and end is an error, not a 360-day peak.
	// +optional
	WrapsNewYear bool `json:"wrapsNewYear,omitempty"`
	// rule places the peak on the n-th (or last) weekday of a month every
	// year: Black Friday to Cyber Monday is {month: 11, weekday: Thursday,
	// week: 4, offsetDays: 1, days: 4}.
	// +optional
	Rule *PeakRule `json:"rule,omitempty"`
	// easter places the peak relative to Western (Gregorian) Easter Sunday
	// every year: Good Friday to Easter Monday is {offsetDays: -2, days: 4}.
	// +optional
	Easter *EasterPeak `json:"easter,omitempty"`
	// dates lists the peak's dates for the years it has them, for events
	// no calendar computes (a marketplace's sale days); a year without an
	// entry has no such peak.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=20
	Dates []PeakDates `json:"dates,omitempty"`
	// multiplier of demand during the peak, at most 100.
	// +required
	// +kubebuilder:validation:XValidation:rule="self > 0.0 && self <= 100.0",message="multiplier must be in (0, 100]"
	Multiplier float64 `json:"multiplier"`
}

// Weekday is a day of the week.
// +kubebuilder:validation:Enum=Monday;Tuesday;Wednesday;Thursday;Friday;Saturday;Sunday
type Weekday string

// PeakRule is the week-th weekday of month (week -1 is the last), moved by
// offsetDays and lasting days. A year whose month has no fifth such weekday
// has no peak for week 5.
type PeakRule struct {
	// month, 1 to 12.
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=12
	Month int32 `json:"month"`
	// weekday the rule counts.
	// +required
	Weekday Weekday `json:"weekday"`
	// week is which of the month's weekdays, 1 to 5, or -1 for the last.
	// +required
	// +kubebuilder:validation:Minimum=-1
	// +kubebuilder:validation:Maximum=5
	// +kubebuilder:validation:XValidation:rule="self != 0",message="spec.peakSeasons.rule.week must be 1 to 5, or -1 for the last"
	Week int32 `json:"week"`
	// offsetDays moves the first day from that weekday, -92 to 92.
	// +optional
	// +kubebuilder:validation:Minimum=-92
	// +kubebuilder:validation:Maximum=92
	OffsetDays int32 `json:"offsetDays,omitempty"`
	// days is how long the peak lasts, 1 to 92.
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=92
	Days int32 `json:"days"`
}

// EasterPeak is Easter Sunday moved by offsetDays, lasting days.
type EasterPeak struct {
	// offsetDays moves the first day from Easter Sunday, -92 to 92 (Good
	// Friday is -2).
	// +optional
	// +kubebuilder:validation:Minimum=-92
	// +kubebuilder:validation:Maximum=92
	OffsetDays int32 `json:"offsetDays,omitempty"`
	// days is how long the peak lasts, 1 to 92.
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=92
	Days int32 `json:"days"`
}

// PeakDates is one year's dates of a peak, both inclusive, at most 92 days.
// +kubebuilder:validation:XValidation:rule="self.end >= self.start",message="spec.peakSeasons.dates: end is before start"
// +kubebuilder:validation:XValidation:rule="self.end - self.start <= duration('2184h')",message="spec.peakSeasons.dates: a peak lasts at most 92 days"
type PeakDates struct {
	// start is the first day, YYYY-MM-DD.
	// +required
	// +kubebuilder:validation:Format=date
	// +kubebuilder:validation:MaxLength=10
	Start string `json:"start"`
	// end is the last day, YYYY-MM-DD.
	// +required
	// +kubebuilder:validation:Format=date
	// +kubebuilder:validation:MaxLength=10
	End string `json:"end"`
}

// SupportChannel is one channel of the mix.
type SupportChannel struct {
	// channel name.
	// +required
	Channel SupportChannelName `json:"channel"`
	// share of contacts on this channel, 0..1.
	// +required
	// +kubebuilder:validation:XValidation:rule="self >= 0.0 && self <= 1.0",message="share must be in [0, 1]"
	Share float64 `json:"share"`
	// handlingMinutes a hero spends per contact, at most 1440 (a day).
	// +required
	// +kubebuilder:validation:XValidation:rule="self > 0.0 && self <= 1440.0",message="handlingMinutes must be in (0, 1440]"
	HandlingMinutes float64 `json:"handlingMinutes"`
	// concurrency is how many contacts a hero handles at once (chat: 2-3),
	// 1 to 20.
	// +optional
	// +kubebuilder:default=1
	// +kubebuilder:validation:XValidation:rule="self >= 1.0 && self <= 20.0",message="concurrency must be in [1, 20]"
	Concurrency *float64 `json:"concurrency,omitempty"`
}

// SelfService is the share of contacts customers resolve themselves.
type SelfService struct {
	// deflection today, 0..1.
	// +required
	// +kubebuilder:validation:XValidation:rule="self >= 0.0 && self <= 1.0",message="deflection must be in [0, 1]"
	Deflection float64 `json:"deflection"`
	// targetDeflection to reach, 0..1.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0 && self <= 1.0",message="targetDeflection must be in [0, 1]"
	TargetDeflection *float64 `json:"targetDeflection,omitempty"`
}

// SupportAI is an automated first line.
type SupportAI struct {
	// enabled says whether AI answers customers.
	// +required
	Enabled bool `json:"enabled"`
	// containment is the share of contacts reaching the AI that it resolves.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0.0 && self <= 1.0",message="containment must be in [0, 1]"
	Containment float64 `json:"containment,omitempty"`
	// handoff is how a customer reaches a human; AI without it is flagged
	// (HumanHandoffConfigured=False) and gets a task.
	// +optional
	Handoff *HumanHandoff `json:"handoff,omitempty"`
}

// HumanHandoff says how AI hands a conversation to a hero.
type HumanHandoff struct {
	// channel the hero picks the conversation up on.
	// +required
	Channel SupportChannelName `json:"channel"`
	// description of the trigger (customer asks, low confidence, ...).
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Description string `json:"description,omitempty"`
}

// StageRules are the rules a stage requires, each a CEL rule over metrics.
type StageRules struct {
	// stage the rules guard.
	// +required
	Stage SupportStage `json:"stage"`
	// rules all must pass.
	// +required
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	Rules []NamedRule `json:"rules"`
}

// NamedRule is a CEL rule with a name.
type NamedRule struct {
	// name of the rule, a DNS label.
	// +required
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// rule is a CEL expression returning a bool over `metrics`.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Rule string `json:"rule"`
}
