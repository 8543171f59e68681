package intern

import (
	"runtime"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestPartnersWithEqualConditionsShareOneList(t *testing.T) {
	a := decode[v1alpha1.Partner](t, "partner.json")
	b := decode[v1alpha1.Partner](t, "partner.json")
	other := decode[v1alpha1.Partner](t, "partner.json")
	other.Status.Conditions[2].LastTransitionTime = metav1.NewTime(other.Status.Conditions[2].LastTransitionTime.Add(time.Second))
	Object(a)
	Object(b)
	Object(other)
	if &a.Status.Conditions[0] != &b.Status.Conditions[0] {
		t.Error("equal conditions are two lists")
	}
	if &a.Status.Conditions[0] == &other.Status.Conditions[0] {
		t.Error("conditions that differ in a transition time share a list")
	}
	if len(a.Status.Conditions) != cap(a.Status.Conditions) {
		t.Error("the shared list has room to append into")
	}
	c := a.DeepCopy()
	if &c.Status.Conditions[0] == &a.Status.Conditions[0] {
		t.Error("a copy shares the cached object's conditions")
	}
}

func TestSharedConditionListsGoWithTheirObjects(t *testing.T) {
	key := func() uint64 {
		p := decode[v1alpha1.Partner](t, "partner.json")
		p.Status.Conditions[0].Message = "a message only this test writes"
		Object(p)
		return hashConditions(p.Status.Conditions)
	}()
	for range 100 {
		runtime.GC()
		conditionLists.Lock()
		_, ok := conditionLists.lists[key]
		conditionLists.Unlock()
		if !ok {
			return
		}
		// Cleanups run on a goroutine of their own after the GC.
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("the entry of a list no object holds is still in the table")
}
