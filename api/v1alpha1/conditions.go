package v1alpha1

// Condition types. Ready, Reconciling and Stalled follow kstatus and describe
// reconcile health only; the business outcome lives in domain conditions
// (TargetMet, MetricsAvailable, Resolved, Overdue) so an unmet business target
// never blocks a GitOps sync or marks an Argo CD application Degraded.
const (
	// ConditionReady is True when the current generation was reconciled
	// successfully on fresh inputs. Every kind has exactly one Ready condition.
	ConditionReady = "Ready"
	// ConditionReconciling is present (and True) only while work is in flight.
	ConditionReconciling = "Reconciling"
	// ConditionStalled is present (and True) only when the object cannot make
	// progress without a change to its spec or to an object it references.
	ConditionStalled = "Stalled"

	// ConditionTargetMet is True when a MaturityTarget's business has reached
	// its target level. `kubectl wait --for=condition=TargetMet` waits on it.
	ConditionTargetMet = "TargetMet"
	// ConditionMetricsAvailable is False when a metric that a rule reads is
	// missing from every referenced MetricSource or is stale.
	ConditionMetricsAvailable = "MetricsAvailable"
	// ConditionStale is True on a MetricSource whose values are older than maxAge.
	ConditionStale = "Stale"

	// ConditionCapacitySufficient is True when the team has the heroes
	// every peak in the horizon needs.
	ConditionCapacitySufficient = "CapacitySufficient"
	// ConditionChannelMixEfficient is True when phone and video carry no
	// more than the efficient share of contacts.
	ConditionChannelMixEfficient = "ChannelMixEfficient"
	// ConditionSelfServiceHealthy is True when self-service deflects at
	// least its target share.
	ConditionSelfServiceHealthy = "SelfServiceHealthy"
	// ConditionHumanHandoffConfigured is False when AI answers customers
	// without a way to reach a human.
	ConditionHumanHandoffConfigured = "HumanHandoffConfigured"
	// ConditionTargetStageReached is True when the team reached its target
	// stage: `kubectl wait --for=condition=TargetStageReached`.
	ConditionTargetStageReached = "TargetStageReached"

	// ConditionTargetsMet is True when every judged partner-program target
	// holds.
	ConditionTargetsMet = "TargetsMet"
	// ConditionExpansionOpen is True while a program admits new partners.
	ConditionExpansionOpen = "ExpansionOpen"
	// ConditionReadyForPartners is True when a program's business has
	// reached the readiness gate's minimum level (or the program has no
	// gate); False holds the expansion (spec.readiness.whileNotReady).
	ConditionReadyForPartners = "ReadyForPartners"
	// ConditionAdmitted is True on a partner the program admitted.
	ConditionAdmitted = "Admitted"
	// ConditionOnboarded is True on a partner that completed every step.
	ConditionOnboarded = "Onboarded"

	// ConditionResolved is True on a ProjectTask whose gap has closed.
	ConditionResolved = "Resolved"
	// ConditionOverdue is True on an open ProjectTask past its due date.
	ConditionOverdue = "Overdue"
	// ConditionNotified is True when the task-events sink acknowledged the
	// task's latest transition, False (SinkUnavailable) while it is being
	// retried. Present only when a sink is configured. Not part of kstatus
	// health: an unreachable sink never makes a task Ready=False.
	ConditionNotified = "Notified"
)

