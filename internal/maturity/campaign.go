package maturity

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/cel-go/cel"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Campaign is a compiled Campaign spec: every criterion's rule compiled
// once per campaign generation (Cache.Campaign). It is merged into a
// compiled model per evaluation by Model.WithCampaigns, which compiles
// nothing. It is immutable and safe for concurrent use.
type Campaign struct {
	spec *v1alpha1.CampaignSpec
	// programs[i][j] is the compiled rule of criterion j of objective i.
	programs [][]campaignRule
}

type campaignRule struct {
	prg  cel.Program
	refs metricRefs
}

// CompileCampaign compiles the rules of a campaign. Like Compile it never
// panics and reports every defect; a Campaign is returned only when there
// are none. Whether the streams, objectives and levels it names exist is a
// question for the model (Model.CheckCampaign).
func CompileCampaign(spec *v1alpha1.CampaignSpec) (c *Campaign, errs []FieldError) {
	defer func() {
		if r := recover(); r != nil {
			c = nil
			errs = append(errs, FieldError{Field: "spec", Message: fmt.Sprintf("internal error compiling the campaign: %v", r)})
		}
	}()
	if spec == nil {
		return nil, []FieldError{{Field: "spec", Message: "is required"}}
	}
	env, err := ruleEnv()
	if err != nil {
		return nil, []FieldError{{Field: "spec", Message: fmt.Sprintf("cannot build the CEL environment: %v", err)}}
	}
	c = &Campaign{spec: spec.DeepCopy(), programs: make([][]campaignRule, len(spec.Objectives))}
	for i, o := range c.spec.Objectives {
		criteria, path := campaignCriteria(o, fmt.Sprintf("spec.objectives[%d]", i))
		c.programs[i] = make([]campaignRule, len(criteria))
		for j, cr := range criteria {
			rulePath := fmt.Sprintf("%s[%d].rule", path, j)
			prg, refs, ferr := compileCriterionRule(env, rulePath, cr.Rule)
			if ferr == nil && len(refs.previous.names) > 0 {
				// A target keeps period snapshots of the metrics its
				// model's rules read through previous, not a campaign's:
				// such a rule could never be judged.
				ferr = &FieldError{Field: rulePath, Message: fmt.Sprintf(
					"rule %q reads %s.%s: campaign rules cannot compare with the previous period (put such a rule in the MaturityModel)",
					cr.Rule, previousVar, refs.previous.names[0])}
			}
			if ferr != nil {
				if len(errs) < maxFieldErrors {
					errs = append(errs, *ferr)
				}
				continue
			}
			c.programs[i][j] = campaignRule{prg: prg, refs: refs.metrics}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// campaignCriteria are the criteria of a campaign objective and their path.
func campaignCriteria(o v1alpha1.CampaignObjective, path string) ([]v1alpha1.Criterion, string) {
	switch {
	case o.Add != nil:
		return o.Add.Criteria, path + ".add.criteria"
	case o.Tighten != nil:
		return o.Tighten.Criteria, path + ".tighten.criteria"
	}
	return nil, path
}

// CampaignPhase is the phase of a campaign running from start to
// targetDate at now, and when it changes next (zero once Enforced).
func CampaignPhase(start, targetDate, now time.Time) (phase string, next time.Time) {
	switch {
	case now.Before(start):
		return v1alpha1.CampaignScheduled, start
	case now.Before(targetDate):
		return v1alpha1.CampaignActive, targetDate
	}
	return v1alpha1.CampaignEnforced, time.Time{}
}

// CheckCampaign reports what a campaign names that the model does not
// have: a stream, the objective a tightening names, a level, a stall
// cause; and a new objective whose name the stream already has. Paths are
// the campaign's fields, so admission and the campaign's status say the
// same.
func (m *Model) CheckCampaign(c *Campaign) []FieldError {
	var errs []FieldError
	fail := func(field, format string, args ...any) {
		if len(errs) < maxFieldErrors {
			errs = append(errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
		}
	}
	streams := make(map[string]*v1alpha1.Stream, len(m.spec.Streams))
	for i := range m.spec.Streams {
		streams[m.spec.Streams[i].Name] = &m.spec.Streams[i]
	}
	causes := map[string]bool{}
	for _, sc := range m.spec.StallCauses {
		causes[sc.Name] = true
	}
	added := map[[2]string]string{}
	for i, o := range c.spec.Objectives {
		path := fmt.Sprintf("spec.objectives[%d]", i)
		s := streams[o.Stream]
		if s == nil {
			fail(path+".stream", "stream %q is not in MaturityModel streams (%s)", o.Stream, strings.Join(m.streamNames(), ", "))
			continue
		}
		criteria, cPath := campaignCriteria(o, path)
		for j, cr := range criteria {
			if _, ok := m.levelIndex[cr.Level]; !ok {
				fail(fmt.Sprintf("%s[%d].level", cPath, j), "level %q is not in the model's levels (%s)", cr.Level, strings.Join(m.levels, ", "))
			}
		}
		switch {
		case o.Tighten != nil:
			if !slices.ContainsFunc(s.Objectives, func(x v1alpha1.Objective) bool { return x.Name == o.Tighten.Objective }) {
				fail(path+".tighten.objective", "stream %q of the model has no objective %q", o.Stream, o.Tighten.Objective)
			}
		case o.Add != nil:
			key := [2]string{o.Stream, o.Add.Name}
			if slices.ContainsFunc(s.Objectives, func(x v1alpha1.Objective) bool { return x.Name == o.Add.Name }) {
				fail(path+".add.name", "stream %q of the model already has objective %q: tighten it instead", o.Stream, o.Add.Name)
			} else if prev, dup := added[key]; dup {
				fail(path+".add.name", "objective %q is already added by %s", o.Add.Name, prev)
			}
			added[key] = path
			for k, cause := range o.Add.Causes {
				if !causes[cause] {
					fail(fmt.Sprintf("%s.add.causes[%d]", path, k), "stall cause %q is not in the model's stallCauses", cause)
				}
			}
			for k, p := range o.Add.Projects {
				if _, ok := m.levelIndex[p.Level]; !ok {
					fail(fmt.Sprintf("%s.add.projects[%d].level", path, k), "level %q is not in the model's levels", p.Level)
				}
			}
		}
	}
	return errs
}

func (m *Model) streamNames() []string {
	names := make([]string, len(m.spec.Streams))
	for i, s := range m.spec.Streams {
		names[i] = s.Name
	}
	return names
}
