// Package support projects the demand on a customer-service team a horizon
// ahead and says how many heroes (agents) each coming peak season needs and
// by when they must be hired.
//
// The package is pure: it has no Kubernetes client and no clock (Now is an
// input), and its input types are plain Go so the SupportPlan API can map
// onto them without this package importing api/.
//
// Model (all rates are per week):
//
//	demand(t)        = ContactsPerWeek * (1+YearlyGrowth)^(years since Now), years = days/365, continuous
//	minutes/contact  = sum over channels of share * handlingMinutes / concurrency
//	hero share       = (1-Deflection) * (1-AIContainment if AI is enabled, else 0)
//	hero hours       = demand * hero share * minutes/contact / 60
//	required heroes  = ceil(hero hours / (HoursPerHeroPerWeek * TargetUtilisation)), with a relative epsilon
//	peak demand      = max over the peak's remaining days d of demand(d) * product of the multipliers
//	                   of every peak season active on d (a season counts once, overlaps multiply)
//	hire by          = peak start - RampUp
//	hire now         = the peak lacks heroes and hire by is before Now: a hero
//	                   hired now is still ramping up when the peak starts
//	levers of a gap  = each alone, at the gap's demand: the heroes missing; the
//	                   share resolved without a hero that fits the team's hours;
//	                   the share of phone/video moved to the asynchronous mix
//	                   that does (see Levers)
//	peak dates       = fixed month-days, the n-th weekday of a month, Easter
//	                   (anonymous Gregorian computus) or explicit dates, each
//	                   with its actual dates in every year (see Peak)
package support

import "time"

// Channel is a contact channel.
type Channel string

// The channels a plan may use.
const (
	Phone     Channel = "Phone"
	Video     Channel = "Video"
	Chat      Channel = "Chat"
	SMS       Channel = "SMS"
	Email     Channel = "Email"
	Messaging Channel = "Messaging"
)

// KnownChannels lists the valid channels in display order.
var KnownChannels = []Channel{Phone, Video, Chat, SMS, Email, Messaging}

// Defaults and limits.
const (
	// DefaultTargetUtilisation applies when TargetUtilisation is 0.
	DefaultTargetUtilisation = 0.8
	// Year is the length of a year for growth compounding and the horizon.
	Year = 365 * 24 * time.Hour
	// DefaultHorizon applies when Horizon is 0.
	DefaultHorizon = Year
	// MaxHorizon is the longest horizon Validate accepts.
	MaxHorizon = 10 * Year
	// ShareTolerance is how far the channel shares may sum from 1.
	ShareTolerance = 0.001
	// HoursPerWeek bounds HoursPerHeroPerWeek.
	HoursPerWeek = 7 * 24
	// MaxHeroes is where head counts saturate for absurdly large demand,
	// so they always fit an int32 API field.
	MaxHeroes = 1<<31 - 1
)

// Upper bounds of the numbers Validate accepts, the same as the
// SupportPlan schema's: far beyond any real business, far below overflow.
// A number taken from a metric (spec.metricInputs) is held to them too, so
// every projection of a valid input is finite without saturating: at most
// MaxContactsPerWeek * (1+MaxYearlyGrowth)^10 years * MaxMultiplier^12
// overlapping peaks, about 1e53 contacts a week.
const (
	// MaxContactsPerWeek bounds ContactsPerWeek: a billion contacts a week.
	MaxContactsPerWeek = 1e9
	// MaxYearlyGrowth bounds YearlyGrowth: +10000% a year.
	MaxYearlyGrowth = 100
	// MaxMultiplier bounds a peak's Multiplier.
	MaxMultiplier = 100
	// MaxHandlingMinutes bounds a channel's HandlingMinutes: a day.
	MaxHandlingMinutes = 24 * 60
	// MaxConcurrency bounds a channel's Concurrency.
	MaxConcurrency = 20
)

// ChannelMix is one channel's share of contacts and cost to a hero.
type ChannelMix struct {
	Channel Channel
	// Share of all contacts arriving on this channel, 0..1; shares sum to 1.
	Share float64
	// HandlingMinutes is the hero time one contact takes, >= 0.
	HandlingMinutes float64
	// Concurrency is how many contacts a hero holds at once, >= 1; 0 means 1.
	Concurrency float64
}

// MonthDay is a day of the year, recurring every year. February 29 falls on
// February 28 in years that are not leap years.
type MonthDay struct {
	Month time.Month
	Day   int
}

// Peak is a recurring peak season in exactly one of four forms:
//
//   - fixed days: Start and End, both inclusive; End before Start means the
//     season wraps the new year (Dec 20 - Jan 5);
//   - Rule: the n-th (or last) weekday of a month, shifted and lasting a
//     number of days (Black Friday to Cyber Monday);
//   - Easter: an offset from Western Easter Sunday and a length;
//   - Dates: explicit date ranges, for events no calendar computes; a year
//     without an entry has no such peak.
//
// Every form yields at most one occurrence per year it is anchored in (the
// year of the month-day, the rule's month, Easter, or a range's start); an
// offset may move the occurrence into the neighbouring year.
type Peak struct {
	Name       string
	Start, End MonthDay
	Rule       *WeekdayRule
	Easter     *EasterRule
	Dates      []DateRange
	// Multiplier scales the weekly demand while the season is active, > 0.
	Multiplier float64
}

