package controllers

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/cachestore"
	"github.com/scaleup-operator/scaleup-operator/internal/packed"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

// DefaultPartnerCalendarInterval is how often the partners' phases are
// derived again from the calendar: an Active partner without activity
// turns Inactive, and the day counts in a phase's reason move.
const DefaultPartnerCalendarInterval = time.Hour

// partnerCalendar brings back, once per interval, the partners whose phase
// or reason the passing time has changed. It replaces a timed requeue per
// partner: at 100,000 partners those timers alone held about 45 MiB of
// queue (the item, its key and the queue metrics' bookkeeping), and woke
// every partner hourly to write nothing. The calendar reads the cache in
// place and queues only the partners whose status would change.
type partnerCalendar struct {
	cache    client.Reader
	clock    clock.PassiveClock
	interval time.Duration
}

// source starts the calendar with the controller (so only on the leader)
// and stops it with the controller's context.
func (c partnerCalendar) source() source.Source {
	return source.Func(func(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request]) error {
		go c.run(ctx, q)
		return nil
	})
}

func (c partnerCalendar) run(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
	tick := time.NewTicker(c.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		due, err := c.due(ctx)
		if err != nil {
			ctrl.LoggerFrom(ctx).Error(err, "partner calendar: reading the cached partners")
			continue
		}
		for _, key := range due {
			q.Add(reconcile.Request{NamespacedName: key})
		}
	}
}

// due lists the partners whose phase or reason, derived now, differ from
// their status. A program is read once per pass, however many partners it
// has.
func (c partnerCalendar) due(ctx context.Context) ([]types.NamespacedName, error) {
	all, err := cachestore.Items(ctx, c.cache, &v1alpha1.Partner{}, &v1alpha1.PartnerList{})
	if err != nil {
		return nil, err
	}
	now := c.clock.Now()
	programs := map[types.NamespacedName]*v1alpha1.PartnerProgram{}
	var due []types.NamespacedName
	for _, item := range all {
		// One partner whole at a time: the cache keeps them packed.
		p, ok := packed.Of(item)
		if !ok {
			continue
		}
		key := types.NamespacedName{Namespace: p.Namespace, Name: p.Spec.ProgramRef.Name}
		prog, seen := programs[key]
		if !seen {
			prog = &v1alpha1.PartnerProgram{}
			if err := c.cache.Get(ctx, key, prog); err != nil {
				prog = nil // missing: the partner waits for it on its own
			}
			programs[key] = prog
		}
		if prog != nil && phaseMoved(p, prog, now) {
			due = append(due, client.ObjectKeyFromObject(p))
		}
	}
	return due, nil
}

// phaseMoved says whether the calendar changed p's phase or its reason. A
// partner its controller has not yet seen at this generation is queued
// already, and a stalled one (an invalid spec) waits for its spec or its
// program to change.
func phaseMoved(p *v1alpha1.Partner, prog *v1alpha1.PartnerProgram, now time.Time) bool {
	st := &p.Status
	if st.ObservedGeneration != p.Generation || meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionStalled) {
		return false
	}
	state, _, _ := assessPartner(p, prog, now)
	return state.Phase != st.Phase || state.Reason != st.PhaseReason
}

// assessPartner derives p's state as its controller writes it: admitted as
// the program records it, or as the partner's annotation or facts show
// after a restore, before the program records it again.
func assessPartner(p *v1alpha1.Partner, prog *v1alpha1.PartnerProgram, now time.Time) (partners.State, time.Time, bool) {
	admittedAt, admitted := partners.AdmittedAt(p, now)
	return partners.Assess(p, &prog.Spec, admissionOf(prog, admitted), now), admittedAt, admitted
}
