package dashboard

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// governanceNotes are the lines under a business that say what governs its
// level besides its numbers: a pending level change, failing key
// objectives, exemptions and what the shadow rules would do.
func governanceNotes(st *v1alpha1.MaturityTargetStatus) []string {
	var out []string
	if p := st.PendingLevel; p != nil {
		out = append(out, fmt.Sprintf("level %s pending since %s (%d evaluations)", orDash(p.Level), day(p.Since.Time), p.Evaluations))
	}
	if st.Score != nil && len(st.Score.KeyFailing) > 0 {
		names := make([]string, len(st.Score.KeyFailing))
		for i, k := range st.Score.KeyFailing {
			names[i] = k.Stream + "/" + k.Objective
		}
		out = append(out, "key objective below target: "+strings.Join(names, ", "))
	}
	counts := map[string]int{}
	for _, e := range st.Exemptions {
		counts[e.State]++
	}
	for _, state := range []string{v1alpha1.ExemptionActive, v1alpha1.ExemptionExpired, v1alpha1.ExemptionUnknownObjective} {
		if n := counts[state]; n > 0 {
			out = append(out, fmt.Sprintf("%d exemption(s) %s", n, state))
		}
	}
	if s := st.Shadow; s != nil && s.Objectives > 0 {
		out = append(out, fmt.Sprintf("shadow rules hold %d objective(s): would be at %s", s.Objectives, orDash(s.CurrentLevel)))
	}
	return append(out, campaignNotes(st.Campaigns)...)
}

// campaignNotes are a business's progress in the Campaigns selecting it:
// "campaign faster-replies Active, due 2027-06-30: 1/2 objectives met".
func campaignNotes(cs []v1alpha1.TargetCampaign) []string {
	var out []string
	for _, c := range cs {
		if c.Message != "" {
			out = append(out, fmt.Sprintf("campaign %s %s: %s", c.Name, c.Phase, c.Message))
			continue
		}
		out = append(out, fmt.Sprintf("campaign %s %s, due %s: %d/%d objectives met",
			c.Name, c.Phase, day(c.TargetDate.Time), c.Passing, int(c.Passing)+len(c.Failing)))
	}
	return out
}

// previews are the lines of the page's banner for each model in Preview:
// what applying its new generation would do to the businesses.
func previews(models []v1alpha1.MaturityModel) []string {
	models = slices.Clone(models)
	slices.SortFunc(models, func(a, b v1alpha1.MaturityModel) int { return cmp.Compare(a.Name, b.Name) })
	var out []string
	for i := range models {
		p := models[i].Status.Preview
		if p == nil {
			continue
		}
		out = append(out, fmt.Sprintf("MaturityModel %s: generation %d is in preview; applying it would move %d of %d businesses up a level and %d down, open %d tasks and resolve %d",
			models[i].Name, p.Generation, p.LevelUp, p.Targets, p.LevelDown, p.TasksToOpen, p.TasksToResolve))
	}
	return out
}
