package supportplan

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

// TestSchemaBoundsMatchValidate: the SupportPlan schema and
// support.Validate hold the numbers to the same bounds, so a number from a
// metric (which no schema checks) is refused exactly where the same number
// in the spec would be.
func TestSchemaBoundsMatchValidate(t *testing.T) {
	raw, err := os.ReadFile("../../config/crd/bases/growth.scaleup.io_supportplans.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var crd map[string]any
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	schema := dig(t, crd, "spec", "versions", 0, "schema", "openAPIV3Schema", "properties", "spec", "properties")
	demand := dig(t, schema, "demand", "properties")
	if got := dig(t, demand, "contactsPerWeek", "maximum"); got != float64(support.MaxContactsPerWeek) {
		t.Errorf("schema's maximum of contactsPerWeek is %v, Validate's %v", got, float64(support.MaxContactsPerWeek))
	}
	channel := dig(t, schema, "channels", "items", "properties")
	for _, tc := range []struct {
		field any
		bound string
	}{
		{dig(t, demand, "yearlyGrowth"), fmt.Sprintf("self <= %v.0", support.MaxYearlyGrowth)},
		{dig(t, schema, "peakSeasons", "items", "properties", "multiplier"), fmt.Sprintf("self <= %v.0", support.MaxMultiplier)},
		{dig(t, channel, "handlingMinutes"), fmt.Sprintf("self <= %v.0", support.MaxHandlingMinutes)},
		{dig(t, channel, "concurrency"), fmt.Sprintf("self <= %v.0", support.MaxConcurrency)},
	} {
		rule := dig(t, tc.field, "x-kubernetes-validations", 0, "rule").(string)
		if !strings.Contains(rule, tc.bound) {
			t.Errorf("schema rule %q does not bound the number like Validate (%s)", rule, tc.bound)
		}
	}
}

// dig walks a decoded YAML document by keys and indexes.
func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("no %q in %v", k, v)
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("no [%d] in %v", k, v)
			}
			v = l[k]
		}
	}
	return v
}
