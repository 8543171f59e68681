package packed

import (
	"reflect"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// randomItems are n store items: packed partners filled at random, every
// fourth one whole, and one item of another kind.
func randomItems(t testing.TB, seed uint64, n int) []any {
	items := []any{&v1alpha1.PartnerProgram{}}
	for i := range n {
		p := &v1alpha1.Partner{}
		filler(seed*1000 + uint64(i)).Fill(p)
		p.UID, p.GenerateName, p.DeletionGracePeriodSeconds = "", "", nil
		p.OwnerReferences, p.Finalizers, p.ManagedFields = nil, nil, nil
		p.SetSelfLink("")
		p.TypeMeta = partnerType
		p = decoded(t, p)
		if i%4 == 0 {
			items = append(items, p)
			continue
		}
		packed, ok := Pack(p)
		if !ok {
			t.Fatalf("not packed: %+v", p)
		}
		items = append(items, packed)
	}
	return items
}

func TestArenaUnpacksAsUnpackDoes(t *testing.T) {
	var a Arena
	// Passes of different sizes on one arena: each pass's partners are
	// whole and equal to what Unpack returns, whatever the passes before
	// left in the arena.
	for pass, n := range []int{40, 10, 60, 0, 25} {
		items := randomItems(t, uint64(pass), n)
		got := a.Unpack(items)
		if len(got) != n {
			t.Fatalf("pass %d: %d partners, want %d", pass, len(got), n)
		}
		for i, item := range items[1:] {
			want, _ := Of(item)
			if !reflect.DeepEqual(got[i], want) {
				t.Fatalf("pass %d, partner %d: arena's differs from Unpack's", pass, i)
			}
			if whole, ok := item.(*v1alpha1.Partner); ok && got[i] != whole {
				t.Fatalf("pass %d, partner %d: a whole item was copied", pass, i)
			}
		}
	}
}

func TestArenaReusedByGrowingPasses(t *testing.T) {
	var a Arena
	a.Unpack(randomItems(t, 1, 100))
	first := &a.partners[0]
	// A pass that sees a few more partners than the one before reuses the
	// storage.
	a.Unpack(randomItems(t, 2, 110))
	if &a.partners[0] != first {
		t.Fatal("a pass over 110 partners after one over 100 allocated new storage")
	}
}

// BenchmarkProgramPass unpacks a program's 10,000 partners, with a new
// allocation per partner and into a reused arena.
func BenchmarkProgramPass(b *testing.B) {
	items := randomItems(b, 1, 10000)
	b.Run("unpack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, item := range items {
				_, _ = Of(item)
			}
		}
	})
	b.Run("arena", func(b *testing.B) {
		b.ReportAllocs()
		var a Arena
		for b.Loop() {
			a.Unpack(items)
		}
	})
}
