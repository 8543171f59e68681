package intern

import (
	"hash/maphash"
	"maps"
	"slices"
	"sync"
)

// labelSets makes equal label maps of different objects one map. GitOps
// tools label every object they apply (Flux its Kustomization's name and
// namespace, Argo CD its application), and a shard key is a label: the
// 100,000 partners of a few programs carry a handful of distinct label
// sets, and a map of two labels is about 300 bytes, more than half of a
// cached Partner.
//
// The table holds at most maxLabelSets maps and starts over when it is
// full, so label values unique to each object (which nothing can share)
// cost a bounded table, never the objects' sharing of the common sets: a
// set seen often is back in the table soon after. Cached objects are never
// modified in place (see conditionLists), so sharing a map is as safe as
// sharing a string.
var labelSets = struct {
	sync.Mutex
	seed maphash.Seed
	sets map[uint64]map[string]string
}{seed: maphash.MakeSeed(), sets: map[uint64]map[string]string{}}

const maxLabelSets = 4096

// shareLabels replaces *m with the table's equal map, or makes it the
// table's map when there is none.
func shareLabels(m *map[string]string) {
	if len(*m) == 0 {
		return
	}
	key := hashLabels(*m)
	t := &labelSets
	t.Lock()
	defer t.Unlock()
	if shared, ok := t.sets[key]; ok {
		if maps.Equal(shared, *m) {
			*m = shared
		}
		return
	}
	if len(t.sets) >= maxLabelSets {
		clear(t.sets)
	}
	// The keys and values are strings shared with the table's other sets.
	own := make(map[string]string, len(*m))
	for k, v := range *m {
		own[internString(k)] = internString(v)
	}
	*m = own
	t.sets[key] = own
}

func hashLabels(m map[string]string) uint64 {
	var h maphash.Hash
	h.SetSeed(labelSets.seed)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		h.WriteString(k)
		h.WriteByte(0)
		h.WriteString(m[k])
		h.WriteByte(0)
	}
	return h.Sum64()
}

func internString(s string) string {
	str(&s)
	return s
}
