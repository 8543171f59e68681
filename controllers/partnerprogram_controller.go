package controllers

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/packed"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

const kindPartnerProgram = "PartnerProgram"

// supportHoursMetric is the program-level fact a metric source may give:
// support hours from a ticketing system, instead of the partners' sum.
const supportHoursMetric = "supportHours"

// PartnerProgramReconciler aggregates a program's partners from the cache,
// computes the scalability metrics, moves the expansion stage, admits
// partners first come first served, and opens tasks for failing metrics and
// risks.
type PartnerProgramReconciler struct {
	Client client.Client
	// Partners is the cache whose Partner informer holds
	// IndexPartnerProgram: a pass reads its partners there in place.
	Partners cache.Informers
	Recorder events.EventRecorder
	Clock    clock.PassiveClock
	// CoalesceWindow gathers the partner changes of a program into one
	// pass per window (DefaultPartnerCoalesceWindow when zero).
	CoalesceWindow time.Duration
}

// The program records its history, and its partners' admissions, in
// annotations (metadata patches).
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=partnerprograms,verbs=get;list;watch;patch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=partners,verbs=get;list;watch;patch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=partnerprograms/status,verbs=get;update;patch

// Reconcile evaluates the program and writes its status in one patch.
func (r *PartnerProgramReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	w := statusWriter[*v1alpha1.PartnerProgram]{client: r.Client, recorder: r.Recorder, statusOf: programStatus, transitions: programTransitions}
	return w.reconcile(ctx, req, r.Clock.Now(), &v1alpha1.PartnerProgram{}, r.reconcile)
}

func programStatus(p *v1alpha1.PartnerProgram) any { return p.Status }

func (r *PartnerProgramReconciler) reconcile(ctx context.Context, prog *v1alpha1.PartnerProgram, now time.Time) (ctrl.Result, error) {
	st := &prog.Status
	conds := conditionSetter{conditions: &st.Conditions, generation: prog.Generation, now: now}
	inputs, err := loadMetrics(ctx, r.Client, prog.Namespace, prog.Spec.MetricSources)
	if err != nil {
		return ctrl.Result{}, err
	}
	if waitForSources(conds, inputs) {
		return ctrl.Result{RequeueAfter: referenceWait}, nil
	}
	gated := r.readiness(ctx, prog, conds)
	if gated.done {
		return gated.result, gated.err
	}
	supportHours := -1.0
	if m, ok := inputs.metrics[supportHoursMetric]; ok {
		supportHours = m.Value
	}
	// The partners come from the informer's own index: no API call and no
	// List, however many partners the program has. The cache keeps them
	// packed: they are unpacked into an arena that the next pass reuses
	// (a pass at every partner change of a bulk import would otherwise
	// allocate a kilobyte per partner), and only read: admissions are
	// written to copies. Nothing of them outlives the pass.
	arena := takeArena()
	defer returnArena(arena)
	members, err := partnersOf(ctx, r.Partners, prog.Namespace, prog.Name, arena)
	if err != nil {
		return ctrl.Result{}, err
	}

	ev := partners.Evaluate(prog, members, partners.Inputs{Gate: gated.gate, SupportHours: supportHours}, now)
	// History first, status after: a pass interrupted between the two
	// leaves the facts where a restore without status finds them.
	if err := recordAnnotations(ctx, r.Client, prog, ev.History, true); err != nil {
		return ctrl.Result{}, err
	}
	if err := admitAll(ctx, r.Client, ev.Seats); err != nil {
		return ctrl.Result{}, err
	}
	ev.ApplyTo(st)
	counts, err := reconcileTasks(ctx, r.Client, taskOwner{kind: kindPartnerProgram, obj: prog}, taskGaps{
		gaps: ev.Gaps, resolve: ev.Resolve, policy: taskPolicy(prog.Spec.Tasks), trusted: inputs.trusted(),
	}, now)
	if err != nil {
		return ctrl.Result{}, err
	}
	st.Tasks = counts

	conds.apply(ev.Conditions)
	if len(inputs.stale) > 0 {
		conds.degraded(v1alpha1.ReasonMetricsStale, "stale MetricSource: "+strings.Join(inputs.stale, "; "))
	} else {
		conds.ready(fmt.Sprintf("%d partners evaluated", st.Partners))
	}
	st.ObservedGeneration = prog.Generation
	return ctrl.Result{RequeueAfter: ev.Requeue}, nil
}

