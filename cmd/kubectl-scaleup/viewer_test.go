package main

import (
	"strings"
	"testing"
)

// A user who may read a business but not its model or sources gets the
// report of what the status holds, with notes on what was refused.
func TestViewerWithoutTheModel(t *testing.T) {
	out, _, err := kubectlScaleup(t, viewer, "report", "-n", "acme", "acme-shop")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"note: MaturityModel ecommerce-scaleup: forbidden: you may not read it (Forbidden): no matrix",
		`note: MetricSource "acme-reported" in namespace "acme": forbidden: you may not read it (Forbidden): its values show without age`,
		"Blocking HighPerformance (7)",
		"firstResponseHours = 6.5  from acme-reported, source not readable",
		"Open tasks (8)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the viewer's report has no %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "STREAM / OBJECTIVE") {
		t.Errorf("a matrix without the model:\n%s", out)
	}
	out, _, err = kubectlScaleup(t, viewer, "explain", "-n", "acme", "acme-shop", "response-time")
	if err != nil || !strings.Contains(out, "metrics.firstResponseHours <= 4.0") {
		t.Errorf("the viewer's explain: %v\n%s", err, out)
	}
	if _, _, err := kubectlScaleup(t, viewer, "report", "-n", "acme"); err != nil {
		t.Errorf("the viewer's summary of acme: %v", err)
	}
	for args, want := range map[string]string{
		"report -n globex":               `listing MaturityTargets in namespace "globex": forbidden`,
		"report -A":                      "listing MaturityTargets in every namespace: forbidden",
		"support -n acme acme-shop":      `SupportPlan "acme-shop" in namespace "acme": forbidden`,
		"partners -n acme acme-partners": `PartnerProgram "acme-partners" in namespace "acme": forbidden`,
	} {
		if _, _, err := kubectlScaleup(t, viewer, strings.Fields(args)...); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("viewer %s: got %v, want %q", args, err, want)
		}
	}
}
