package packed

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Arena unpacks the partners of one pass (a program's evaluation reads
// every one of its partners, once a second during an import) into storage
// the next pass on the same Arena reuses: one partner struct, its steps and
// its times for each, instead of about a kilobyte of new allocations per
// partner per pass. The zero Arena is ready to use; it is not safe for
// concurrent passes.
type Arena struct {
	partners  []v1alpha1.Partner
	out       []*v1alpha1.Partner
	stepsMem  []v1alpha1.CompletedStep
	times     []metav1.Time
	durations []metav1.Duration
}

// Unpack returns the partners items hold (informer store items, packed or
// whole; items of another kind are skipped), whole. Packed ones are
// unpacked into the arena: they are valid until the next Unpack, and no
// part of them may be kept beyond that. Whole ones are the items
// themselves, read only.
func (a *Arena) Unpack(items []any) []*v1alpha1.Partner {
	n, steps, times, durations := 0, 0, 0, 0
	for _, item := range items {
		if p, ok := item.(*Partner); ok {
			n++
			steps += len(p.steps)
			for _, t := range []stamp{p.deleted, p.firstContribution, p.lastActivity, p.left, p.admittedAt} {
				if t != noStamp {
					times++
				}
			}
			if p.timeToActivation != noDuration {
				durations++
			}
		}
	}
	a.partners = resize(a.partners, n)
	a.stepsMem = resize(a.stepsMem, steps)[:0]
	a.times = resize(a.times, times)[:0]
	a.durations = resize(a.durations, durations)[:0]
	a.out = resize(a.out, len(items))[:0]
	k := 0
	for _, item := range items {
		switch p := item.(type) {
		case *Partner:
			dst := &a.partners[k]
			k++
			p.unpackInto(dst, a)
			a.out = append(a.out, dst)
		case *v1alpha1.Partner:
			a.out = append(a.out, p)
		}
	}
	return a.out
}

// resize returns s with length n, reusing its array when it is large
// enough. A new array has a quarter more room: during an import a
// program's passes each see a few more partners than the last, and would
// otherwise each allocate the whole array again.
func resize[E any](s []E, n int) []E {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]E, n, n+n/4)
}

// steps returns a list of n steps: from the arena (sized by Unpack, so it
// never grows under lists already handed out), or new without one.
func (a *Arena) steps(n int) []v1alpha1.CompletedStep {
	if a == nil {
		return make([]v1alpha1.CompletedStep, n)
	}
	start := len(a.stepsMem)
	a.stepsMem = a.stepsMem[:start+n]
	return a.stepsMem[start : start+n : start+n]
}

// time returns a pointer time field's value (nil for none).
func (a *Arena) time(s stamp) *metav1.Time {
	if s == noStamp || a == nil {
		return s.ptr()
	}
	a.times = append(a.times, s.time())
	return &a.times[len(a.times)-1]
}

func (a *Arena) duration(d time.Duration) *metav1.Duration {
	if a == nil {
		return &metav1.Duration{Duration: d}
	}
	a.durations = append(a.durations, metav1.Duration{Duration: d})
	return &a.durations[len(a.durations)-1]
}
