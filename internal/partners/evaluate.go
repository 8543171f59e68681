package partners

import (
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// Interval bounds how long a program waits before it is evaluated again:
// windows (30, 90 days, validation) move with the calendar.
const Interval = time.Hour

// Inputs are what a program is judged on besides its partners: its
// readiness gate's decision and, from a metric source, the support hours
// (negative: none, the partners' own are summed).
type Inputs struct {
	Gate         Gate
	SupportHours float64
}

// Seat is an admission the program records on a Partner, as its
// admitted-at annotation: one metadata write, which a restore without status
// keeps. The Partner's own controller copies it into status.admittedAt in
// the status write it makes anyway for the new phase, so an admission costs
// no write of its own to the status.
type Seat struct {
	// Partner is the partner as it was listed; the controller writes a copy.
	Partner *v1alpha1.Partner
	At      time.Time
}

// Evaluation is everything a pass over a program writes.
type Evaluation struct {
	// Status holds the fields the evaluation owns: counts, metrics, stage,
	// capacity, targetsHeldSince, expansion and risks (see ApplyTo).
	Status v1alpha1.PartnerProgramStatus
	// Conditions are ReadyForPartners, TargetsMet and ExpansionOpen, as
	// data.
	Conditions []metav1.Condition
	// Seats are the admissions to record: new ones, and old ones a restore
	// left unrecorded on one side.
	Seats []Seat
	// History are the program's annotations to write before its status
	// ("" removes one); nil when they are up to date.
	History map[string]string
	// Gaps are the tasks to keep open, Resolve judges the others.
	Gaps    []tasks.Gap
	Resolve func(tasks.Key) tasks.Resolution
	// Requeue is when to evaluate again.
	Requeue time.Duration
}

// Evaluate judges a program at now: the phase of each of its partners
// (those that fit it; one that does not is stalled on its own and counts
// nowhere), the metrics, the expansion stage, the admissions first come
// first served into it, the risks, the gaps, and the history to record.
// members are only read.
func Evaluate(prog *v1alpha1.PartnerProgram, members []*v1alpha1.Partner, in Inputs, now time.Time) Evaluation {
	spec := &prog.Spec
	var seats []Seat
	// view is what the judgement reads: the member, or a copy carrying the
	// admission a restore left out of its status.
	var view []*v1alpha1.Partner
	for _, p := range members {
		if len(Validate(p, spec)) == 0 {
			view = append(view, p)
		}
	}
	sort.Slice(view, func(i, j int) bool { return view[i].Name < view[j].Name })
	admitted := make([]bool, len(view))
	for i, p := range view {
		at, ok := AdmittedAt(p, now)
		if !ok {
			continue
		}
		admitted[i] = true
		if !admissionRecorded(p, at) {
			seats = append(seats, Seat{Partner: p, At: at})
		}
		view[i] = admittedCopy(p, at)
	}
	states := make([]State, len(view))
	for i, p := range view {
		states[i] = Derive(p, spec, admitted[i], now)
	}
	metrics := Metrics(view, states, spec, in.SupportHours, now)
	met := TargetsMet(metrics)

	prevStage, held, recorded := expansionHistory(prog)
	stage := prevStage
	if !recorded {
		stage = seatingStage(spec, seated(admitted, states))
	}
	exp := ExpandGated(spec, stage, held, met, in.Gate, now)
	if !exp.Closed {
		for _, i := range Admit(view, admitted, exp.Capacity, now) {
			at := now.Truncate(time.Second)
			seats = append(seats, Seat{Partner: view[i], At: at})
			view[i], admitted[i] = admittedCopy(view[i], at), true
			states[i] = Derive(view[i], spec, true, now)
		}
	}

	risks := Risks(spec, view, states, metrics)
	st := programStatus(view, states, admitted, metrics, exp, risks)
	gaps := Gaps(metrics, risks, exp.Stage)
	conds := append([]metav1.Condition{condition(v1alpha1.ConditionReadyForPartners, in.Gate.Ready, in.Gate.Reason, in.Gate.Message)},
		programConditions(&st, met, admitted, states, exp)...)
	next := Interval
	if exp.NextCheck > 0 && exp.NextCheck < next {
		next = exp.NextCheck
	}
	return Evaluation{
		Status: st, Conditions: conds, Seats: seats, History: historyAnnotations(prog, prevStage, exp, now),
		Gaps: gaps, Resolve: Resolver(gaps), Requeue: next,
	}
}

// ApplyTo writes the fields the evaluation owns into st; conditions,
// tasks and observedGeneration are the controller's.
func (e Evaluation) ApplyTo(st *v1alpha1.PartnerProgramStatus) {
	s := e.Status
	st.Partners, st.Active, st.ByPhase, st.ByType = s.Partners, s.Active, s.ByPhase, s.ByType
	st.Metrics, st.Activation, st.Retention = s.Metrics, s.Activation, s.Retention
	st.Stage, st.Capacity, st.TargetsHeldSince, st.Expansion = s.Stage, s.Capacity, s.TargetsHeldSince, s.Expansion
	st.Risks = s.Risks
}

// admissionRecorded says whether p's admitted-at annotation records at: as
// it reads, or as the cache's compacted copy says it read
// (CompactedAdmissionRecorded, set only when it equals status.admittedAt,
// which at then is).
func admissionRecorded(p *v1alpha1.Partner, at time.Time) bool {
	return p.Annotations[v1alpha1.AnnotationAdmittedAt] == stamp(at) ||
		p.Status.CompactedAdmissionRecorded && p.Status.AdmittedAt != nil && p.Status.AdmittedAt.Time.Equal(at)
}

// admittedCopy is p with status.admittedAt at at, as it reads once the
// admission is recorded. The copy is shallow: it shares p's maps and
// lists, which the evaluation only reads. During an import most partners
// are admitted before their own status says so, and a deep copy of each
// at every pass was most of a pass's garbage.
func admittedCopy(p *v1alpha1.Partner, at time.Time) *v1alpha1.Partner {
	if p.Status.AdmittedAt != nil && p.Status.AdmittedAt.Equal(&metav1.Time{Time: at}) {
		return p
	}
	c := *p
	t := metav1.NewTime(at)
	c.Status.AdmittedAt = &t
	return &c
}
