package supportplan

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

func TestApplyStatus(t *testing.T) {
	bf := time.Date(2026, time.November, 20, 0, 0, 0, 0, time.UTC)
	pk := support.PeakProjection{Name: "black-friday", Start: bf, End: bf.AddDate(0, 0, 10).Add(123 * time.Millisecond),
		WeeklyDemand: 2500.5, RequiredHeroes: 12, Gap: 2, HireBy: bf.AddDate(0, 0, -42).Add(999 * time.Millisecond), HireNow: true}
	p := support.Projection{
		DemandNow: 1234.4, DemandAtHorizon: 1604.7, MinutesPerContact: 5.678, HeroContactShare: 0.7249,
		RequiredHeroesNow: 9, CapacityGap: 2, VolumePerHero: 123.456, HoursPerHero: 11.111, PhoneVideoShare: 0.2951,
		Peaks: []support.PeakProjection{pk}, NextPeak: &pk,
	}
	st := &v1alpha1.SupportPlanStatus{CurrentStage: "PreRevenue", ObservedGeneration: 3}
	ApplyStatus(st, support.Input{Heroes: 10}, p)

	want := &v1alpha1.SupportProjection{
		DemandNow: 1234, DemandAtHorizon: 1605, MinutesPerContact: 5.68, HeroContactShare: 0.72,
		RequiredHeroesNow: 9, CapacityGap: 2, VolumePerHero: 123.46, HoursPerHero: 11.11, PhoneVideoShare: 0.3,
		Peaks: []v1alpha1.PeakProjection{{
			Name: "black-friday", Start: metav1.NewTime(bf), End: metav1.NewTime(bf.AddDate(0, 0, 10)),
			WeeklyDemand: 2501, RequiredHeroes: 12, Gap: 2, HireBy: metav1.NewTime(bf.AddDate(0, 0, -42)),
			HireNow: true,
		}},
	}
	if !reflect.DeepEqual(st.Projection, want) {
		t.Errorf("Projection =\n%+v\nwant\n%+v", st.Projection, want)
	}
	if st.Heroes != 10 || st.RequiredHeroes != 12 || st.NextPeak != "black-friday 2026-11-20" {
		t.Errorf("heroes, required, next = %d, %d, %q; want 10, 12, %q", st.Heroes, st.RequiredHeroes, st.NextPeak, "black-friday 2026-11-20")
	}
	if st.CurrentStage != "PreRevenue" || st.ObservedGeneration != 3 {
		t.Errorf("fields ApplyStatus does not own changed: %+v", st)
	}

	// Re-projecting a moment later with demand grown by a hair writes the
	// same status.
	again := st.DeepCopy()
	p.DemandNow, p.HeroContactShare = 1234.41, 0.72491
	ApplyStatus(again, support.Input{Heroes: 10}, p)
	if !reflect.DeepEqual(again, st) {
		t.Errorf("a hair more demand changed the status:\n%+v\n%+v", again.Projection, st.Projection)
	}
}

func TestApplyStatusRequiredAndNextPeak(t *testing.T) {
	tests := []struct {
		name     string
		now      int
		peaks    []int
		next     bool
		wantReq  int32
		wantNext string
	}{
		{"no peaks: now, next peak cleared", 7, nil, false, 7, ""},
		{"now above the peaks", 9, []int{3, 8}, true, 9, "p0 2026-03-01"},
		{"a later peak is the largest", 2, []int{3, 11, 4}, true, 11, "p0 2026-03-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := support.Projection{RequiredHeroesNow: tt.now}
			for i, r := range tt.peaks {
				p.Peaks = append(p.Peaks, support.PeakProjection{Name: fmt.Sprintf("p%d", i), Start: date(2026, time.March, 1+i), RequiredHeroes: r})
			}
			if tt.next {
				p.NextPeak = &p.Peaks[0]
			}
			st := &v1alpha1.SupportPlanStatus{NextPeak: "stale 2020-01-01", RequiredHeroes: 99}
			ApplyStatus(st, support.Input{Heroes: 1}, p)
			if st.RequiredHeroes != tt.wantReq || st.NextPeak != tt.wantNext {
				t.Errorf("required, next = %d, %q; want %d, %q", st.RequiredHeroes, st.NextPeak, tt.wantReq, tt.wantNext)
			}
			if len(st.Projection.Peaks) != len(tt.peaks) {
				t.Errorf("peaks = %d, want %d", len(st.Projection.Peaks), len(tt.peaks))
			}
		})
	}
}

func TestApplyStatusPeaksCapped(t *testing.T) {
	for _, n := range []int{29, 30, 31, 32, 45, 120} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var p support.Projection
			for i := range n {
				p.Peaks = append(p.Peaks, support.PeakProjection{Name: fmt.Sprintf("p%d", i), Start: date(2026, time.January, 1).AddDate(0, 0, i), RequiredHeroes: 3})
			}
			// The busiest peak is the last one, past the cap for n > 30.
			p.Peaks[n-1].RequiredHeroes = 50
			p.NextPeak = &p.Peaks[0]
			st := &v1alpha1.SupportPlanStatus{}
			ApplyStatus(st, support.Input{Heroes: 3}, p)
			want := min(n, 30)
			if len(st.Projection.Peaks) != want {
				t.Fatalf("status lists %d peaks, want %d (status.projection.peaks MaxItems=30)", len(st.Projection.Peaks), want)
			}
			for i, pk := range st.Projection.Peaks {
				if pk.Name != fmt.Sprintf("p%d", i) {
					t.Errorf("peak %d = %s, want the first 30 in order", i, pk.Name)
				}
			}
			if st.RequiredHeroes != 50 {
				t.Errorf("RequiredHeroes = %d, want 50: every peak counts, listed or not", st.RequiredHeroes)
			}
		})
	}
}
