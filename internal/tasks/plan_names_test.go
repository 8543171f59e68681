package tasks

import (
	"slices"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestPlanTemplateNames(t *testing.T) {
	k := key("customer-service", "response-time", "HighPerformance")
	base := "acme-customer-service-response-time-highperformance"
	tests := []struct {
		name      string
		templates []Template
		want      []string // in template order
	}{
		{"one template keeps the plain name", []Template{tmpl("Single view", v1alpha1.PriorityHigh)}, []string{base}},
		{"a second template is named after its project",
			[]Template{tmpl("Single view", v1alpha1.PriorityHigh), tmpl("Staffing plan for peak seasons", v1alpha1.PriorityHigh)},
			[]string{base, base + "-staffing-plan-for-peak-seasons"}},
		{"two titles with one slug are told apart by a hash",
			[]Template{tmpl("Hire", v1alpha1.PriorityHigh), tmpl("Train", v1alpha1.PriorityHigh), tmpl("train!", v1alpha1.PriorityHigh)},
			[]string{base, base + "-train", disambiguate(base+"-train", k, 2)}},
		{"a title that slugs to a number",
			// No plain name ends in a number (levels start with a letter).
			[]Template{tmpl("A", v1alpha1.PriorityHigh), tmpl("2", v1alpha1.PriorityHigh)},
			[]string{base, base + "-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := gap(k, v1alpha1.OwnerCustomerSupport, tt.templates...)
			out := Plan(input(10, g))
			byTitle := map[string]string{}
			for _, d := range out.Apply {
				byTitle[d.Spec.Title] = d.Name
			}
			var got []string
			for _, tp := range tt.templates {
				got = append(got, byTitle[tp.Title])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("names = %v, want %v", got, tt.want)
			}

			// Re-planning what was applied writes nothing.
			in := input(10, g)
			for _, d := range out.Apply {
				in.Existing = append(in.Existing, asExisting(d, "", v1alpha1.TaskOpen))
			}
			if again := Plan(in); len(again.Apply) != 0 || again.Open != len(tt.templates) {
				t.Errorf("re-plan: Apply = %v, open = %d; want nothing written, %d open", names(again.Apply), again.Open, len(tt.templates))
			}
		})
	}
}

// TestPlanKeepsNumberedNames: a task named <base>-2 by an earlier release
// keeps its name and is updated in place; no second task opens for its
// template.
func TestPlanKeepsNumberedNames(t *testing.T) {
	k := key("customer-service", "response-time", "HighPerformance")
	other := key("customer-service", "self-service", "HighPerformance")
	g := gap(k, v1alpha1.OwnerCustomerSupport, tmpl("Single view", v1alpha1.PriorityHigh), tmpl("Staffing plan", v1alpha1.PriorityHigh))
	first := Plan(input(10, g))
	if len(first.Apply) != 2 {
		t.Fatalf("Apply = %v, want two tasks", names(first.Apply))
	}
	legacy := asExisting(first.Apply[1], "ana", v1alpha1.TaskInProgress)
	legacy.Name = legacyName(testSource, k, 1)
	legacy.Spec.Title = "Staffing plan (old title)"

	tests := []struct {
		name      string
		existing  func() Existing
		wantApply []string
		wantOpen  int
	}{
		{"the numbered task is kept and updated", func() Existing { return legacy },
			[]string{legacy.Name}, 2},
		{"the hashed numbered task is kept", func() Existing {
			e := legacy
			e.Name = disambiguate(legacyName(testSource, k, 1), k, 1)
			return e
		}, []string{disambiguate(legacyName(testSource, k, 1), k, 1)}, 2},
		{"a numbered task of another gap is not taken over", func() Existing {
			e := legacy
			e.Spec.Source.Objective = other.Objective
			return e
		}, []string{"acme-customer-service-response-time-highperformance-staffing-plan"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.existing()
			in := input(10, g)
			in.Existing = []Existing{asExisting(first.Apply[0], "", v1alpha1.TaskOpen), e}
			out := Plan(in)
			if got := names(out.Apply); !slices.Equal(got, tt.wantApply) {
				t.Errorf("Apply = %v, want %v", got, tt.wantApply)
			}
			for _, d := range out.Apply {
				if d.Spec.Title != "Staffing plan" {
					t.Errorf("%s: title %q, want the template's", d.Name, d.Spec.Title)
				}
			}
			if out.Open != tt.wantOpen {
				t.Errorf("Open = %d, want %d", out.Open, tt.wantOpen)
			}
		})
	}
}
