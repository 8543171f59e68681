package report_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/internal/report/fixture"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the renderings")

// env is the control plane with the samples settled; nil without
// KUBEBUILDER_ASSETS, and then every test of it skips.
var env *fixture.Env

func TestMain(m *testing.M) {
	flag.Parse()
	code := run(m)
	os.Exit(code)
}

func run(m *testing.M) int {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		return m.Run()
	}
	var err error
	env, err = fixture.Start(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "fixture:", err)
		if env != nil {
			_ = env.Stop()
		}
		return 1
	}
	defer func() {
		if err := env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the fixture:", err)
		}
	}()
	return m.Run()
}

func needEnv(t *testing.T) *fixture.Env {
	t.Helper()
	if env == nil {
		t.Skip("KUBEBUILDER_ASSETS is not set: no control plane to make the objects with")
	}
	return env
}

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the rendering (run with -update to accept it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
