package metrics

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/compact"
)

// compactingReader lists objects as the manager's cache holds them: each
// compacted by the cache transform.
type compactingReader struct{ client.Reader }

func (r compactingReader) List(ctx context.Context, list client.ObjectList, opts ...client.ListOption) error {
	if err := r.Reader.List(ctx, list, opts...); err != nil {
		return err
	}
	return meta.EachListItem(list, func(o runtime.Object) error {
		compact.Object(o)
		return nil
	})
}

// The collector reads the manager's cache, which keeps of a target's
// objectives only their counts: every series is the same as from the
// whole objects.
func TestCompactedTargetsHaveTheSameSeries(t *testing.T) {
	governed := target("shop", "governed")
	governed.Spec.Exemptions = []v1alpha1.Exemption{{Stream: "customer-service", Objective: "satisfaction"}}
	governed.Status.Score.Percent = ptr.To[int32](66)
	governed.Status.Objectives[1].Exemption = &v1alpha1.ObjectiveExemption{Reason: userText}
	objs := func() []client.Object {
		return []client.Object{model(), target("shop", "plain"), governed.DeepCopy(),
			task("shop", "t1", "plain", v1alpha1.OwnerIT, false, true)}
	}
	whole, err := testutil.CollectAndFormat(newCollector(newReader(objs()...)), expfmt.TypeTextPlain)
	if err != nil {
		t.Fatal(err)
	}
	compacted, err := testutil.CollectAndFormat(newCollector(compactingReader{newReader(objs()...)}), expfmt.TypeTextPlain)
	if err != nil {
		t.Fatal(err)
	}
	if string(whole) != string(compacted) {
		t.Errorf("series from compacted targets:\n%s\nwant, as from whole ones:\n%s", compacted, whole)
	}
	// The test compares compacted copies, not two whole ones.
	l := &v1alpha1.MaturityTargetList{}
	if err := (compactingReader{newReader(objs()...)}).List(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	for _, tg := range l.Items {
		if tg.Status.CompactedDigest == "" || tg.Status.Objectives != nil {
			t.Fatalf("target %s was not compacted", tg.Name)
		}
	}
}
