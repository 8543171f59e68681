package main

import (
	"os"
	"testing"
	"time"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

func TestColourDecision(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = devNull.Close() }()
	for _, tc := range []struct {
		flag, noColor string
		out           any
		want          bool
	}{
		{"always", "", nil, true},
		{"always", "1", nil, true}, // an explicit flag wins (no-color.org)
		{"never", "", nil, false},
		{"auto", "", nil, false},     // a buffer is no terminal
		{"auto", "", devNull, false}, // nor is /dev/null
		{"auto", "1", devNull, false},
	} {
		t.Setenv("NO_COLOR", tc.noColor)
		streams, _, _, _ := genericiooptions.NewTestIOStreams()
		if f, ok := tc.out.(*os.File); ok {
			streams.Out = f
		}
		o := &options{streams: streams, color: tc.flag, now: time.Now}
		if got := o.colour(); got != tc.want {
			t.Errorf("--color=%s NO_COLOR=%q out %T: got %v, want %v", tc.flag, tc.noColor, streams.Out, got, tc.want)
		}
	}
}