// WeekdayRule is the Week-th Weekday of Month (Week -1 is the last one),
// moved by OffsetDays and lasting Days days. Black Friday to Cyber Monday is
// {November, Thursday, 4, 1, 4}. A year whose month has no fifth such
// weekday has no occurrence for Week 5.
type WeekdayRule struct {
	Month      time.Month
	Weekday    time.Weekday
	Week       int
	OffsetDays int
	Days       int
}

// EasterRule is Western (Gregorian) Easter Sunday moved by OffsetDays and
// lasting Days days: Good Friday to Easter Monday is {-2, 4}.
type EasterRule struct {
	OffsetDays int
	Days       int
}

// Date is a civil date.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateRange is one explicit occurrence, Start and End inclusive.
type DateRange struct{ Start, End Date }

// Limits of the moving forms, the same as the SupportPlan schema's.
const (
	// MaxPeakDays bounds the length of a rule's, Easter's or a date range's
	// occurrence: a quarter of a year.
	MaxPeakDays = 92
	// MaxOffsetDays bounds the offset of a rule or from Easter (Corpus
	// Christi is Easter + 60).
	MaxOffsetDays = 92
	// MaxPeakDates bounds the explicit date ranges of one peak.
	MaxPeakDates = 20
)

// Input is everything a projection needs.
type Input struct {
	Now time.Time

	Heroes              int
	HoursPerHeroPerWeek float64
	// TargetUtilisation is the share of hours heroes spend on contacts,
	// 0 < u <= 1; 0 means DefaultTargetUtilisation.
	TargetUtilisation float64
	RampUp            time.Duration

	ContactsPerWeek float64
	// YearlyGrowth is the year-over-year growth: 0.3 = +30%/year, > -1.
	YearlyGrowth float64
	// Horizon is how far ahead to project; 0 means DefaultHorizon.
	Horizon time.Duration

	Peaks    []Peak
	Channels []ChannelMix

	// Deflection is the share of contacts self-service resolves, 0..1.
	Deflection float64
	AIEnabled  bool
	// AIContainment is the share of the remaining contacts AI resolves, 0..1.
	AIContainment     float64
	HandoffConfigured bool

	// Levers are the levers the plan accepts for closing a capacity gap;
	// empty accepts all (see Levers).
	Levers []Lever
}

// Projection is the result of Project. Every number is finite.
type Projection struct {
	// DemandNow is the contacts per week now.
	DemandNow float64
	// DemandAtHorizon is the contacts per week at Now+Horizon, without peaks.
	DemandAtHorizon float64
	// MinutesPerContact is the hero minutes one contact costs after the
	// channel mix and concurrency.
	MinutesPerContact float64
	// HeroContactShare is the share of contacts that reach a hero.
	HeroContactShare float64
	// RequiredHeroesNow is the head count the demand now needs.
	RequiredHeroesNow int
	// Peaks are the peak occurrences that start within [Now, Now+Horizon] or
	// are in progress at Now, ordered by start then name.
	Peaks []PeakProjection
	// NextPeak is a copy of Peaks[0], nil if there are no peaks.
	NextPeak *PeakProjection
	// CapacityGap is the largest shortfall of heroes, now or at any peak.
	CapacityGap int
	// NowLevers close the gap of today's demand; nil when there is none.
	NowLevers *Levers
	// VolumePerHero is the hero-handled contacts per week per current hero
	// (0 when there are no heroes).
	VolumePerHero float64
	// HoursPerHero is the contact work hours per week per current hero
	// (0 when there are no heroes).
	HoursPerHero float64
	// PhoneVideoShare is the share of contacts on Phone and Video.
	PhoneVideoShare float64
}

// PeakProjection is one occurrence of a peak season.
type PeakProjection struct {
	Name string
	// Start is midnight (in Now's location) of the first day; it is before
	// Now when the peak is in progress.
	Start time.Time
	// End is midnight (in Now's location) of the last day, inclusive.
	End time.Time
	// WeeklyDemand is the contacts per week on the busiest remaining day of
	// the occurrence: growth to that day times the product of the
	// multipliers of every season active on it.
	WeeklyDemand   float64
	RequiredHeroes int
	// Gap is max(0, RequiredHeroes - Heroes).
	Gap int
	// Levers close the gap at WeeklyDemand; nil when Gap is 0.
	Levers *Levers
	// HireBy is Start - RampUp: a hire made later is not productive in time.
	// It is never after Start (RampUp >= 0), and it stays the computed
	// instant even once it has passed.
	HireBy time.Time
	// HireNow is true when the peak lacks heroes (Gap > 0) and HireBy is
	// before Now, so the ramp-up can no longer end by Start: the heroes are
	// to be hired at once. HireBy is the first instant of its day for a
	// ramp-up of whole days, so on the hire-by day itself HireNow is already
	// true, the same instant a task due on HireBy turns overdue. A peak in
	// progress that lacks heroes always has HireNow.
	HireNow bool
}
