package maturity

import (
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/google/cel-go/cel"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// FieldError is a model defect, with the field path in the form used in
// admission messages, so the webhook and status.ruleErrors say the same.
type FieldError struct {
	// Field is the path of the offending value, for example
	// spec.streams[0].objectives[1].criteria[0].rule.
	Field string
	// Message says what is wrong, on one line.
	Message string
}

// Error implements error as "<Field>: <Message>".
func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Model is a compiled MaturityModel: every rule parsed, checked and planned
// once, so evaluation never compiles. It is immutable and safe for
// concurrent use.
type Model struct {
	spec       *v1alpha1.MaturityModelSpec
	levels     []string
	levelIndex map[string]int
	objectives []objective
	rules      int
	// metricNames are the constant metric names read by any rule, sorted:
	// Result.Missing is derived from them without evaluating every rule.
	metricNames []string
	// previousNames are the metric names rules read through `previous`,
	// sorted: the values a target records for a period (relative.go).
	previousNames []string
	// previousRules are the fields of the rules that read `previous`.
	previousRules []string
	// shadowLevels[i] is true for a level marked shadow; hasShadow is set
	// when any level, objective or criterion is.
	shadowLevels []bool
	hasShadow    bool
	// weighted is set when an objective has a weight or is key: the score
	// then has a percent.
	weighted bool
	// campaigns are the campaigns merged in by WithCampaigns.
	campaigns []campaignInfo
}

type objective struct {
	stream, name string
	owner        v1alpha1.OwnerRole
	causes       []string
	// shadow objectives count neither in the level nor in the score.
	shadow bool
	// weight in the score's percent (1 by default); key objectives below
	// the target are named in the score.
	weight int
	key    bool
	// byLevel[i] is the rule guarding level i, nil when the objective has
	// no criterion there (the level then passes).
	byLevel []*rule
}

type rule struct {
	text  string
	level int
	prg   cel.Program
	refs  metricRefs
	// previous is what the rule reads through `previous`.
	previous metricRefs
	// shadow rules are evaluated and reported but never hold an objective
	// back: the criterion, its objective or its level is marked shadow.
	shadow bool
	// campaign is 1 + the index in Model.campaigns of the campaign that
	// added the rule, 0 for the model's own rules.
	campaign int
	// next is another rule guarding the same level (a campaign tightening
	// the objective there): the level passes when every rule does.
	next *rule
}

// Compile validates and compiles every rule of a model. It never panics and
// reports every defect (up to 50) rather than the first, so one admission
// round trip shows an author everything to fix. A Model is returned only
// when there are no errors.
func Compile(spec *v1alpha1.MaturityModelSpec) (m *Model, errs []FieldError) {
	defer func() {
		// cel-go recovers its own panics; this is for ours, so that a
		// webhook never crashes on a strange model.
		if r := recover(); r != nil {
			m = nil
			errs = append(errs, FieldError{Field: "spec", Message: fmt.Sprintf("internal error compiling the model: %v", r)})
		}
	}()
	if spec == nil {
		return nil, []FieldError{{Field: "spec", Message: "is required"}}
	}
	if errs := checkSize(spec); len(errs) > 0 {
		return nil, errs
	}
	c := compiler{spec: spec.DeepCopy()}
	c.run()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return c.model, nil
}

type compiler struct {
	spec  *v1alpha1.MaturityModelSpec
	model *Model
	errs  []FieldError
	// previousRules are the fields of the rules that read `previous`.
	previousRules []string
}

func (c *compiler) fail(field, format string, args ...any) {
	if len(c.errs) < maxFieldErrors {
		c.errs = append(c.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

func (c *compiler) run() {
	env, err := ruleEnv()
	if err != nil {
		c.fail("spec", "cannot build the CEL environment: %v", err)
		return
	}
	m := &Model{spec: c.spec, levelIndex: map[string]int{}}
	for i, l := range c.spec.Levels {
		if j, dup := m.levelIndex[l.Name]; dup {
			c.fail(fmt.Sprintf("spec.levels[%d].name", i), "level %q is already spec.levels[%d]", l.Name, j)
			continue
		}
		m.levelIndex[l.Name] = i
		m.levels = append(m.levels, l.Name)
		m.shadowLevels = append(m.shadowLevels, l.Shadow)
		m.hasShadow = m.hasShadow || l.Shadow
	}
	if len(c.spec.Levels) == 0 {
		c.fail("spec.levels", "must list at least one level")
	}
	causes := make(map[string]bool, len(c.spec.StallCauses))
	for _, sc := range c.spec.StallCauses {
		causes[sc.Name] = true
	}
	names, previous := map[string]bool{}, map[string]bool{}
	streams := map[string]int{}
	for si, s := range c.spec.Streams {
		sPath := fmt.Sprintf("spec.streams[%d]", si)
		if j, dup := streams[s.Name]; dup {
			c.fail(sPath+".name", "stream %q is already spec.streams[%d]", s.Name, j)
		}
		streams[s.Name] = si
		objectives := map[string]int{}
		for oi, o := range s.Objectives {
			oPath := fmt.Sprintf("%s.objectives[%d]", sPath, oi)
			if j, dup := objectives[o.Name]; dup {
				c.fail(oPath+".name", "objective %q is already %s.objectives[%d]", o.Name, sPath, j)
			}
			objectives[o.Name] = oi
			obj := objective{stream: s.Name, name: o.Name, owner: o.Owner, causes: o.Causes, byLevel: make([]*rule, len(c.spec.Levels)),
				shadow: o.Shadow, weight: 1, key: o.Key}
			c.weigh(m, &obj, oPath, o)
			for ci, cause := range o.Causes {
				if !causes[cause] {
					c.fail(fmt.Sprintf("%s.causes[%d]", oPath, ci), "stall cause %q is not in spec.stallCauses", cause)
				}
			}
			for ci, cr := range o.Criteria {
				cPath := fmt.Sprintf("%s.criteria[%d]", oPath, ci)
				r := c.criterion(env, m, &obj, cPath, cr)
				if r == nil {
					continue
				}
				m.rules++
				for _, n := range r.refs.names {
					names[n] = true
				}
				c.recordPrevious(previous, cPath, r)
			}
			for pi, p := range o.Projects {
				if _, ok := m.levelIndex[p.Level]; !ok {
					c.fail(fmt.Sprintf("%s.projects[%d].level", oPath, pi), "level %q is not in spec.levels", p.Level)
				}
			}
			m.objectives = append(m.objectives, obj)
		}
	}
	m.metricNames = sortedKeys(names)
	m.previousNames, m.previousRules = sortedKeys(previous), c.previousRules
	c.model = m
}

// criterion checks one criterion's level and compiles its rule; both are
// checked even when the first fails, so all defects surface at once.
func (c *compiler) criterion(env *cel.Env, m *Model, obj *objective, path string, cr v1alpha1.Criterion) *rule {
	level, levelOK := m.levelIndex[cr.Level]
	if !levelOK {
		c.fail(path+".level", "level %q is not in spec.levels", cr.Level)
	} else if obj.byLevel[level] != nil {
		c.fail(path+".level", "level %q already has a criterion in this objective", cr.Level)
		levelOK = false
	}
	prg, refs, ferr := compileCriterionRule(env, path+".rule", cr.Rule)
	if ferr != nil {
		c.fail(ferr.Field, "%s", ferr.Message)
		return nil
	}
	if !levelOK {
		return nil
	}
	r := &rule{text: cr.Rule, level: level, prg: prg, refs: refs.metrics, previous: refs.previous,
		shadow: cr.Shadow || obj.shadow || m.shadowLevels[level]}
	m.hasShadow = m.hasShadow || r.shadow
	obj.byLevel[level] = r
	return r
}

// compileCriterionRule compiles the rule of a criterion at path (a model's
// or a campaign's) and checks that every metric it reads, directly or
// (prefix "previous.") one period earlier, is one a MetricSource can
// report: the same name rules for both, so the same message.
func compileCriterionRule(env *cel.Env, path, text string) (cel.Program, ruleRefs, *FieldError) {
	prg, refs, err := compileRule(env, text)
	if err != nil {
		return nil, refs, &FieldError{Field: path, Message: fmt.Sprintf("rule %q does not compile: %s", text, err)}
	}
	for _, read := range []struct {
		prefix string
		names  []string
	}{{"", refs.metrics.names}, {previousVar + ".", refs.previous.names}} {
		for _, n := range read.names {
			if utf8.RuneCountInString(n) > maxMetricNameLength {
				return nil, refs, &FieldError{Field: path, Message: fmt.Sprintf(
					"rule %q reads metric %q, longer than the %d characters a MetricSource can report", text, read.prefix+n, maxMetricNameLength)}
			}
			if !metricName.MatchString(n) {
				return nil, refs, &FieldError{Field: path, Message: fmt.Sprintf(
					"rule %q reads metric %q, not a name a MetricSource can report (a letter or underscore, then letters, digits or underscores)", text, read.prefix+n)}
			}
		}
	}
	return prg, refs, nil
}

// weigh records an objective's weight and key flag. The schema already
// refuses a weight below 1; this keeps a model that bypassed it (or a
// SupportPlan's generated model) from dividing by zero.
func (c *compiler) weigh(m *Model, obj *objective, path string, o v1alpha1.Objective) {
	if o.Weight != nil {
		if *o.Weight <= 0 {
			c.fail(path+".weight", "weight %d must be greater than 0", *o.Weight)
		} else {
			obj.weight = int(*o.Weight)
		}
	}
	m.weighted = m.weighted || o.Weight != nil || o.Key
	m.hasShadow = m.hasShadow || o.Shadow
}

// metricName is the shape of every metric name a MetricSource reports
// (spec.reported.values keys, prometheus and http metric names).
var metricName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Levels returns the level names, lowest first. The slice is shared: do not
// modify it.
func (m *Model) Levels() []string { return m.levels }

// LevelIndex returns the position of a level name in Levels.
func (m *Model) LevelIndex(name string) (int, bool) {
	i, ok := m.levelIndex[name]
	return i, ok
}

// ObjectiveCount is the number of objectives across all streams.
func (m *Model) ObjectiveCount() int { return len(m.objectives) }

// RuleCount is the number of criteria across all objectives.
func (m *Model) RuleCount() int { return m.rules }

// Spec returns the spec the model was compiled from. It is a private copy
// shared by every caller: treat it as read-only.
func (m *Model) Spec() *v1alpha1.MaturityModelSpec { return m.spec }

func sortedKeys(set map[string]bool) []string {
	if len(set) == 0 {
		return nil
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