// Condition reasons. They are CamelCase, as metav1.Condition requires, and
// stable: pipelines and alerts may match on them.
const (
	// ReasonSucceeded: the last reconcile of this generation succeeded.
	ReasonSucceeded = "Succeeded"
	// ReasonReconcileFailed: a transient error (an API call, a timeout)
	// interrupted the pass. The controller retries with backoff; the status
	// keeps the results of the last complete pass.
	ReasonReconcileFailed = "ReconcileFailed"
	// ReasonTaskApplyFailed: creating, updating or resolving a ProjectTask
	// failed. The controller retries with backoff; the status keeps the
	// results of the last complete pass.
	ReasonTaskApplyFailed = "TaskApplyFailed"

	// ReasonInvalidSpec: the spec is inconsistent in a way admission cannot see.
	ReasonInvalidSpec = "InvalidSpec"
	// ReasonInvalidRule: a CEL rule does not compile or does not return a bool.
	ReasonInvalidRule = "InvalidRule"
	// ReasonModelNotFound: the referenced MaturityModel does not exist yet;
	// the target waits for it (Reconciling).
	ReasonModelNotFound = "ModelNotFound"
	// ReasonModelNotReady: the referenced MaturityModel has invalid rules.
	ReasonModelNotReady = "ModelNotReady"
	// ReasonUnknownLevel: the target level (or a program's
	// spec.readiness.minimumLevel) is not one of the model's levels
	// (Stalled until the object or the model changes).
	ReasonUnknownLevel = "UnknownLevel"
	// ReasonInvalidInput: a number taken from a metric is out of range.
	ReasonInvalidInput = "InvalidInput"
	// ReasonMaturityTargetNotFound: the MaturityTarget a program's readiness
	// gate names does not exist yet; the program waits for it (Reconciling).
	ReasonMaturityTargetNotFound = "MaturityTargetNotFound"
	// ReasonMaturityTargetNotReady: the MaturityTarget a program's readiness
	// gate names has no level yet (not evaluated, its model missing, or
	// stalled); the program waits for it (Reconciling).
	ReasonMaturityTargetNotReady = "MaturityTargetNotReady"
	// ReasonProgramNotFound: the partner's PartnerProgram does not exist yet.
	ReasonProgramNotFound = "ProgramNotFound"
	// ReasonMetricSourceNotFound: a referenced MetricSource does not exist yet.
	ReasonMetricSourceNotFound = "MetricSourceNotFound"
	// ReasonMetricSourceNotReady: a referenced MetricSource has never
	// published values. A source that has keeps serving its last values
	// while it polls again or catches up with a spec edit.
	ReasonMetricSourceNotReady = "MetricSourceNotReady"
	// ReasonObjectNotFound: a SupportPlan or PartnerProgram an Objects
	// MetricSource names does not exist yet; the source waits for it
	// (Reconciling).
	ReasonObjectNotFound = "ObjectNotFound"
	// ReasonObjectNotReady: a SupportPlan or PartnerProgram an Objects
	// MetricSource names has not been evaluated yet (no status); the
	// source waits for it (Reconciling).
	ReasonObjectNotReady = "ObjectNotReady"

	// ReasonTargetReached: every objective meets the target level.
	ReasonTargetReached = "TargetReached"
	// ReasonBelowTarget: at least one objective is below the target level.
	ReasonBelowTarget = "BelowTarget"

	// ReasonAllMetricsPresent: every metric a rule reads has a fresh value.
	ReasonAllMetricsPresent = "AllMetricsPresent"
	// ReasonMetricsMissing: rules read metrics that no source provides.
	ReasonMetricsMissing = "MetricsMissing"
	// ReasonMetricsStale: a source's values are older than its maxAge.
	ReasonMetricsStale = "MetricsStale"
	// ReasonProviderUnavailable: the last poll of a provider failed as a
	// whole; the last good values are kept and count as stale.
	ReasonProviderUnavailable = "ProviderUnavailable"
	// ReasonMetricsFailed: some metrics of the last poll failed.
	ReasonMetricsFailed = "MetricsFailed"
	// ReasonDestinationNotAllowed: the operator's egress policy refuses the
	// address a source's URL resolves to (loopback, link-local, cloud
	// metadata... or outside the allowed CIDRs), or a redirect to another
	// scheme or host. The message names the class of the address.
	ReasonDestinationNotAllowed = "DestinationNotAllowed"
	// ReasonCredentialsUnavailable: a Secret or ConfigMap the source names
	// is missing or lacks the key (the source waits), or reading it failed
	// (the source retries with backoff).
	ReasonCredentialsUnavailable = "CredentialsUnavailable"
	// ReasonCredentialsNotOptedIn: a Secret or ConfigMap the source names
	// lacks the label growth.scaleup.io/metric-credentials: "true"
	// (LabelMetricCredentials), so the operator does not read it.
	ReasonCredentialsNotOptedIn = "CredentialsNotOptedIn"
	// ReasonFresh: a MetricSource's values are within maxAge.
	ReasonFresh = "Fresh"

	// ReasonCapacityCovered (CapacitySufficient=True): the heroes cover the
	// demand now and at every peak in the horizon.
	ReasonCapacityCovered = "CapacityCovered"
	// ReasonHeroesMissing (CapacitySufficient=False): a peak in the horizon,
	// or today's demand, needs more heroes than the team has.
	ReasonHeroesMissing = "HeroesMissing"
	// ReasonEfficientChannels (ChannelMixEfficient=True): phone and video
	// carry no more than the efficient share of contacts.
	ReasonEfficientChannels = "EfficientChannels"
	// ReasonTooMuchPhoneAndVideo (ChannelMixEfficient=False): phone and video
	// carry more than the efficient share of contacts.
	ReasonTooMuchPhoneAndVideo = "TooMuchPhoneAndVideo"
	// ReasonNoTarget (SelfServiceHealthy=True): the plan sets no
	// self-service target.
	ReasonNoTarget = "NoTarget"
	// ReasonTargetDeflectionReached (SelfServiceHealthy=True): self-service
	// deflects at least its target share of contacts.
	ReasonTargetDeflectionReached = "TargetDeflectionReached"
	// ReasonBelowTargetDeflection (SelfServiceHealthy=False): self-service
	// deflects less than its target share of contacts.
	ReasonBelowTargetDeflection = "BelowTargetDeflection"
	// ReasonAIDisabled (HumanHandoffConfigured=True): AI does not answer
	// customers, so no hand-off is needed.
	ReasonAIDisabled = "AIDisabled"
	// ReasonHandoffConfigured (HumanHandoffConfigured=True): AI hands
	// conversations to a hero on a named channel.
	ReasonHandoffConfigured = "HandoffConfigured"
	// ReasonHandoffMissing (HumanHandoffConfigured=False): AI answers
	// customers without a hand-off to a human hero.
	ReasonHandoffMissing = "HandoffMissing"

	// ReasonTargetsHeld (TargetsMet=True): every judged program target holds.
	ReasonTargetsHeld = "TargetsHeld"
	// ReasonTargetsMissed (TargetsMet=False): at least one program target
	// is missed; the message names them.
	ReasonTargetsMissed = "TargetsMissed"
	// ReasonOpen (ExpansionOpen=True): the program has no stages and admits
	// every partner.
	ReasonOpen = "Open"
	// ReasonSeatsFree (ExpansionOpen=True): the current expansion stage has
	// free seats.
	ReasonSeatsFree = "SeatsFree"
	// ReasonStageFull (ExpansionOpen=False): every seat of the current stage
	// is taken; new partners are waitlisted until the stage validates.
	ReasonStageFull = "StageFull"
	// ReasonBusinessNotReady (ExpansionOpen=False): the business is below the
	// readiness gate's minimum level and the program admits no new partner.
	ReasonBusinessNotReady = "BusinessNotReady"
	// ReasonNoReadinessGate (ReadyForPartners=True): the program sets no
	// spec.readiness.
	ReasonNoReadinessGate = "NoReadinessGate"
	// ReasonMinimumLevelReached (ReadyForPartners=True): the business is at
	// or above the readiness gate's minimum level.
	ReasonMinimumLevelReached = "MinimumLevelReached"
	// ReasonBelowMinimumLevel (ReadyForPartners=False): the business is below
	// the readiness gate's minimum level; the message names both levels.
	ReasonBelowMinimumLevel = "BelowMinimumLevel"
	// ReasonAdmitted (Admitted=True): the program admitted the partner.
	ReasonAdmitted = "Admitted"
	// ReasonWaitlisted (Admitted=False): the partner waits for a seat.
	ReasonWaitlisted = "Waitlisted"
	// ReasonStepsCompleted (Onboarded=True): every onboarding step is done.
	ReasonStepsCompleted = "StepsCompleted"
	// ReasonStepsPending (Onboarded=False): onboarding steps remain.
	ReasonStepsPending = "StepsPending"

	// ReasonGapClosed: the objective reached the task's level (Resolved=True;
	// and Overdue=False: a resolved task is never overdue).
	ReasonGapClosed = "GapClosed"
	// ReasonGapOpen: the objective is still below the task's level.
	ReasonGapOpen = "GapOpen"
	// ReasonOutOfScope: the task's level is above the current target level.
	ReasonOutOfScope = "OutOfScope"
	// ReasonExempted: an active exemption of the target (spec.exemptions)
	// excuses the task's objective (Resolved=True).
	ReasonExempted = "Exempted"
	// ReasonMetricsProvided: a measurement task's metrics all have values.
	// (An open measurement task, or an objective's task that cannot be
	// judged, has ReasonMetricsMissing.)
	ReasonMetricsProvided = "MetricsProvided"
	// ReasonPastDue: an open task's due date has passed.
	ReasonPastDue = "PastDue"
	// ReasonOnSchedule: the task is done or not yet due. (A resolved
	// task's Overdue condition has ReasonGapClosed.)
	ReasonOnSchedule = "OnSchedule"

	// ReasonDelivered (Notified=True): the task-events sink acknowledged
	// the task's latest transition.
	ReasonDelivered = "Delivered"
	// ReasonSinkUnavailable (Notified=False): the sink did not acknowledge
	// the latest transition (unreachable, or an error status); it is
	// retried with backoff.
	ReasonSinkUnavailable = "SinkUnavailable"
)

// Event reasons for the transitions no condition reason names. Every other
// Event the operator emits carries the reason of the condition whose change
// it announces (TargetReached, BelowTarget, PastDue, ProviderUnavailable...).
const (
	// ReasonLevelReached: a MaturityTarget's currentLevel rose.
	ReasonLevelReached = "LevelReached"
	// ReasonLevelLost: a MaturityTarget's currentLevel fell.
	ReasonLevelLost = "LevelLost"
	// ReasonExemptionLapsed: an exemption of a MaturityTarget expired, or
	// names an objective its model does not have (status.exemptions).
	ReasonExemptionLapsed = "ExemptionLapsed"
	// ReasonStageReached: a SupportPlan's currentStage rose.
	ReasonStageReached = "StageReached"
	// ReasonStageOpened: a PartnerProgram opened a new expansion stage.
	ReasonStageOpened = "StageOpened"
)
