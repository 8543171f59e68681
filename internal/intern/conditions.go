package intern

import (
	"hash/maphash"
	"runtime"
	"slices"
	"sync"
	"unsafe"
	"weak"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// conditionLists makes equal condition lists of different objects one
// allocation. The partners of a bulk import are reconciled within seconds
// of each other and end in a handful of states: 100,000 partners hold a
// few thousand distinct lists (same types, reasons, messages and
// lastTransitionTime), and a list of three conditions is 288 bytes, a
// fifth of a cached Partner. The sources of a bulk import share theirs the
// same way.
//
// The table holds its lists weakly, by a hash of their content: a list
// lives as long as an object in the cache holds it, and its entry goes
// with it. Cached objects are never modified in place (the cache replaces
// an object on every update, readers get deep copies or promise not to
// write), so sharing is as safe as sharing strings; copies get their own
// lists again.
var conditionLists = struct {
	sync.Mutex
	seed  maphash.Seed
	lists map[uint64]weak.Pointer[metav1.Condition]
}{seed: maphash.MakeSeed(), lists: map[uint64]weak.Pointer[metav1.Condition]{}}

// shareConditions replaces *cs with the table's equal list, or makes it
// the table's list when there is none. A hash that collides with another
// list leaves *cs as it is.
func shareConditions(cs *[]metav1.Condition) {
	n := len(*cs)
	if n == 0 {
		return
	}
	key := hashConditions(*cs)
	t := &conditionLists
	t.Lock()
	defer t.Unlock()
	if first := t.lists[key].Value(); first != nil {
		if shared := unsafe.Slice(first, n); slices.Equal(shared, *cs) {
			*cs = shared
		}
		return
	}
	// A list of its own, exactly as long as the conditions: the decoded
	// one may have room to spare.
	own := make([]metav1.Condition, n)
	copy(own, *cs)
	*cs = own
	ptr := weak.Make(&own[0])
	t.lists[key] = ptr
	runtime.AddCleanup(&own[0], forgetConditions, listEntry{key: key, ptr: ptr})
}

type listEntry struct {
	key uint64
	ptr weak.Pointer[metav1.Condition]
}

// forgetConditions removes the entry of a list no object holds any more,
// unless the key already names a newer list.
func forgetConditions(e listEntry) {
	t := &conditionLists
	t.Lock()
	defer t.Unlock()
	if t.lists[e.key] == e.ptr {
		delete(t.lists, e.key)
	}
}

func hashConditions(cs []metav1.Condition) uint64 {
	var h maphash.Hash
	h.SetSeed(conditionLists.seed)
	for i := range cs {
		c := &cs[i]
		for _, s := range []string{c.Type, string(c.Status), c.Reason, c.Message} {
			h.WriteString(s)
			h.WriteByte(0)
		}
		maphash.WriteComparable(&h, c.ObservedGeneration)
		maphash.WriteComparable(&h, c.LastTransitionTime.UnixNano())
	}
	return h.Sum64()
}
