package samples

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
	"github.com/scaleup-operator/scaleup-operator/internal/supportplan"
)

const dir = "../../config/samples"

// The samples' story, as the README and the demo tell it, on any day they are
// rendered for: the support plan always has a next peak and needs hires for
// one, the partners are in the same phases, and the program is in its pilot
// stage with its seats taken and one partner waiting.
var wantPhases = map[string]v1alpha1.PartnerPhase{
	"trail-tales":     v1alpha1.PhaseActive,
	"peak-outfitters": v1alpha1.PhaseActive,
	"routeplanner":    v1alpha1.PhaseActive,
	"market-movers":   v1alpha1.PhaseInactive,
	"summit-blog":     v1alpha1.PhaseChurned,
	"alpine-supply":   v1alpha1.PhaseOnboarding,
	"campfire-app":    v1alpha1.PhaseOnboarding,
	"wild-ads":        v1alpha1.PhaseWaitlisted,
}

// storyDays are every week of five years from the day these tests were
// written, with the days a calendar gets wrong first (29 February, New
// Year's Eve and Day) and the edges of every occurrence of the sample's
// peaks in those years (the day before each starts, its first and last day,
// the day after, its hire-by day), taken from the projection itself since
// Black Friday moves; each at the first and the last second of the day and
// at noon.
func storyDays(t *testing.T, r rendered) []time.Time {
	t.Helper()
	var days []time.Time
	start := time.Date(2026, time.December, 2, 0, 0, 0, 0, time.UTC)
	for d := start; d.Before(start.AddDate(5, 0, 0)); d = d.AddDate(0, 0, 7) {
		days = append(days, d)
	}
	for y := 2026; y <= 2031; y++ {
		for _, md := range [][2]int{{1, 1}, {2, 28}, {3, 1}, {12, 31}} {
			days = append(days, time.Date(y, time.Month(md[0]), md[1], 0, 0, 0, 0, time.UTC))
		}
	}
	days = append(days, time.Date(2028, time.February, 29, 0, 0, 0, 0, time.UTC))
	for _, pk := range sampleOccurrences(t, r, start, 6*support.Year) {
		days = append(days, pk.Start.AddDate(0, 0, -1), pk.Start, pk.End, pk.End.AddDate(0, 0, 1), startOfDay(pk.HireBy))
	}
	var out []time.Time
	for _, d := range days {
		out = append(out, d, d.Add(12*time.Hour), d.Add(24*time.Hour-time.Second))
	}
	return out
}

// sampleOccurrences projects the sample plan from from over horizon: its
// peaks' occurrences with their actual dates.
func sampleOccurrences(t *testing.T, r rendered, from time.Time, horizon time.Duration) []support.PeakProjection {
	t.Helper()
	s := r.at(t, from)
	in, err := supportplan.Input(&s.plan.Spec, nil, from)
	if err != nil {
		t.Fatal(err)
	}
	in.Horizon = horizon
	p, err := support.Project(in)
	if err != nil {
		t.Fatal(err)
	}
	return p.Peaks
}

// TestSampleBlackFridayMoves: the sample's Black Friday runs from the
// Friday after the fourth Thursday of November to Cyber Monday, every year,
// and its hire task is named for the year it falls in.
func TestSampleBlackFridayMoves(t *testing.T) {
	r := loadRendered(t)
	years := map[int]bool{}
	for _, pk := range sampleOccurrences(t, r, time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC), 6*support.Year) {
		if pk.Name != "black-friday" {
			continue
		}
		thanksgiving := pk.Start.AddDate(0, 0, -1)
		if pk.Start.Weekday() != time.Friday || pk.Start.Month() != time.November ||
			thanksgiving.Day() < 22 || thanksgiving.Day() > 28 || !pk.End.Equal(pk.Start.AddDate(0, 0, 3)) {
			t.Errorf("black-friday %s..%s is not the Friday after the fourth Thursday of November to the Monday after",
				pk.Start.Format(time.DateOnly), pk.End.Format(time.DateOnly))
		}
		years[pk.Start.Year()] = true
	}
	if len(years) != 6 {
		t.Errorf("black-friday falls in %d of the years 2026-2031, want 6", len(years))
	}
}

