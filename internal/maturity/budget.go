package maturity

import (
	"strconv"
	"unicode/utf8"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// A status must stay well under etcd's object limit (1.5 MiB) whatever the
// model holds: a status the API server refuses freezes the object on its
// last status. Counts and names are bounded by the schema; the rule
// details (rule text, values, missing metrics, messages) are what grows
// with long rules, so they get a budget in bytes of JSON.
const (
	// TargetDetailBudget is what a MaturityTarget status spends on the
	// blocking rules of its objectives. With the rest of the largest
	// status the schema admits (200 objectives, their names, blockedBy,
	// 100 missing metrics, history, conditions) it stays under 256 KiB.
	TargetDetailBudget = 96 << 10
	// PlanDetailBudget is what a SupportPlan status spends on its blocking
	// stage rules (at most 30).
	PlanDetailBudget = 64 << 10
)

// Outcomes converts rule outcomes for a status, in order, at most max of
// them, skipping any that no longer fits in budget bytes of JSON; it
// returns them and how many were left out (for blockingOmitted).
func Outcomes(m *Model, outs []RuleOutcome, max, budget int) ([]v1alpha1.RuleOutcome, int32) {
	ptrs := make([]*RuleOutcome, len(outs))
	for i := range outs {
		ptrs[i] = &outs[i]
	}
	fitted, omitted := fit(m.Levels(), ptrs, max, budget)
	var kept []v1alpha1.RuleOutcome
	for _, o := range fitted {
		if o != nil {
			kept = append(kept, *o)
		}
	}
	return kept, omitted
}

// fit converts outs for a status, in order; fitted[i] is nil for an
// outcome left out: past the first max, or no longer fitting in budget
// bytes of JSON (a smaller one after it may still fit).
func fit(levels []string, outs []*RuleOutcome, max, budget int) (fitted []*v1alpha1.RuleOutcome, omitted int32) {
	fitted = make([]*v1alpha1.RuleOutcome, len(outs))
	kept := 0
	for i, ro := range outs {
		if kept == max {
			return fitted, omitted + int32(len(outs)-i)
		}
		o := toAPIRuleOutcome(levels, ro)
		if n := outcomeSize(&o); n <= budget {
			budget -= n
			fitted[i] = &o
			kept++
			continue
		}
		omitted++
	}
	return fitted, omitted
}

// outcomeSize is the length of o's JSON encoding, exactly as encoding/json
// (and so the API server) writes it.
func outcomeSize(o *v1alpha1.RuleOutcome) int {
	n := len(`{"stream":,"objective":,"level":,"rule":,"result":}`) +
		quotedLen(o.Stream) + quotedLen(o.Objective) + quotedLen(o.Level) + quotedLen(o.Rule) + quotedLen(o.Result)
	if len(o.Values) > 0 {
		n += len(`,"values":[]`) + listLen(o.Values)
	}
	if len(o.Missing) > 0 {
		n += len(`,"missing":[]`) + listLen(o.Missing)
	}
	if o.Message != "" {
		n += len(`,"message":`) + quotedLen(o.Message)
	}
	return n
}

func listLen(ss []string) int {
	n := len(ss) - 1 // commas
	for _, s := range ss {
		n += quotedLen(s)
	}
	return n
}

// quotedLen is the length of s as a JSON string from encoding/json: two
// quotes, two bytes for \" \\ \n \r \t \b \f, six for the other control
// characters, for < > & (escaped for HTML), for U+2028, U+2029 and for
// each byte of invalid UTF-8 (\ufffd).
func quotedLen(s string) int {
	n := 2
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '"' || b == '\\' || b == '\n' || b == '\r' || b == '\t' || b == '\b' || b == '\f':
				n += 2
			case b < 0x20 || b == '<' || b == '>' || b == '&':
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == '\u2028', r == '\u2029':
			n += 6
		default:
			n += size
		}
		i += size
	}
	return n
}

// capList copies at most n entries of ss, each cut to length characters;
// past n the last entry says how many more there are ("… and 4 more").
func capList(ss []string, n, length int) []string {
	if len(ss) == 0 {
		return nil
	}
	keep := len(ss)
	if keep > n {
		keep = n - 1
	}
	out := make([]string, 0, min(len(ss), n))
	for _, s := range ss[:keep] {
		out = append(out, truncate(s, length))
	}
	if keep < len(ss) {
		out = append(out, "… and "+strconv.Itoa(len(ss)-keep)+" more")
	}
	return out
}
