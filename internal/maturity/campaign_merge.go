package maturity

import (
	"fmt"
	"slices"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// PhasedCampaign is a compiled campaign in the phase it has at the
// evaluation.
type PhasedCampaign struct {
	Name string
	// Phase is v1alpha1.CampaignScheduled, CampaignActive or
	// CampaignEnforced (CampaignPhase).
	Phase string
	// Due is the campaign's targetDate: the due date of the tasks its rules
	// open while Active.
	Due      time.Time
	Campaign *Campaign
}

// campaignInfo is a campaign merged into a model.
type campaignInfo struct {
	name, phase string
	due         time.Time
	// objectives are the (stream, objective) pairs the campaign adds or
	// tightens, without repeats.
	objectives [][2]string
}

// CampaignOutcome is the first rule of one campaign an objective does not
// pass while the campaign's rules are not part of the level.
type CampaignOutcome struct {
	// Campaign is the index of the campaign in the merge.
	Campaign int
	Rule     *RuleOutcome
}

// campaignOutcome returns the outcome recorded for campaign c, nil if none.
func (o *ObjectiveResult) campaignOutcome(c int) *RuleOutcome {
	for _, co := range o.Campaigns {
		if co.Campaign == c {
			return co.Rule
		}
	}
	return nil
}

// WithCampaigns returns the model with the campaigns' objectives merged in,
// each in the mode of its phase, so one evaluation grades all of them:
//
//   - Scheduled: the rules are shadow (reported in shadowBlocking and
//     status.shadow, changing neither level nor tasks); new objectives are
//     shadow objectives.
//   - Active: the same for the level, but Gaps opens a task, due at the
//     campaign's targetDate, for every rule that fails at or below the
//     target level.
//   - Enforced: the rules count like the model's own.
//
// New objectives go after their stream's own objectives, in campaign
// order. A tightening adds its rules to the objective's level, next to the
// model's rule there. Nothing is compiled: the programs are the model's and
// the campaigns'. A campaign the model cannot take (Model.CheckCampaign) is
// left out; skipped[i] says why for cs[i], empty when it was merged. The
// receiver is not modified.
func (m *Model) WithCampaigns(cs []PhasedCampaign) (merged *Model, skipped []string) {
	if len(cs) == 0 {
		return m, nil
	}
	skipped = make([]string, len(cs))
	nm := *m
	nm.campaigns = nil
	mg := newMerge(m)
	for ci, pc := range cs {
		if pc.Campaign == nil {
			skipped[ci] = "the campaign does not compile"
			continue
		}
		if errs := m.CheckCampaign(pc.Campaign); len(errs) > 0 {
			skipped[ci] = truncate(errs[0].Error(), maxMessageLength)
			continue
		}
		tag := len(nm.campaigns) + 1
		info := campaignInfo{name: pc.Name, phase: pc.Phase, due: pc.Due}
		shadow := pc.Phase != v1alpha1.CampaignEnforced
		for i, co := range pc.Campaign.spec.Objectives {
			var o *objective
			if co.Add != nil {
				si := mg.streamIndex[co.Stream]
				mg.added[si] = append(mg.added[si], newCampaignObjective(co, len(m.levels), shadow))
				o = &mg.added[si][len(mg.added[si])-1]
				nm.weighted = nm.weighted || (!o.shadow && (co.Add.Weight != nil || co.Add.Key))
				mg.addedSpec[si] = append(mg.addedSpec[si], *co.Add)
			} else {
				o = mg.tightened(co.Stream, co.Tighten.Objective)
			}
			if key := [2]string{o.stream, o.name}; !slices.Contains(info.objectives, key) {
				info.objectives = append(info.objectives, key)
			}
			criteria, _ := campaignCriteria(co, "")
			for j, cr := range criteria {
				level := m.levelIndex[cr.Level]
				p := pc.Campaign.programs[i][j]
				r := &rule{text: cr.Rule, level: level, prg: p.prg, refs: p.refs, campaign: tag,
					shadow: cr.Shadow || shadow || o.shadow || m.shadowLevels[level], next: o.byLevel[level]}
				o.byLevel[level] = r
				nm.rules++
				nm.hasShadow = nm.hasShadow || r.shadow
				for _, n := range p.refs.names {
					mg.names[n] = true
				}
			}
			nm.hasShadow = nm.hasShadow || o.shadow
		}
		nm.campaigns = append(nm.campaigns, info)
	}
	nm.objectives, nm.spec = mg.build()
	nm.metricNames = sortedKeys(mg.names)
	return &nm, skipped
}

// merge is the state of one WithCampaigns: the model's objectives, with
// the tightened ones given rule tables of their own, and the new
// objectives per stream.
type merge struct {
	m           *Model
	objs        []objective
	index       map[[2]string]int
	streamIndex map[string]int
	added       [][]objective
	addedSpec   [][]v1alpha1.Objective
	cloned      map[int]bool
	names       map[string]bool
}

func newMerge(m *Model) *merge {
	mg := &merge{m: m, objs: slices.Clone(m.objectives), index: make(map[[2]string]int, len(m.objectives)),
		streamIndex: make(map[string]int, len(m.spec.Streams)), added: make([][]objective, len(m.spec.Streams)),
		addedSpec: make([][]v1alpha1.Objective, len(m.spec.Streams)), cloned: map[int]bool{}, names: map[string]bool{}}
	for i := range mg.objs {
		mg.index[[2]string{mg.objs[i].stream, mg.objs[i].name}] = i
	}
	for i, s := range m.spec.Streams {
		mg.streamIndex[s.Name] = i
	}
	for _, n := range m.metricNames {
		mg.names[n] = true
	}
	return mg
}

// tightened returns the model's objective stream/name with a rule table of
// its own, so adding rules never touches the model's.
func (mg *merge) tightened(stream, name string) *objective {
	k := mg.index[[2]string{stream, name}]
	if !mg.cloned[k] {
		mg.objs[k].byLevel = slices.Clone(mg.objs[k].byLevel)
		mg.cloned[k] = true
	}
	return &mg.objs[k]
}

// newCampaignObjective is a campaign's new objective, without its rules;
// it is shadow while the campaign is not enforced.
func newCampaignObjective(co v1alpha1.CampaignObjective, levels int, shadow bool) objective {
	a := co.Add
	o := objective{stream: co.Stream, name: a.Name, owner: a.Owner, causes: a.Causes,
		byLevel: make([]*rule, levels), shadow: a.Shadow || shadow, weight: 1, key: a.Key}
	if a.Weight != nil && *a.Weight > 0 {
		o.weight = int(*a.Weight)
	}
	return o
}

// build lays the objectives out in model order, each stream's new
// objectives after its own, with the spec to match.
func (mg *merge) build() ([]objective, *v1alpha1.MaturityModelSpec) {
	spec := *mg.m.spec
	spec.Streams = slices.Clone(spec.Streams)
	out := make([]objective, 0, len(mg.objs)+len(mg.addedSpec))
	k := 0
	for si := range spec.Streams {
		n := len(spec.Streams[si].Objectives)
		out = append(out, mg.objs[k:k+n]...)
		k += n
		if len(mg.added[si]) > 0 {
			out = append(out, mg.added[si]...)
			spec.Streams[si].Objectives = append(slices.Clone(spec.Streams[si].Objectives), mg.addedSpec[si]...)
		}
	}
	return out, &spec
}

// CampaignResult is where one business stands in one merged campaign.
type CampaignResult struct {
	Name, Phase string
	Due         time.Time
	// Passing counts the campaign's objectives the business meets at its
	// target level with the campaign's rules counted; Failing names the
	// others, in campaign order.
	Passing int
	Failing []v1alpha1.ObjectiveRef
}

// CampaignResults says, for each campaign merged by WithCampaigns, which
// of its objectives the evaluation r meets at the target level as if the
// campaign's rules counted: an objective meets it when it reaches the
// target level (an exemption counts) and no rule of the campaign at or
// below the target level fails, is unknown or errs.
func (m *Model) CampaignResults(r Result) []CampaignResult {
	if len(m.campaigns) == 0 {
		return nil
	}
	index := make(map[[2]string]int, len(r.Objectives))
	for i := range r.Objectives {
		index[[2]string{r.Objectives[i].Stream, r.Objectives[i].Objective}] = i
	}
	out := make([]CampaignResult, len(m.campaigns))
	for ci, c := range m.campaigns {
		res := CampaignResult{Name: c.name, Phase: c.phase, Due: c.due}
		for _, key := range c.objectives {
			or := &r.Objectives[index[key]]
			failing := or.Reached < r.TargetLevel
			if co := or.campaignOutcome(ci); co != nil && co.Level <= r.TargetLevel {
				failing = true
			}
			if failing && or.Exemption == nil {
				res.Failing = append(res.Failing, v1alpha1.ObjectiveRef{Stream: key[0], Objective: key[1]})
				continue
			}
			res.Passing++
		}
		out[ci] = res
	}
	return out
}

// activeBlocking is the lowest rule of an Active campaign the objective does
// not pass at or below the target level, with the campaign's due date; nil
// when there is none.
func (m *Model) activeBlocking(o *ObjectiveResult, target int) (*RuleOutcome, time.Time, string) {
	var best *RuleOutcome
	var due time.Time
	var name string
	for _, co := range o.Campaigns {
		c := m.campaigns[co.Campaign]
		if c.phase != v1alpha1.CampaignActive || co.Rule.Level > target {
			continue
		}
		if best == nil || co.Rule.Level < best.Level {
			best, due, name = co.Rule, c.due, c.name
		}
	}
	return best, due, name
}

// campaignGapMessage is the Resolved message of a task an Active campaign
// keeps open.
func campaignGapMessage(m *Model, o *ObjectiveResult, b *RuleOutcome, campaign string, due time.Time) string {
	return fmt.Sprintf("%s/%s does not pass %s at %s, which campaign %s requires by %s",
		o.Stream, o.Objective, b.Rule, m.levels[b.Level], campaign, due.UTC().Format(time.RFC3339))
}
