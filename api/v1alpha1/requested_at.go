package v1alpha1

import "unicode/utf8"

// AnnotationRequestedAt asks the operator to reconcile an object now, as
// Flux's reconcile.fluxcd.io/requestedAt does. Its value is a token: any new
// value re-evaluates the object at once (a MetricSource polls its provider
// again, even before its interval), and status.lastHandledRequestedAt echoes
// the value once the request is handled, so
//
//	kubectl annotate --overwrite <kind> <name> growth.scaleup.io/requested-at="$(date +%s)"
//
// can be followed by a kubectl wait on that field.
const AnnotationRequestedAt = "growth.scaleup.io/requested-at"

// MaxRequestedAtLength is the longest token status.lastHandledRequestedAt
// echoes; a longer annotation value is echoed cut to this length.
const MaxRequestedAtLength = 256

// RequestedAt returns the token of the requested-at annotation as status
// echoes it: cut to MaxRequestedAtLength bytes on a character boundary. It
// is empty when the annotation is absent.
func RequestedAt(annotations map[string]string) string {
	v := annotations[AnnotationRequestedAt]
	if len(v) <= MaxRequestedAtLength {
		return v
	}
	n := MaxRequestedAtLength
	for n > 0 && !utf8.RuneStart(v[n]) {
		n--
	}
	return v[:n]
}

// GetLastHandledRequestedAt and SetLastHandledRequestedAt give every kind
// the same handle on the echoed request token.

// GetLastHandledRequestedAt returns status.lastHandledRequestedAt.
func (in *MaturityModel) GetLastHandledRequestedAt() string { return in.Status.LastHandledRequestedAt }

// SetLastHandledRequestedAt sets status.lastHandledRequestedAt.
func (in *MaturityModel) SetLastHandledRequestedAt(v string) { in.Status.LastHandledRequestedAt = v }

// GetLastHandledRequestedAt returns status.lastHandledRequestedAt.
func (in *MaturityTarget) GetLastHandledRequestedAt() string { return in.Status.LastHandledRequestedAt }

// SetLastHandledRequestedAt sets status.lastHandledRequestedAt.
func (in *MaturityTarget) SetLastHandledRequestedAt(v string) { in.Status.LastHandledRequestedAt = v }

// GetLastHandledRequestedAt returns status.lastHandledRequestedAt.
func (in *MetricSource) GetLastHandledRequestedAt() string { return in.Status.LastHandledRequestedAt }

// SetLastHandledRequestedAt sets status.lastHandledRequestedAt.
func (in *MetricSource) SetLastHandledRequestedAt(v string) { in.Status.LastHandledRequestedAt = v }

// GetLastHandledRequestedAt returns status.lastHandledRequestedAt.
func (in *SupportPlan) GetLastHandledRequestedAt() string { return in.Status.LastHandledRequestedAt }

// SetLastHandledRequestedAt sets status.lastHandledRequestedAt.
func (in *SupportPlan) SetLastHandledRequestedAt(v string) { in.Status.LastHandledRequestedAt = v }

// GetLastHandledRequestedAt returns status.lastHandledRequestedAt.
func (in *PartnerProgram) GetLastHandledRequestedAt() string { return in.Status.LastHandledRequestedAt }

// SetLastHandledRequestedAt sets status.lastHandledRequestedAt.
func (in *PartnerProgram) SetLastHandledRequestedAt(v string) { in.Status.LastHandledRequestedAt = v }

// GetLastHandledRequestedAt returns status.lastHandledRequestedAt.
func (in *Partner) GetLastHandledRequestedAt() string { return in.Status.LastHandledRequestedAt }

// SetLastHandledRequestedAt sets status.lastHandledRequestedAt.
func (in *Partner) SetLastHandledRequestedAt(v string) { in.Status.LastHandledRequestedAt = v }

// GetLastHandledRequestedAt returns status.lastHandledRequestedAt.
func (in *ProjectTask) GetLastHandledRequestedAt() string { return in.Status.LastHandledRequestedAt }

// SetLastHandledRequestedAt sets status.lastHandledRequestedAt.
func (in *ProjectTask) SetLastHandledRequestedAt(v string) { in.Status.LastHandledRequestedAt = v }