// spareArena keeps one arena between program passes: a pass takes it, or
// a new one when another pass has it, and gives it back when there is
// room. One, not one per concurrent pass: an arena holds a whole program's
// partners (8 MiB per 10,000), and during an import passes follow each
// other more than they overlap. It is let go once no pass has taken it
// for a minute: a settled fleet does not keep a copy of its largest
// program.
var spareArena = &arenaSpare{idle: time.Minute}

func takeArena() *packed.Arena    { return spareArena.take() }
func returnArena(a *packed.Arena) { spareArena.give(a) }

// arenaSpare holds at most one arena, for at most idle after it was given.
type arenaSpare struct {
	idle  time.Duration
	mu    sync.Mutex
	arena *packed.Arena
	timer *time.Timer
}

func (s *arenaSpare) take() *packed.Arena {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.arena
	s.arena = nil
	if a == nil {
		a = &packed.Arena{}
	}
	return a
}

func (s *arenaSpare) give(a *packed.Arena) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.arena != nil {
		return
	}
	s.arena = a
	if s.timer == nil {
		s.timer = time.AfterFunc(s.idle, s.drop)
		return
	}
	s.timer.Reset(s.idle)
}

func (s *arenaSpare) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.arena = nil
}

// admissionWriters bounds the admission patches a pass has in flight.
// One after the other, a pass that admits a whole import (10,000 partners
// at ~5 ms a round trip) would hold the program's status, written after
// the admissions, back by most of a minute.
const admissionWriters = 8

// admitAll records the seats of a pass, admissionWriters at a time. Order
// among them does not matter: the evaluation chose the seats first come
// first served, and they all carry the time of the pass. The first error
// stops the rest and is returned; the next pass admits the seats left
// (an admitted partner keeps its seat, the others are still first in line).
func admitAll(ctx context.Context, c client.Client, seats []partners.Seat) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(admissionWriters)
	for _, seat := range seats {
		g.Go(func() error { return admit(ctx, c, seat) })
	}
	return g.Wait()
}

// admit records an admission: the partner's admitted-at annotation, which
// a restore without status keeps, written through a copy of its metadata
// (the partner is the pass's, only read). The annotation brings the
// partner to its own controller, which writes the admission into
// status.admittedAt with the partner's new phase, in one status write.
func admit(ctx context.Context, c client.Client, seat partners.Seat) error {
	p := seat.Partner
	m := &metav1.PartialObjectMetadata{TypeMeta: metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "Partner"},
		ObjectMeta: metav1.ObjectMeta{Namespace: p.Namespace, Name: p.Name, ResourceVersion: p.ResourceVersion, Annotations: p.Annotations}}
	if err := recordAnnotations(ctx, c, m, map[string]string{v1alpha1.AnnotationAdmittedAt: seat.At.UTC().Format(time.RFC3339)}, false); err != nil {
		return client.IgnoreNotFound(fmt.Errorf("admitting Partner %s: %w", p.Name, err))
	}
	return nil
}

// SetupWithManager registers the controller: any change to one of its
// partners (facts or phase) re-evaluates the program, at most once per
// CoalesceWindow (coalescing), and so does a change
// of level of the MaturityTarget its readiness gate names, or of that
// target's model.
func (r *PartnerProgramReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.PartnerProgram{}, builder.WithPredicates(specOrRequest())).
		Owns(&v1alpha1.ProjectTask{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1alpha1.Partner{}, newCoalescing(cmp.Or(r.CoalesceWindow, DefaultPartnerCoalesceWindow),
			clock.RealClock{}, programOfPartner).handler()).
		Watches(&v1alpha1.MetricSource{}, handler.EnqueueRequestsFromMapFunc(r.programsOfSource)).
		Watches(&v1alpha1.MaturityTarget{}, handler.EnqueueRequestsFromMapFunc(r.programsOfTarget),
			builder.WithPredicates(targetLevelChanged())).
		Watches(&v1alpha1.MaturityModel{}, handler.EnqueueRequestsFromMapFunc(r.programsOfModel),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("partnerprogram").
		WithOptions(opts).
		Complete(r)
}

// programOfPartner maps a partner, packed as the cache keeps it or whole,
// to its program.
func programOfPartner(_ context.Context, o client.Object) []reconcile.Request {
	program, ok := packed.ProgramOf(o)
	if !ok {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: program}}}
}

func (r *PartnerProgramReconciler) programsOfSource(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1alpha1.PartnerProgramList{}, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{IndexProgramMetricSources: o.GetName()})
}
