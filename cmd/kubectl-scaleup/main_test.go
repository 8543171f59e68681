package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/report/fixture"
)

// The commands run end to end against an envtest apiserver whose objects
// the real controllers made (internal/report/fixture), through kubeconfigs
// of three users: an admin, one with no rights at all, and a viewer of
// one namespace (viewer_test.go).
var (
	env               *fixture.Env
	admin, nobody     string // kubeconfig files
	viewer            string // may read MaturityTargets and ProjectTasks in acme only
	goldenDir         = filepath.Join("..", "..", "internal", "report", "testdata")
	errNoControlPlane = "KUBEBUILDER_ASSETS is not set: no control plane to run the commands against"
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kubectl-scaleup-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := fixture.RunTests(m, &env, func(e *fixture.Env) error { return writeKubeconfigs(e, dir) })
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// writeKubeconfigs writes into dir a kubeconfig for each user the tests run
// the plugin as.
func writeKubeconfigs(e *fixture.Env, dir string) error {
	for path, user := range map[*string]envtest.User{
		&admin:  {Name: "admin", Groups: []string{"system:masters"}},
		&nobody: {Name: "nobody"},
		&viewer: {Name: "viewer"},
	} {
		u, err := e.Env.AddUser(user, nil)
		if err == nil {
			var b []byte
			if b, err = u.KubeConfig(); err == nil {
				*path = filepath.Join(dir, user.Name+".kubeconfig")
				err = os.WriteFile(*path, b, 0o600)
			}
		}
		if err != nil {
			return fmt.Errorf("user %s: %w", user.Name, err)
		}
	}
	return nil
}

// kubectlScaleup runs the plugin's command with args as kubeconfig's user
// and returns its output and error.
func kubectlScaleup(t *testing.T, kubeconfig string, args ...string) (string, string, error) {
	t.Helper()
	if env == nil {
		t.Skip(errNoControlPlane)
	}
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	cmd := NewCommand(streams, func() time.Time { return fixture.Now })
	cmd.SetArgs(append([]string{"--kubeconfig", kubeconfig}, args...))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	return out.String(), errOut.String(), err
}

// TestCommandsPrintTheGoldenRenderings runs every command as a user would
// and expects the renderings of internal/report's golden files.
func TestCommandsPrintTheGoldenRenderings(t *testing.T) {
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"report", []string{"report", "-n", "acme", "acme-shop", "--color=never"}},
		{"report.color", []string{"report", "-n", "acme", "acme-shop", "--color=always"}},
		{"report-globex", []string{"report", "--namespace=globex", "globex-shop"}},
		{"summary", []string{"report", "-n", "acme"}},
		{"summary-all", []string{"report", "-A"}},
		{"summary-all.color", []string{"report", "-A", "--color", "always"}},
		{"explain-response-time", []string{"explain", "-n", "acme", "acme-shop", "response-time"}},
		{"explain-business-it.color", []string{"explain", "-n", "acme", "acme-shop", "strategy-and-alignment/business-it-alignment", "--color=always"}},
		{"support", []string{"support", "-n", "acme", "acme-shop"}},
		{"partners.color", []string{"partners", "-n", "acme", "acme-partners", "--color=always"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, _, err := kubectlScaleup(t, admin, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(goldenDir, tc.golden+".golden"))
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s.golden:\n%s", tc.golden, out)
			}
		})
	}
}

func TestOutputYAMLAndJSON(t *testing.T) {
	out, _, err := kubectlScaleup(t, admin, "report", "-n", "acme", "acme-shop", "-o", "yaml")
	if err != nil {
		t.Fatal(err)
	}
	var mt v1alpha1.MaturityTarget
	if err := yaml.Unmarshal([]byte(out), &mt); err != nil {
		t.Fatal(err)
	}
	if mt.Kind != "MaturityTarget" || mt.Name != "acme-shop" || mt.Status.Score == nil || mt.Status.Score.Summary != "14/21" {
		t.Errorf("-o yaml: got kind %q name %q score %+v", mt.Kind, mt.Name, mt.Status.Score)
	}
	out, _, err = kubectlScaleup(t, admin, "report", "-A", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var list v1alpha1.MaturityTargetList
	if err := yaml.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if list.Kind != "MaturityTargetList" || len(list.Items) != 2 {
		t.Errorf("-A -o json: got kind %q with %d items", list.Kind, len(list.Items))
	}
	for _, args := range [][]string{
		{"support", "-n", "acme", "acme-shop", "-o", "yaml"},
		{"partners", "-n", "acme", "acme-partners", "-o", "json"},
	} {
		out, _, err := kubectlScaleup(t, admin, args...)
		if err != nil || !strings.Contains(out, "growth.scaleup.io/v1alpha1") {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, kubeconfig string
		args             []string
		want             string
	}{
		{"missing target", admin, []string{"report", "-n", "acme", "nope"}, `MaturityTarget "nope" in namespace "acme" not found`},
		{"missing plan", admin, []string{"support", "-n", "acme", "nope"}, `SupportPlan "nope" in namespace "acme" not found`},
		{"missing program", admin, []string{"partners", "-n", "globex", "acme-partners"}, `PartnerProgram "acme-partners" in namespace "globex" not found`},
		{"missing objective", admin, []string{"explain", "-n", "acme", "acme-shop", "nope"}, `has no objective "nope"`},
		{"forbidden target", nobody, []string{"report", "-n", "acme", "acme-shop"}, `MaturityTarget "acme-shop" in namespace "acme": forbidden: you may not read it`},
		{"forbidden list", nobody, []string{"report", "-n", "acme"}, `listing MaturityTargets in namespace "acme": forbidden: you may not list them`},
		{"forbidden everywhere", nobody, []string{"report", "-A"}, `listing MaturityTargets in every namespace: forbidden`},
		{"forbidden plan", nobody, []string{"support", "-n", "acme", "acme-shop"}, `SupportPlan "acme-shop" in namespace "acme": forbidden`},
		{"bad output", admin, []string{"report", "-o", "wide"}, `--output "wide": use json or yaml`},
		{"bad colour", admin, []string{"report", "--color=sometimes"}, `--color "sometimes"`},
		{"target with -A", admin, []string{"report", "-A", "acme-shop"}, "use -n NAMESPACE, not -A"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := kubectlScaleup(t, tc.kubeconfig, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestNoColorByDefaultOffATerminal(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	out, _, err := kubectlScaleup(t, admin, "report", "-n", "acme", "acme-shop")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains([]byte(out), []byte("\x1b[")) {
		t.Error("colour without a terminal and with NO_COLOR")
	}
}
