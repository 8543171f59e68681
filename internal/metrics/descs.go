package metrics

import "github.com/prometheus/client_golang/prometheus"

// allDescs are every metric the Collector emits, in the order the text
// exposition writes them.
var allDescs []*metricDesc

// metricDesc is one gauge family: what Describe announces and what the
// text exposition writes in its HELP and TYPE lines.
type metricDesc struct {
	name, help string
	labels     []string
	prom       *prometheus.Desc
	index      int // position in allDescs
}

// desc builds a metric description named scaleup_<name>.
func desc(name, help string, labels ...string) *metricDesc {
	fq := prometheus.BuildFQName(Namespace, "", name)
	d := &metricDesc{name: fq, help: help, labels: labels, prom: prometheus.NewDesc(fq, help, labels, nil), index: len(allDescs)}
	allDescs = append(allDescs, d)
	return d
}

// The label sets. Every one is namespace/name of the object plus at most
// one enum.
var (
	object   = []string{"namespace", "name"}
	withEnum = func(enum string) []string { return []string{"namespace", "name", enum} }
)

// Metrics of the collector itself and of every kind.
var (
	descCollectorSuccess = desc("collector_success",
		"1 when the last scrape listed the kind from the manager's cache; 0 when the list failed and the kind's metrics are left out.", "kind")
	descObjectReady = desc("object_ready",
		"1 when the object's Ready condition is True, else 0.", "kind", "namespace", "name")
)

// MaturityTarget.
var (
	descTargetCurrentLevel = desc("maturitytarget_current_level",
		"Position of status.currentLevel among the model's levels, 1 for the first; 0 when no level is reached.", object...)
	descTargetTargetLevel = desc("maturitytarget_target_level",
		"Position of spec.targetLevel among the model's levels, 1 for the first.", object...)
	descTargetLevelInfo = desc("maturitytarget_current_level_info",
		"Always 1; the level label is status.currentLevel.", withEnum("level")...)
	descTargetPassing = desc("maturitytarget_objectives_passing",
		"Objectives meeting the target level (status.score.passed).", object...)
	descTargetObjectives = desc("maturitytarget_objectives",
		"Objectives of the model (status.score.total).", object...)
	descTargetStreamPassing = desc("maturitytarget_stream_objectives_passing",
		"Objectives of the stream meeting the target level.", withEnum("stream")...)
	descTargetStreamFailing = desc("maturitytarget_stream_objectives_failing",
		"Objectives of the stream below the target level.", withEnum("stream")...)
	descTargetStallCause = desc("maturitytarget_stall_cause_failing_objectives",
		"Objectives below the target level that the model links to the stall cause.", withEnum("cause")...)
	descTargetMet = desc("maturitytarget_target_met",
		"1 when the TargetMet condition is True, else 0.", object...)
	descTargetTrend = desc("maturitytarget_trend",
		"status.trend: 1 Improving, 0 Steady, -1 Declining (absent before the second history entry).", object...)
	descTargetScorePercent = desc("maturitytarget_score_percent",
		"Weighted share of the objectives meeting the target level (status.score.percent), when the model sets weights or keys.", object...)
	descTargetKeyFailing = desc("maturitytarget_key_objectives_failing",
		"Key objectives below the target level (status.score.keyFailing), when the model sets weights or keys.", object...)
	descTargetExempted = desc("maturitytarget_objectives_exempted",
		"Objectives that meet the target level through an active exemption, when the target has exemptions.", object...)
	descTargetShadowFailing = desc("maturitytarget_shadow_objectives_failing",
		"Objectives a shadow rule would hold back (status.shadow.objectives), when the model has shadow rules or levels.", object...)
	descTargetPendingLevel = desc("maturitytarget_pending_level",
		"Position of status.pendingLevel.level among the model's levels, 1 for the first, 0 below the lowest; absent when no change is pending.", object...)
	descTargetTasks = desc("maturitytarget_tasks",
		"The target's ProjectTasks by state: open, resolved, heldBack (status.tasks) and overdue.", withEnum("state")...)
)

