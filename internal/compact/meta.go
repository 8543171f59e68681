package compact

import (
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// metadata drops the metadata no reader of the cache uses.
//
// Annotations: the operator reads only its own (growth.scaleup.io/...:
// requested-at, admitted-at, the expansion history), and writes them as
// merge patches of those keys alone (controllers' recordAnnotations), so
// a copy without the others computes the same patches. The others are
// often the largest part of the metadata: kubectl apply and GitOps tools
// keep the whole applied object in one
// (kubectl.kubernetes.io/last-applied-configuration).
//
// The uid, unless keepUID: events name their object by it and owner
// references point at it (ProjectTasks are owned by targets and
// programs), but nothing refers to a Partner, whose controller emits no
// events and whose patches do not carry it. Labels are kept: the shard
// key is read from them, and selectors match them.
//
// creationTimestamp and the other fixed-size fields are left as they are:
// they are part of the struct, and zeroing them would save nothing.
func metadata(m *metav1.ObjectMeta, keepUID bool) {
	if !keepUID {
		m.UID = ""
	}
	if len(m.Annotations) == 0 {
		return
	}
	keep := 0
	for k := range m.Annotations {
		if own(k) {
			keep++
		}
	}
	if keep == len(m.Annotations) {
		return
	}
	if keep == 0 {
		m.Annotations = nil
		return
	}
	// A new map, sized for the kept keys: deleting from the decoded one
	// would not shrink it.
	kept := make(map[string]string, keep)
	for k, v := range m.Annotations {
		if own(k) {
			kept[k] = v
		}
	}
	m.Annotations = kept
}

// own says whether an annotation is one of the operator's.
func own(key string) bool {
	return strings.HasPrefix(key, v1alpha1.GroupVersion.Group+"/")
}
