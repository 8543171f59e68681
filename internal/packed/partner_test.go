package packed

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/randfill"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// decoded is p as the informer has it: serialized by the API server and
// decoded, so that only what JSON carries is compared.
func decoded(t testing.TB, p *v1alpha1.Partner) *v1alpha1.Partner {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	out := &v1alpha1.Partner{}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// filler fills every field of a Partner, times within the years a packed
// partner holds (and with nanoseconds: a tenant may write them).
func filler(seed uint64) *randfill.Filler {
	return randfill.NewWithSeed(int64(seed)).NilChance(0.2).NumElements(0, 4).Funcs(
		func(t *metav1.Time, c randfill.Continue) {
			*t = metav1.NewTime(time.Unix(0, c.Int63n(int64(200*365*24*time.Hour))).Add(-50 * 365 * 24 * time.Hour))
		},
	)
}

// TestPackKeepsEveryField fills every field of the API type, so that a
// field added to Partner and not to the packed form fails here.
func TestPackKeepsEveryField(t *testing.T) {
	for seed := range uint64(500) {
		p := &v1alpha1.Partner{}
		filler(seed).Fill(p)
		// The metadata a packed partner does not hold: it is kept whole
		// (TestPackKeepsUnusualPartnersWhole).
		p.UID, p.GenerateName, p.DeletionGracePeriodSeconds = "", "", nil
		p.SetSelfLink("") // never stored: the API server drops it
		p.OwnerReferences, p.Finalizers, p.ManagedFields = nil, nil, nil
		p.TypeMeta = [2]metav1.TypeMeta{{}, partnerType}[seed%2]
		want := decoded(t, p)
		want.Status.CompactedAdmissionRecorded = seed%3 == 0

		packed, ok := Pack(want)
		if !ok {
			t.Fatalf("seed %d: not packed: %+v", seed, want)
		}
		unchanged := want.DeepCopy()
		got := packed.Unpack()
		if !reflect.DeepEqual(got, want) {
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			t.Fatalf("seed %d: unpacked differs\n got %s\nwant %s", seed, gb, wb)
		}
		if got.Status.CompactedAdmissionRecorded != want.Status.CompactedAdmissionRecorded {
			t.Fatalf("seed %d: CompactedAdmissionRecorded not kept", seed)
		}
		copied, ok := packed.DeepCopyObject().(*v1alpha1.Partner)
		if !ok || !reflect.DeepEqual(copied, want) {
			t.Fatalf("seed %d: DeepCopyObject is not the whole partner: %T", seed, packed.DeepCopyObject())
		}
		// The copy is the caller's: writing it leaves the cache's as it was.
		for i := range copied.Status.Conditions {
			copied.Status.Conditions[i].Message = "changed"
		}
		for k := range copied.Labels {
			copied.Labels[k] = "changed"
		}
		for k := range copied.Annotations {
			copied.Annotations[k] = "changed"
		}
		if again := packed.Unpack(); !reflect.DeepEqual(again, unchanged) {
			t.Fatalf("seed %d: writing DeepCopyObject's copy changed the packed partner", seed)
		}
		if packed.GetName() != want.Name || packed.GetNamespace() != want.Namespace ||
			packed.GetResourceVersion() != want.ResourceVersion || packed.GetGeneration() != want.Generation ||
			!reflect.DeepEqual(packed.GetLabels(), want.Labels) || !reflect.DeepEqual(packed.GetAnnotations(), want.Annotations) ||
			!reflect.DeepEqual(packed.GetDeletionTimestamp(), want.DeletionTimestamp) ||
			!reflect.DeepEqual(packed.GetCreationTimestamp(), want.CreationTimestamp) {
			t.Fatalf("seed %d: metadata accessors differ from the partner's", seed)
		}
		if name, _ := ProgramOf(packed); name != want.Spec.ProgramRef.Name {
			t.Fatalf("seed %d: ProgramOf = %q, want %q", seed, name, want.Spec.ProgramRef.Name)
		}
	}
}

func TestPackKeepsUnusualPartnersWhole(t *testing.T) {
	grace := int64(30)
	far := metav1.NewTime(time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC))
	for name, change := range map[string]func(*v1alpha1.Partner){
		"uid":              func(p *v1alpha1.Partner) { p.UID = types.UID("u") },
		"generateName":     func(p *v1alpha1.Partner) { p.GenerateName = "p-" },
		"grace period":     func(p *v1alpha1.Partner) { p.DeletionGracePeriodSeconds = &grace },
		"finalizer":        func(p *v1alpha1.Partner) { p.Finalizers = []string{"f"} },
		"owner":            func(p *v1alpha1.Partner) { p.OwnerReferences = []metav1.OwnerReference{{Name: "o"}} },
		"managed fields":   func(p *v1alpha1.Partner) { p.ManagedFields = []metav1.ManagedFieldsEntry{{Manager: "m"}} },
		"other kind":       func(p *v1alpha1.Partner) { p.Kind = "Other" },
		"time beyond 2262": func(p *v1alpha1.Partner) { p.Spec.Activity.LastActivityAt = &far },
		"step beyond 2262": func(p *v1alpha1.Partner) {
			p.Spec.Onboarding.Completed = []v1alpha1.CompletedStep{{Step: "s", At: far}}
		},
		"sentinel duration": func(p *v1alpha1.Partner) {
			p.Status.TimeToActivation = &metav1.Duration{Duration: time.Duration(noDuration)}
		},
	} {
		p := &v1alpha1.Partner{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns"}}
		if _, ok := Pack(p); !ok {
			t.Fatalf("a plain partner is not packed")
		}
		change(p)
		if _, ok := Pack(p); ok {
			t.Errorf("%s: packed, want kept whole", name)
		}
	}
}

func TestOf(t *testing.T) {
	whole := &v1alpha1.Partner{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Spec: v1alpha1.PartnerSpec{ProgramRef: v1alpha1.LocalObjectReference{Name: "prog"}}}
	packed, _ := Pack(whole)
	for _, item := range []any{whole, packed} {
		p, ok := Of(item)
		if !ok || p.Name != "p" {
			t.Errorf("Of(%T) = %v, %v", item, p, ok)
		}
		if name, ok := ProgramOf(item); !ok || name != "prog" {
			t.Errorf("ProgramOf(%T) = %q, %v", item, name, ok)
		}
	}
	if _, ok := Of(&v1alpha1.PartnerProgram{}); ok {
		t.Error("Of accepted a program")
	}
}

// BenchmarkCachedPartner reports the heap a cached partner takes, whole
// and packed: a partner as the operator writes it, decoded from JSON as
// the informer decodes it.
func BenchmarkCachedPartner(b *testing.B) {
	at := metav1.NewTime(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	p := &v1alpha1.Partner{TypeMeta: partnerType, ObjectMeta: metav1.ObjectMeta{Namespace: "shop", ResourceVersion: "123456", Generation: 1, CreationTimestamp: at}}
	p.Spec = v1alpha1.PartnerSpec{ProgramRef: v1alpha1.LocalObjectReference{Name: "shop-partners"}, Type: "Affiliate", JoinedAt: at,
		Activity: v1alpha1.PartnerActivity{FirstContributionAt: &at, LastActivityAt: &at},
		Results:  v1alpha1.PartnerResults{Revenue: 18400, Conversions: 1300, Visits: 52000}}
	for _, s := range []string{"agreement", "portal-access", "training", "first-campaign"} {
		p.Spec.Onboarding.Completed = append(p.Spec.Onboarding.Completed, v1alpha1.CompletedStep{Step: s, At: at})
	}
	p.Status = v1alpha1.PartnerStatus{ObservedGeneration: 1, Phase: "Active", PhaseReason: "contributed 3 days ago",
		OnboardingProgress: "4/4", TimeToActivation: &metav1.Duration{Duration: time.Hour}, AdmittedAt: &at}
	raw, _ := json.Marshal(p)
	shared := decoded(b, p) // strings and conditions the cache shares (internal/intern)
	const n = 10000
	for _, pack := range []bool{false, true} {
		b.Run(map[bool]string{false: "whole", true: "packed"}[pack], func(b *testing.B) {
			for b.Loop() {
				objs := make([]any, 0, n)
				before := liveHeap()
				for i := range n {
					q := &v1alpha1.Partner{}
					if err := json.Unmarshal(raw, q); err != nil {
						b.Fatal(err)
					}
					q.Name = fmt.Sprintf("partner-%06d", rand.IntN(1_000_000))
					q.Namespace, q.Spec.ProgramRef, q.Spec.Type = shared.Namespace, shared.Spec.ProgramRef, shared.Spec.Type
					q.Status.Phase, q.Status.PhaseReason, q.Status.OnboardingProgress = shared.Status.Phase, shared.Status.PhaseReason, shared.Status.OnboardingProgress
					for j := range q.Spec.Onboarding.Completed {
						q.Spec.Onboarding.Completed[j].Step = shared.Spec.Onboarding.Completed[j].Step
					}
					objs = append(objs, q)
					if pack {
						objs[i], _ = Pack(q)
					}
				}
				b.ReportMetric(float64(liveHeap()-before)/n, "bytes/partner")
				runtime.KeepAlive(objs)
			}
		})
	}
}

// liveHeap is the heap allocated right after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
