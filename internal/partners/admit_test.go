package partners

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// names of the partners at the given indexes.
func names(ps []*v1alpha1.Partner, idx []int) []string {
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		out = append(out, ps[i].Name)
	}
	return out
}

func TestAdmit(t *testing.T) {
	day := func(n int) func(string) *v1alpha1.Partner {
		return func(name string) *v1alpha1.Partner { return partner(name, ago(Day*100).Add(Day*time.Duration(n))) }
	}
	churnedOn := func(p *v1alpha1.Partner) *v1alpha1.Partner { left(ago(Day))(p); return p }
	tests := []struct {
		name     string
		partners []*v1alpha1.Partner
		admitted []bool
		capacity int
		want     []string
	}{
		{"first come, first served", []*v1alpha1.Partner{day(3)("c"), day(1)("a"), day(4)("d"), day(2)("b")},
			nil, 2, []string{"a", "b"}},
		{"ties by name", []*v1alpha1.Partner{day(1)("b"), day(1)("c"), day(1)("a")}, nil, 2, []string{"a", "b"}},
		{"seats taken count", []*v1alpha1.Partner{day(1)("a"), day(2)("b"), day(3)("c")}, []bool{true, false, false}, 2, []string{"b"}},
		{"an admitted partner who joined later keeps its seat", []*v1alpha1.Partner{day(1)("early"), day(9)("late")},
			[]bool{false, true}, 1, nil},
		{"shrunk capacity admits no one and removes no one", []*v1alpha1.Partner{day(1)("a"), day(2)("b"), day(3)("c"), day(4)("d")},
			[]bool{true, true, true, false}, 2, nil},
		{"a churned partner frees its seat", []*v1alpha1.Partner{churnedOn(day(1)("a")), day(2)("b"), day(3)("c"), day(4)("d")},
			[]bool{true, true, false, false}, 2, []string{"c"}},
		{"a churned partner is never admitted and holds no one back", []*v1alpha1.Partner{churnedOn(day(1)("a")), day(2)("b")},
			nil, 1, []string{"b"}},
		{"unlimited admits everyone waiting, in order", []*v1alpha1.Partner{day(2)("b"), day(1)("a"), churnedOn(day(0)("x")), day(3)("c")},
			[]bool{false, false, false, true}, 0, []string{"a", "b"}},
		{"a short admitted list means not admitted", []*v1alpha1.Partner{day(1)("a"), day(2)("b")}, []bool{true}, 5, []string{"b"}},
		{"nothing waiting", []*v1alpha1.Partner{day(1)("a")}, []bool{true}, 5, nil},
		{"no partners", nil, nil, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(tt.partners, Admit(tt.partners, tt.admitted, tt.capacity, now))
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("admitted %v, want %v", got, tt.want)
			}
		})
	}
}

// The 11th partner of a 10-partner stage waits: the first ten admitted in
// one pass, then no one, then the 11th once a seat frees up.
func TestAdmitEleventhWaits(t *testing.T) {
	ps := make([]*v1alpha1.Partner, 11)
	for i := range ps {
		// Listed in reverse join order: the order of the list never matters.
		ps[i] = partner(fmt.Sprintf("p%02d", i), ago(Day*time.Duration(i+1)))
	}
	admitted := make([]bool, len(ps))
	first := Admit(ps, admitted, 10, now)
	if len(first) != 10 {
		t.Fatalf("admitted %d, want 10", len(first))
	}
	for _, i := range first {
		if i == 0 {
			t.Fatalf("the latest joiner p00 was admitted: %v", names(ps, first))
		}
		admitted[i] = true
	}
	if again := Admit(ps, admitted, 10, now); len(again) != 0 {
		t.Fatalf("the full stage admitted %v", names(ps, again))
	}
	left(ago(Day))(ps[5])
	if got := names(ps, Admit(ps, admitted, 10, now)); !reflect.DeepEqual(got, []string{"p00"}) {
		t.Errorf("after a churn admitted %v, want [p00]", got)
	}
}
