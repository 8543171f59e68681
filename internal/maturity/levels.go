package maturity

// LevelOutcome is the criterion of one objective at one level, evaluated on
// its own, whatever the levels below it say.
type LevelOutcome struct {
	// Level is the index into Levels().
	Level int
	// HasRule is false when the objective has no criterion at the level
	// (the level then passes).
	HasRule bool
	// Outcome of the rule: Passed, Failed, Unknown or Error; Passed
	// without a rule.
	Outcome
	// Rule, Values, Missing and Message are as in RuleOutcome.
	Rule            string
	Values, Missing []string
	Message         string
}

// EvaluateLevels evaluates every criterion of the objective stream/name on
// its own, for explaining a result: Evaluate stops an objective at its first
// rule that does not pass, which is what counts, while a reader also wants
// to know how far the levels above are. It returns false when the model has
// no such objective. It compiles nothing and is safe for concurrent use.
func (m *Model) EvaluateLevels(metrics Metrics, stream, name string) ([]LevelOutcome, bool) {
	return m.EvaluateLevelsWithPrevious(metrics, nil, stream, name)
}

// EvaluateLevelsWithPrevious is EvaluateLevels with the values rules read
// through `previous`, as EvaluateWithPrevious.
func (m *Model) EvaluateLevelsWithPrevious(metrics, previous Metrics, stream, name string) ([]LevelOutcome, bool) {
	for i := range m.objectives {
		o := &m.objectives[i]
		if o.stream != stream || o.name != name {
			continue
		}
		ev := newEvaluator(metrics, previous, len(m.levels))
		out := make([]LevelOutcome, len(m.levels))
		for level := range out {
			out[level] = LevelOutcome{Level: level, Outcome: Passed}
			if level >= len(o.byLevel) || o.byLevel[level] == nil {
				continue
			}
			// A level guarded by several rules (a campaign tightening it)
			// shows the first that does not pass, else the last.
			r := o.byLevel[level]
			res := ev.eval(r)
			for res.outcome == Passed && r.next != nil {
				r = r.next
				res = ev.eval(r)
			}
			d := ev.describe(o, r, res)
			out[level] = LevelOutcome{
				Level: level, HasRule: true, Outcome: d.Result, Rule: d.Rule,
				Values: d.Values, Missing: d.Missing, Message: d.Message,
			}
		}
		return out, true
	}
	return nil, false
}
