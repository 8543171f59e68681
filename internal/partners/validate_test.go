package partners

import (
	"strings"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestValidate(t *testing.T) {
	j := ago(60 * Day)
	tests := []struct {
		name   string
		p      *v1alpha1.Partner
		fields []string // field of each problem, in order
		msg    string   // part of the first problem
	}{
		{"valid", partner("a", j, onboarded(j.Add(3*Day)), contributed(j.Add(5*Day)), lastActive(j.Add(9*Day))), nil, ""},
		{"no steps, no activity", partner("a", j), nil, ""},
		{"equal completion times are in order", partner("a", j, done(j.Add(Day), j.Add(Day))), nil, ""},
		{"a skipped step is not an error", partner("a", j, step("training", j.Add(Day))), nil, ""},
		{"left the day it joined", partner("a", j, left(j)), nil, ""},
		{"unknown type", partner("a", j, ofType("Reseller")), []string{FieldType},
			`spec.type: unknown type "Reseller", must be one of Affiliate, Distributor`},
		{"types are case sensitive", partner("a", j, ofType("affiliate")), []string{FieldType}, "unknown type"},
		{"unknown step", partner("a", j, step("contract", j), step("kickoff", j)), []string{"spec.onboarding.completed[1].step"},
			`spec.onboarding.completed[1].step: unknown step "kickoff", must be one of contract, training, listing`},
		{"step listed twice", partner("a", j, step("contract", j), step("contract", j.Add(Day))),
			[]string{"spec.onboarding.completed[1].step"}, "more than once"},
		{"later step completed before an earlier one", partner("a", j, step("contract", j.Add(2*Day)), step("training", j.Add(Day))),
			[]string{"spec.onboarding.completed[1].at"}, `"training" (step 2) completed 2026-01-01T12:00:00Z, before the earlier step "contract" (step 1)`},
		{"order is by the program, not the list", partner("a", j, step("listing", j.Add(3*Day)), step("contract", j.Add(4*Day))),
			[]string{"spec.onboarding.completed[0].at"}, `"listing" (step 3)`},
		{"step before joining", partner("a", j, step("contract", j.Add(-time.Hour))),
			[]string{"spec.onboarding.completed[0].at"}, "before spec.joinedAt"},
		{"contribution before joining", partner("a", j, contributed(j.Add(-Day))), []string{FieldFirstContributionAt}, "before spec.joinedAt"},
		{"activity before joining", partner("a", j, lastActive(j.Add(-Day))), []string{FieldLastActivityAt}, "before spec.joinedAt"},
		{"left before joining", partner("a", j, left(j.Add(-time.Second))), []string{FieldLeftAt}, "before spec.joinedAt"},
		{"last activity before the first contribution", partner("a", j, contributed(j.Add(5*Day)), lastActive(j.Add(4*Day))),
			[]string{FieldLastActivityAt}, "before spec.activity.firstContributionAt"},
		{"every problem, in field order", partner("a", j, ofType("X"), step("nope", j), contributed(j.Add(-Day))),
			[]string{FieldType, "spec.onboarding.completed[0].step", FieldFirstContributionAt}, "unknown type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Validate(tt.p, program())
			if len(got) != len(tt.fields) {
				t.Fatalf("got %d problems %q, want fields %v", len(got), got, tt.fields)
			}
			for i, f := range tt.fields {
				if !strings.HasPrefix(got[i], f+": ") {
					t.Errorf("problem %d = %q, want field %s", i, got[i], f)
				}
				if strings.Contains(got[i], "\n") {
					t.Errorf("problem %d is not one line: %q", i, got[i])
				}
			}
			if tt.msg != "" && !strings.Contains(got[0], tt.msg) {
				t.Errorf("first problem %q does not contain %q", got[0], tt.msg)
			}
		})
	}
}
