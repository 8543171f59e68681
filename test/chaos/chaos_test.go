package chaos

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestChaos runs every scenario at the Bounded sizes. CHAOS_ONLY runs the
// scenarios whose fault contains it.
func TestChaos(t *testing.T) {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		t.Skip(`KUBEBUILDER_ASSETS is not set; run: KUBEBUILDER_ASSETS="$(hack/k8s-assets.sh)" go test ./test/chaos/`)
	}
	if testing.Short() {
		t.Skip("the fault suite starts a control plane and manager processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	cfg := Bounded
	cfg.Only = os.Getenv("CHAOS_ONLY")
	cfg.Dir = os.Getenv("CHAOS_DIR") // bin/chaos when empty, so the logs outlive the test
	var progress strings.Builder
	cfg.Progress = &progress
	rows, err := Run(ctx, cfg)
	t.Log("\n" + progress.String())
	if err != nil {
		t.Fatalf("setting up: %v", err)
	}
	var table strings.Builder
	WriteMarkdown(&table, rows)
	t.Log("\n" + table.String())
	if len(rows) == 0 {
		t.Fatalf("no scenario ran (CHAOS_ONLY=%q)", cfg.Only)
	}
	for _, r := range rows {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Fault, r.Err)
		}
	}
}
