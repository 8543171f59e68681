package intern

import (
	"fmt"
	"maps"
	"reflect"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func sameMap(a, b map[string]string) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

func TestEqualLabelsShareOneMap(t *testing.T) {
	labelsOf := func(instance string) map[string]string {
		return map[string]string{"kustomize.toolkit.fluxcd.io/name": instance, "sharding.fluxcd.io/key": "shard1"}
	}
	a := decode[v1alpha1.Partner](t, "partner.json")
	b := decode[v1alpha1.Partner](t, "partner.json")
	c := decode[v1alpha1.Partner](t, "partner.json")
	a.Labels, b.Labels, c.Labels = labelsOf("partners"), labelsOf("partners"), labelsOf("other")
	want := maps.Clone(a.Labels)
	for _, p := range []*v1alpha1.Partner{a, b, c} {
		Object(p)
	}
	if !maps.Equal(a.Labels, want) {
		t.Fatalf("labels changed: %v", a.Labels)
	}
	if !sameMap(a.Labels, b.Labels) {
		t.Error("equal labels are two maps")
	}
	if sameMap(a.Labels, c.Labels) || c.Labels["kustomize.toolkit.fluxcd.io/name"] != "other" {
		t.Error("different labels share a map")
	}
	var none v1alpha1.MetricSource
	Object(&none)
	if none.Labels != nil {
		t.Error("an object without labels got a map")
	}
}

// TestLabelSetsAreBounded feeds more distinct label sets than the table
// holds: it never grows past its bound, and a common set is shared again
// once it is seen after the table started over.
func TestLabelSetsAreBounded(t *testing.T) {
	common := func() map[string]string { return map[string]string{"app.kubernetes.io/instance": "shop"} }
	first := common()
	shareLabels(&first)
	for i := range maxLabelSets + 10 {
		unique := map[string]string{"partner-id": fmt.Sprint(i)}
		shareLabels(&unique)
		if n := len(labelSets.sets); n > maxLabelSets {
			t.Fatalf("the table holds %d sets, more than %d", n, maxLabelSets)
		}
	}
	again, more := common(), common()
	shareLabels(&again)
	shareLabels(&more)
	if !sameMap(again, more) {
		t.Error("a common set is not shared after the table started over")
	}
}
