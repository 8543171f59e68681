package dashboard

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/report/fixture"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

var update = flag.Bool("update", false, "rewrite docs/dashboard.png from the browser (or set UPDATE_SCREENSHOT=1)")

// liveTimeout bounds each wait on the page: a hang guard, not a pace.
const liveTimeout = 2 * time.Minute

// chromium finds the browser the way make test does (hack/chromium.sh,
// without installing), or skips with the script's advice.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	root, err := localcp.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(root, "hack", "chromium.sh"))
	cmd.Env = append(os.Environ(), "CHROMIUM_NO_INSTALL=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Skip(strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out))
}

// browser starts a headless Chromium for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.Headless, chromedp.WindowSize(1400, 1000))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// expectedCell is where an objective stands at the target level, read from
// the status as the README describes it.
func expectedCell(r v1alpha1.ObjectiveResult) string {
	switch {
	case r.MeetsTarget:
		return "passed"
	case r.Blocking != nil && r.Blocking.Result == "Unknown":
		return "unknown"
	case r.Blocking != nil && r.Blocking.Result == "Error":
		return "error"
	}
	return "failed"
}

// pageState is what the test reads from the page in one evaluation.
type pageState struct {
	Names  map[string]string `json:"names"`
	Levels map[string]string `json:"levels"`
	Cells  map[string]string `json:"cells"`
}

const readPage = `(() => {
  const s = {names: {}, levels: {}, cells: {}};
  for (const tr of document.querySelectorAll("#businesses tbody tr")) {
    s.names[tr.id] = tr.querySelector(".business").textContent;
    s.levels[tr.id] = tr.querySelector(".level").textContent;
  }
  for (const td of document.querySelectorAll("td.cell[id]")) s.cells[td.id] = td.dataset.outcome;
  return s;
})()`

func TestDashboardInABrowser(t *testing.T) {
	needControlPlane(t)
	url := serve(t, env.Config, "")
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/"), chromedp.WaitVisible("#heatmap table")); err != nil {
		t.Fatal(err)
	}
	var targets v1alpha1.MaturityTargetList
	if err := env.Client.List(context.Background(), &targets); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](readPage))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Names) != len(targets.Items) || len(targets.Items) != 2 {
		t.Errorf("the page shows %d businesses, the cluster has %d: %v", len(got.Names), len(targets.Items), got.Names)
	}
	for _, mt := range targets.Items {
		id := ID("biz", mt.Namespace, mt.Name)
		if got.Names[id] != mt.Spec.Business || got.Levels[id] != mt.Status.CurrentLevel {
			t.Errorf("%s: page shows %q at %q, want %q at %q", id, got.Names[id], got.Levels[id], mt.Spec.Business, mt.Status.CurrentLevel)
		}
		if len(mt.Status.Objectives) != 21 {
			t.Errorf("%s has %d objectives, want 21", mt.Name, len(mt.Status.Objectives))
		}
		for _, r := range mt.Status.Objectives {
			cell := ID("cell", mt.Namespace, mt.Name, r.Stream, r.Objective)
			if want := expectedCell(r); got.Cells[cell] != want {
				t.Errorf("heat map %s: %q, want %q", cell, got.Cells[cell], want)
			}
		}
	}
	if *update || os.Getenv("UPDATE_SCREENSHOT") != "" {
		screenshot(t, ctx)
	}

	// Globex's job now reports page load times: its performance objective
	// is known, and the business climbs from Startup to GrowingPains.
	globex := ID("biz", fixture.Second, "globex-shop")
	if got.Levels[globex] != "Startup" {
		t.Fatalf("globex-shop starts at %q, want Startup", got.Levels[globex])
	}
	src := &v1alpha1.MetricSource{}
	src.Namespace, src.Name = fixture.Second, "acme-reported"
	patch := []byte(`{"spec":{"reported":{"values":{"pageLoadSeconds":3.4}}}}`)
	if err := env.Client.Patch(context.Background(), src, client.RawPatch(types.MergePatchType, patch)); err != nil {
		t.Fatal(err)
	}
	level := `document.querySelector("#` + globex + ` .level").textContent`
	wctx, cancel := context.WithTimeout(ctx, liveTimeout)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](level+` === "GrowingPains"`, chromedp.WithPollingTimeout(liveTimeout))); err != nil {
		t.Fatalf("the page did not show globex-shop at GrowingPains: %v", err)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](readPage))
	if err != nil {
		t.Fatal(err)
	}
	mt := &v1alpha1.MaturityTarget{}
	if err := env.Client.Get(context.Background(), types.NamespacedName{Namespace: fixture.Second, Name: "globex-shop"}, mt); err != nil {
		t.Fatal(err)
	}
	if mt.Status.CurrentLevel != "GrowingPains" {
		t.Errorf("the page shows GrowingPains, the status says %q", mt.Status.CurrentLevel)
	}
	perf := ID("cell", fixture.Second, "globex-shop", "technology", "performance")
	if got.Cells[perf] != "unknown" || after.Cells[perf] != "failed" {
		t.Errorf("heat map %s: %q then %q, want unknown then failed (3.4s > 2.5s)", perf, got.Cells[perf], after.Cells[perf])
	}
	// The page changed in place, from the event stream: no navigation.
	updates, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("view").dataset.updates || ""`))
	if err != nil || updates == "" {
		t.Errorf("no update through the event stream: %q %v", updates, err)
	}
}

// screenshot saves the page as docs/dashboard.png.
func screenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	root, err := localcp.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "docs", "dashboard.png"), png, 0o644); err != nil { //nolint:gosec // a picture for the README
		t.Fatal(err)
	}
}
