package v1alpha1

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRequestedAt(t *testing.T) {
	if got := RequestedAt(nil); got != "" {
		t.Errorf("no annotation: got %q", got)
	}
	if got := RequestedAt(map[string]string{AnnotationRequestedAt: "1767225600"}); got != "1767225600" {
		t.Errorf("got %q", got)
	}
	// A long value is cut on a character boundary, to at most the length
	// the status field admits, and cut the same way every time.
	long := strings.Repeat("é", MaxRequestedAtLength)
	got := RequestedAt(map[string]string{AnnotationRequestedAt: long})
	if len(got) > MaxRequestedAtLength || !utf8.ValidString(got) || !strings.HasPrefix(long, got) || len(got) < MaxRequestedAtLength-1 {
		t.Errorf("cut to %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}
