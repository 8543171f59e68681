// Package campaign counts a Campaign's progress from the results its
// targets report (status.campaigns of each MaturityTarget).
package campaign

import (
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// MaxBurnUp is status.burnUp's MaxItems.
const MaxBurnUp = 100

// MaxPerTarget is how many Campaigns one target is evaluated with, the
// first by name (a MaturityTarget's status.campaigns MaxItems).
const MaxPerTarget = 20

// TargetResult is where one target in scope stands in the campaign.
type TargetResult int

// Target results.
const (
	// Pending: the target has not been evaluated with this generation of
	// the campaign yet (or the campaign could not be applied to it).
	Pending TargetResult = iota
	// Failing: some objective of the campaign is not met.
	Failing
	// Passing: every objective of the campaign is met.
	Passing
	// Crowded: the target takes MaxPerTarget other campaigns, which come
	// first by name, and not this one.
	Crowded
)

// ResultOf reads the target's result for the campaign name at generation
// from its status.campaigns.
func ResultOf(entries []v1alpha1.TargetCampaign, name string, generation int64) TargetResult {
	for _, e := range entries {
		switch {
		case e.Name != name:
			continue
		case e.Generation != generation || e.Message != "":
			return Pending
		case len(e.Failing) == 0:
			return Passing
		default:
			return Failing
		}
	}
	if len(entries) >= MaxPerTarget {
		return Crowded
	}
	return Pending
}

// Counts are a campaign's status counts: failing includes the targets not
// evaluated with the campaign yet, so passing never runs ahead of the
// evaluations.
type Counts struct {
	InScope, Passing, Failing int32
	// Crowded counts the targets in scope that do not take the campaign
	// (counted failing too).
	Crowded int32
}

// Count sums the results of the targets in scope.
func Count(results []TargetResult) Counts {
	c := Counts{InScope: int32(len(results))}
	for _, r := range results {
		switch r {
		case Passing:
			c.Passing++
		case Crowded:
			c.Crowded++
		}
	}
	c.Failing = c.InScope - c.Passing
	return c
}

// RecordSample adds s to the burn-up: nothing when the counts equal the
// last sample's, a replacement of the last sample when it was taken the
// same (UTC) day, else an append; past max samples the oldest go.
func RecordSample(burnUp []v1alpha1.CampaignSample, s v1alpha1.CampaignSample, max int) []v1alpha1.CampaignSample {
	if n := len(burnUp); n > 0 {
		last := burnUp[n-1]
		if last.InScope == s.InScope && last.Passing == s.Passing {
			return burnUp
		}
		if sameDay(last.At.Time, s.At.Time) {
			out := append([]v1alpha1.CampaignSample(nil), burnUp...)
			out[n-1] = s
			return out
		}
	}
	out := append(append([]v1alpha1.CampaignSample(nil), burnUp...), s)
	if len(out) > max {
		out = out[len(out)-max:]
	}
	return out
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}
