package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/internal/report"
	"github.com/scaleup-operator/scaleup-operator/internal/report/fixture"
	"github.com/scaleup-operator/scaleup-operator/internal/report/load"
)

// render runs one rendering with and without colour and compares both
// with their golden files; the plain one must hold no escape code.
func render(t *testing.T, name string, f func(*bytes.Buffer, report.Options) error) {
	t.Helper()
	for _, color := range []bool{false, true} {
		var buf bytes.Buffer
		if err := f(&buf, report.Options{Now: fixture.Now, Color: color}); err != nil {
			t.Fatal(err)
		}
		file := name
		if color {
			file += ".color"
		} else if strings.Contains(buf.String(), "\x1b[") {
			t.Errorf("%s: the plain rendering holds an escape code", name)
		}
		golden(t, file, buf.Bytes())
	}
}

func TestReport(t *testing.T) {
	for name, ns := range map[string]string{"report": fixture.Namespace, "report-globex": fixture.Second} {
		t.Run(name, func(t *testing.T) { testReport(t, name, ns) })
	}
}

func testReport(t *testing.T, name, ns string) {
	e := needEnv(t)
	target := map[string]string{fixture.Namespace: "acme-shop", fixture.Second: "globex-shop"}[ns]
	b, err := load.Business(context.Background(), e.Client, ns, target)
	if err != nil {
		t.Fatal(err)
	}
	render(t, name, func(w *bytes.Buffer, o report.Options) error { return report.Report(w, b, o) })
}

func TestSummary(t *testing.T) {
	e := needEnv(t)
	for name, ns := range map[string]string{"summary": fixture.Namespace, "summary-all": ""} {
		targets, tasks, err := load.Targets(context.Background(), e.Client, ns)
		if err != nil {
			t.Fatal(err)
		}
		render(t, name, func(w *bytes.Buffer, o report.Options) error {
			return report.Summary(w, targets, tasks, ns == "", o)
		})
	}
}

func TestExplain(t *testing.T) {
	e := needEnv(t)
	b, err := load.Business(context.Background(), e.Client, fixture.Namespace, "acme-shop")
	if err != nil {
		t.Fatal(err)
	}
	for name, objective := range map[string]string{
		"explain-response-time": "response-time",
		"explain-business-it":   "strategy-and-alignment/business-it-alignment",
		"explain-passing":       "customer-service/self-service",
	} {
		render(t, name, func(w *bytes.Buffer, o report.Options) error { return report.Explain(w, b, objective, o) })
	}
	globex, err := load.Business(context.Background(), e.Client, fixture.Second, "globex-shop")
	if err != nil {
		t.Fatal(err)
	}
	render(t, "explain-globex-unknown", func(w *bytes.Buffer, o report.Options) error {
		return report.Explain(w, globex, "technology/performance", o)
	})
	if err := report.Explain(&bytes.Buffer{}, b, "no-such-objective", report.Options{Now: fixture.Now}); err == nil ||
		!strings.Contains(err.Error(), `no objective "no-such-objective"`) {
		t.Errorf("an unknown objective: got %v", err)
	}
}

func TestSupport(t *testing.T) {
	e := needEnv(t)
	plan, err := load.Plan(context.Background(), e.Client, fixture.Namespace, "acme-shop")
	if err != nil {
		t.Fatal(err)
	}
	render(t, "support", func(w *bytes.Buffer, o report.Options) error { return report.Support(w, plan, o) })
}

func TestPartners(t *testing.T) {
	e := needEnv(t)
	prog, partners, notes, err := load.Program(context.Background(), e.Client, fixture.Namespace, "acme-partners")
	if err != nil || len(notes) > 0 {
		t.Fatal(err, notes)
	}
	render(t, "partners", func(w *bytes.Buffer, o report.Options) error { return report.Partners(w, prog, partners, o) })
}