// MetricSource.
var (
	descSourceValueAge = desc("metricsource_value_age_seconds",
		"Age of the oldest value (now minus its observedAt), in seconds.", object...)
	descSourceNewest = desc("metricsource_newest_value_timestamp_seconds",
		"observedAt of the newest value read without error, in Unix seconds. A poll that reads an unchanged number does not move it.", object...)
	descSourceValues = desc("metricsource_values",
		"Values in status.values.", object...)
	descSourceFailedValues = desc("metricsource_failed_values",
		"Values whose last read failed (an error in status.values).", object...)
	descSourceStale = desc("metricsource_stale",
		"1 when the Stale condition is True (values older than spec.maxAge), else 0.", object...)
	descSourcePollFailing = desc("metricsource_poll_failing",
		"1 for the category of the reason Ready is False, 0 for the other categories.", withEnum("category")...)
)

// SupportPlan.
var (
	descPlanStage = desc("supportplan_stage",
		"status.currentStage: 1 PreRevenue, 2 RevenueTransition, 3 RevenueGeneration; 0 when none is reached.", object...)
	descPlanTargetStage = desc("supportplan_target_stage",
		"spec.targetStage, numbered as scaleup_supportplan_stage.", object...)
	descPlanHeroes = desc("supportplan_heroes",
		"Heroes the plan counts (spec or metric).", object...)
	descPlanRequiredNow = desc("supportplan_required_heroes",
		"Heroes needed at today's demand.", object...)
	descPlanRequiredPeak = desc("supportplan_required_heroes_next_peak",
		"Heroes needed at the next peak (the first that has not ended).", object...)
	descPlanGap = desc("supportplan_capacity_gap",
		"Heroes missing at the worst point of the horizon.", object...)
	descPlanPeakGap = desc("supportplan_next_peak_gap",
		"Heroes missing at the next peak.", object...)
	descPlanPeakStart = desc("supportplan_next_peak_start_timestamp_seconds",
		"Start of the next peak, in Unix seconds.", object...)
	descPlanHireBy = desc("supportplan_hire_by_timestamp_seconds",
		"Last day to hire for the next peak, in Unix seconds.", object...)
	descPlanUntilHireBy = desc("supportplan_until_hire_by_seconds",
		"Seconds from now to the next peak's hire-by date (Grafana shows them in days); negative once it has passed.", object...)
	descPlanPhoneVideo = desc("supportplan_phone_video_share",
		"Share of contacts on phone and video, 0..1.", object...)
	descPlanDeflection = desc("supportplan_self_service_deflection",
		"spec.selfService.deflection, 0..1 (absent without self-service).", object...)
	descPlanHeroShare = desc("supportplan_hero_contact_share",
		"Share of contacts reaching heroes after self-service and AI, 0..1.", object...)
	descPlanDemand = desc("supportplan_demand_weekly",
		"Contacts per week now.", object...)
	descPlanTasks = desc("supportplan_tasks",
		"The plan's ProjectTasks by state: open, resolved, heldBack and overdue.", withEnum("state")...)
)

// PartnerProgram.
var (
	descProgramPartners = desc("partnerprogram_partners",
		"Partners of the program by phase.", withEnum("phase")...)
	descProgramMetric = desc("partnerprogram_metric_value",
		"A program metric (rates 0..1; onboardingP50/P90 in seconds); absent when the sample is too small.", withEnum("metric")...)
	descProgramSample = desc("partnerprogram_metric_sample",
		"Partners the program metric is computed over.", withEnum("metric")...)
	descProgramTarget = desc("partnerprogram_metric_target",
		"Target of the program metric from the spec (durations in seconds).", withEnum("metric")...)
	descProgramMet = desc("partnerprogram_metric_met",
		"1 when the program metric meets its target, 0 when it does not; absent without a value or a target.", withEnum("metric")...)
	descProgramStage = desc("partnerprogram_expansion_stage",
		"Position of status.stage among spec.expansion.stages, 1 for the first; 0 when admissions are open without stages.", object...)
	descProgramCapacity = desc("partnerprogram_capacity",
		"Partners the current stage admits (0 when open).", object...)
	descProgramRisks = desc("partnerprogram_risks_active",
		"Risks found (status.risks).", object...)
	descProgramTasks = desc("partnerprogram_tasks",
		"The program's ProjectTasks by state: open, resolved, heldBack and overdue.", withEnum("state")...)
)

// ProjectTask, by namespace and owner role.
var (
	descTasksOpen = desc("projecttasks_open",
		"ProjectTasks not resolved, by owner role.", "namespace", "role")
	descTasksOverdue = desc("projecttasks_overdue",
		"ProjectTasks whose Overdue condition is True, by owner role.", "namespace", "role")
)