type sampleObjects struct {
	plan     v1alpha1.SupportPlan
	program  v1alpha1.PartnerProgram
	partners []*v1alpha1.Partner
}

// rendered is the samples as written (rendered for AsOf); the partners'
// documents are shifted for each day, the rest has no dates.
type rendered struct {
	plan, program []byte
	partners      [][]byte
	// model, source and target measure the business the program's
	// readiness gate names; they have no dates.
	model, source, target []byte
}

func loadRendered(t *testing.T) rendered {
	t.Helper()
	b, err := Render(dir, AsOf)
	if err != nil {
		t.Fatal(err)
	}
	var r rendered
	for _, doc := range bytes.Split(b, []byte("\n---\n")) {
		var meta struct{ Kind string }
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			t.Fatalf("decode: %v", err)
		}
		switch meta.Kind {
		case "SupportPlan":
			r.plan = doc
		case "PartnerProgram":
			r.program = doc
		case "Partner":
			r.partners = append(r.partners, doc)
		case "MaturityModel":
			r.model = doc
		case "MetricSource":
			// acme-reported measures the business; acme-objects (the
			// plan's figures) is read by no rule of the sample model.
			var src struct{ Spec struct{ Type string } }
			if err := yaml.Unmarshal(doc, &src); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if src.Spec.Type == "Reported" {
				r.source = doc
			}
		case "MaturityTarget":
			r.target = doc
		}
	}
	if r.plan == nil || r.program == nil || len(r.partners) != len(wantPhases) {
		t.Fatalf("samples: want one SupportPlan, one PartnerProgram and %d Partners, got %d Partners",
			len(wantPhases), len(r.partners))
	}
	return r
}

// at decodes the samples as Render gives them for now, strictly: a misspelt
// field would be dropped by the API server.
func (r rendered) at(t *testing.T, now time.Time) sampleObjects {
	t.Helper()
	var s sampleObjects
	decode := func(doc []byte, into any) {
		if err := yaml.UnmarshalStrict(Shift(doc, DaysFrom(now)), into); err != nil {
			t.Fatal(err)
		}
	}
	decode(r.plan, &s.plan)
	decode(r.program, &s.program)
	for _, doc := range r.partners {
		p := &v1alpha1.Partner{}
		decode(doc, p)
		s.partners = append(s.partners, p)
	}
	return s
}

func TestSupportPlanStoryOnAnyDay(t *testing.T) {
	r := loadRendered(t)
	for _, now := range storyDays(t, r) {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			s := r.at(t, now)
			in, err := supportplan.Input(&s.plan.Spec, nil, now)
			if err != nil {
				t.Fatal(err)
			}
			p, err := support.Project(in)
			if err != nil {
				t.Fatal(err)
			}
			today := startOfDay(now)
			if p.NextPeak == nil {
				t.Fatal("no next peak")
			}
			if p.NextPeak.End.Before(today) {
				t.Errorf("next peak %s ended %s, before today", p.NextPeak.Name, p.NextPeak.End.Format(time.DateOnly))
			}
			if p.CapacityGap == 0 {
				t.Errorf("the sample plan needs no hires: the story of the hire task does not hold")
			}
			for _, pk := range p.Peaks {
				if pk.HireBy.After(pk.Start) {
					t.Errorf("%s: hire-by %s after its start %s", pk.Name, pk.HireBy, pk.Start)
				}
			}
			var hires int
			for _, f := range supportplan.Findings(&s.plan.Spec, in, p) {
				for _, g := range f.Gaps {
					if !g.Due.IsZero() && g.Due.Before(now.Truncate(time.Second)) {
						t.Errorf("task %s/%s is due %s, before now: %q", g.Key.Stream, g.Key.Objective,
							g.Due.Format(time.RFC3339), g.Templates[0].Title)
					}
					if f.Type == v1alpha1.ConditionCapacitySufficient {
						hires++
						checkLeversNamed(t, g.Templates[0].Description)
						checkHireTask(t, g.Key.Objective, g.Due, g.Templates[0].Title, p.Peaks, now)
					}
				}
			}
			if hires == 0 {
				t.Errorf("no hire task")
			}
		})
	}
}

