package supportplan

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// Interval is how often a plan is projected again when nothing it reads
// changes: the horizon moves with the calendar.
const Interval = time.Hour

// Compile compiles a plan's stage model. The controller passes its shared
// maturity.Cache, so the rules compile once per plan generation.
type Compile func(*v1alpha1.MaturityModelSpec) (*maturity.Model, []maturity.FieldError)

// SpecError is a plan the pass cannot project. Reason is
// v1alpha1.ReasonInvalidSpec (only a spec change helps), ReasonInvalidRule
// (a stage rule does not compile; likewise) or ReasonInvalidInput (a number
// that comes from a metric is out of range: a new value can fix it).
type SpecError struct {
	Reason, Message string
}

func (e *SpecError) Error() string { return e.Message }

// Stalls says only a change of the spec can help.
func (e *SpecError) Stalls() bool { return e.Reason != v1alpha1.ReasonInvalidInput }

// Result is one evaluation of a plan: either Err, or everything the
// controller writes.
type Result struct {
	Err *SpecError
	// Input, Projection, Model and Stages are what ApplyTo writes into
	// the status.
	Input      support.Input
	Projection support.Projection
	Model      *maturity.Model
	Stages     maturity.Result
	// Conditions are the plan's domain conditions (capacity, channels,
	// self-service, AI hand-off, target stage), as data: the controller
	// stamps them with the generation and the time of the pass.
	Conditions []metav1.Condition
	// Gaps are the tasks to keep open, Resolve judges the others.
	Gaps    []tasks.Gap
	Resolve func(tasks.Key) tasks.Resolution
	// Requeue is when to project again.
	Requeue time.Duration
}

// Evaluate projects the plan at now on the values of its metric sources,
// judges its findings and evaluates its stage rules (compiled by compile).
// Every check of the spec comes before any result, so a plan in error
// leaves its status as the last good pass wrote it.
func Evaluate(spec *v1alpha1.SupportPlanSpec, metrics maturity.Metrics, compile Compile, now time.Time) Result {
	in, err := Input(spec, metrics, now)
	if err != nil {
		return failed(v1alpha1.ReasonInvalidSpec, err.Error())
	}
	if errs := support.Validate(in); len(errs) > 0 {
		msg := errs[0].Error()
		if len(errs) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(errs)-1)
		}
		if len(spec.MetricInputs) > 0 {
			// The number may come from a metric: a new value can fix it.
			r := failed(v1alpha1.ReasonInvalidInput, msg)
			r.Requeue = Interval
			return r
		}
		return failed(v1alpha1.ReasonInvalidSpec, msg)
	}
	projection, err := support.Project(in)
	if err != nil {
		return failed(v1alpha1.ReasonInvalidSpec, err.Error())
	}
	// The admission webhook refuses the same errors (CheckStages); this
	// catches a plan admitted before it or without it.
	model, errs := compile(StageModel(spec))
	if len(errs) > 0 {
		return failed(v1alpha1.ReasonInvalidRule, WhereWritten(spec, errs[:1])[0].Error())
	}
	all := maturity.Metrics{}
	for k, v := range metrics {
		all[k] = v
	}
	for k, v := range Figures(in, projection, spec) {
		all[k] = v
	}
	target, _ := model.LevelIndex(string(spec.TargetStage))
	eval := model.Evaluate(all, target)

	findings := Findings(spec, in, projection)
	conds := make([]metav1.Condition, 0, len(findings)+1)
	for _, f := range findings {
		conds = append(conds, condition(f.Type, f.OK, f.Reason, f.Message))
	}
	stage := string(v1alpha1.StagePreRevenue)
	if levels := model.Levels(); eval.CurrentLevel >= 0 && eval.CurrentLevel < len(levels) {
		stage = levels[eval.CurrentLevel]
	} else {
		stage = "below " + stage
	}
	reason := v1alpha1.ReasonBelowTarget
	if eval.TargetMet() {
		reason = v1alpha1.ReasonTargetReached
	}
	conds = append(conds, condition(v1alpha1.ConditionTargetStageReached, eval.TargetMet(), reason,
		fmt.Sprintf("support is at %s, target %s", stage, spec.TargetStage)))
	return Result{
		Input: in, Projection: projection, Model: model, Stages: eval, Conditions: conds,
		Gaps: Gaps(findings), Resolve: Resolver(findings), Requeue: Interval,
	}
}

// ApplyTo writes the projection and the stages into the status fields the
// evaluation owns.
func (r Result) ApplyTo(st *v1alpha1.SupportPlanStatus) {
	ApplyStatus(st, r.Input, r.Projection)
	ApplyStages(st, r.Model, r.Stages)
}

func failed(reason, message string) Result {
	return Result{Err: &SpecError{Reason: reason, Message: message}}
}

func condition(typ string, ok bool, reason, message string) metav1.Condition {
	st := metav1.ConditionFalse
	if ok {
		st = metav1.ConditionTrue
	}
	return metav1.Condition{Type: typ, Status: st, Reason: reason, Message: message}
}
