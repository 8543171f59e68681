package partners

import (
	"cmp"
	"slices"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Admit decides which waiting partners the program admits now: first come,
// first served by (joinedAt, name), so the decision is stable from one
// reconcile to the next.
//
// admitted[i] says partners[i] is already admitted (status.admittedAt set;
// a missing entry counts as not admitted). Every admitted partner that has
// not churned holds a seat, so a churned partner frees its seat for the
// next in line; an admitted partner is never taken out, even when capacity
// shrinks below the seats held. capacity <= 0 means unlimited (Open).
//
// It returns the indexes of the partners to admit, in admission order:
// never a churned partner, never more than the free seats, and never a
// later-joined partner ahead of an earlier-joined one still waiting.
// joinedAt in the future does not hold a partner back: it is when the
// partner applied, as reported, and admission follows that order.
func Admit(partners []*v1alpha1.Partner, admitted []bool, capacity int, now time.Time) []int {
	isAdmitted := func(i int) bool { return i < len(admitted) && admitted[i] }
	seated, waiting := 0, 0
	for i, p := range partners {
		switch {
		case p == nil || churned(p, now):
		case isAdmitted(i):
			seated++
		default:
			waiting++
		}
	}
	free := waiting
	if capacity > 0 {
		free = min(capacity-seated, waiting)
	}
	if free <= 0 {
		return nil
	}
	queue := make([]int, 0, waiting)
	for i, p := range partners {
		if p != nil && !churned(p, now) && !isAdmitted(i) {
			queue = append(queue, i)
		}
	}
	slices.SortFunc(queue, func(i, j int) int {
		a, b := partners[i], partners[j]
		return cmp.Or(a.Spec.JoinedAt.Compare(b.Spec.JoinedAt.Time), cmp.Compare(a.Name, b.Name), cmp.Compare(i, j))
	})
	return queue[:free]
}