// checkHireTask: a peak's hire task is due on its hire-by date while that is
// ahead, and says "now", due now, once it has passed.
func checkHireTask(t *testing.T, objective string, due time.Time, title string, peaks []support.PeakProjection, now time.Time) {
	t.Helper()
	for _, pk := range peaks {
		if objective != fmt.Sprintf("%s-%d", pk.Name, pk.Start.Year()) {
			continue
		}
		byDate := "by " + pk.HireBy.Format(time.DateOnly) + " for " + pk.Name
		switch {
		case pk.HireBy.Before(now):
			if !strings.Contains(title, " now for "+pk.Name) || !due.Equal(now) {
				t.Errorf("hire-by %s has passed: task %q due %s, want a hire-now task due now", pk.HireBy.Format(time.DateOnly), title, due)
			}
		case !strings.Contains(title, byDate) || !due.Equal(pk.HireBy):
			t.Errorf("task %q due %s, want %q due on %s", title, due, byDate, pk.HireBy)
		}
		return
	}
	if objective != "now" {
		t.Errorf("hire task %s names no projected peak", objective)
	}
}

// checkLeversNamed: the sample accepts every lever (spec.levers left out),
// so each capacity task names all three with their numbers and proposes one.
func checkLeversNamed(t *testing.T, desc string) {
	t.Helper()
	for _, want := range []string{"Levers, each alone: Hire: ", "; Deflect: ", "; ShiftChannels: ", ". Proposed: "} {
		if !strings.Contains(desc, want) {
			t.Errorf("capacity task does not name the levers (%q): %s", want, desc)
		}
	}
}

func TestShiftKeepsTimeOfDayAndLeavesOtherTextAlone(t *testing.T) {
	in := []byte(`joinedAt: "2026-11-23T09:00:00Z" # 2026-11-23, "11-24", 2026-13-01T00:00:00Z`)
	for _, tc := range []struct {
		days int
		want string
	}{
		{0, string(in)},
		{9, `joinedAt: "2026-12-02T09:00:00Z" # 2026-11-23, "11-24", 2026-13-01T00:00:00Z`},
		{-366, `joinedAt: "2025-11-22T09:00:00Z" # 2026-11-23, "11-24", 2026-13-01T00:00:00Z`},
		{462, `joinedAt: "2028-02-28T09:00:00Z" # 2026-11-23, "11-24", 2026-13-01T00:00:00Z`},
		{463, `joinedAt: "2028-02-29T09:00:00Z" # 2026-11-23, "11-24", 2026-13-01T00:00:00Z`},
	} {
		if got := string(Shift(in, tc.days)); got != tc.want {
			t.Errorf("Shift(%d) = %s, want %s", tc.days, got, tc.want)
		}
	}
}

func TestDaysFromCountsUTCDays(t *testing.T) {
	for _, tc := range []struct {
		now  time.Time
		want int
	}{
		{AsOf, 0},
		{AsOf.Add(24*time.Hour - time.Nanosecond), 0},
		{time.Date(2026, 12, 2, 6, 44, 0, 0, time.UTC), 9},
		{time.Date(2026, 12, 2, 1, 0, 0, 0, time.FixedZone("UTC+3", 3*3600)), 8}, // 22:00 UTC on 1 December
		{time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC), -239},
		{time.Date(2031, 12, 2, 0, 0, 0, 0, time.UTC), 1835},
	} {
		if got := DaysFrom(tc.now); got != tc.want {
			t.Errorf("DaysFrom(%s) = %d, want %d", tc.now, got, tc.want)
		}
	}
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
