package maturity

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// The schema's limits of a MaturityModel (api/v1alpha1/maturitymodel_types.go).
const (
	schemaLevels                = 10
	schemaStallCauses           = 20
	schemaStreams               = 20
	schemaObjectives            = 10 // per stream
	schemaCauses                = 5  // per objective
	schemaProjects              = 10 // per objective
	schemaNameLength            = 63
	schemaLevelDescription      = 2048
	schemaDescription           = 1024 // stall causes, streams, objectives
	schemaRuleLength            = 1024
	schemaTextChars             = 400000
	schemaSourceNameLength      = 253
	schemaObjectivesInAll       = schemaStreams * schemaObjectives
	schemaTextCharsPerObjective = schemaTextChars / schemaObjectivesInAll
)

// padded is prefix followed by fill up to n characters.
func padded(prefix string, fill byte, n int) string {
	return prefix + strings.Repeat(string(fill), n-len(prefix))
}

// largestMetric is the name of the k-th metric the lowest rule of
// objective o reads, at the longest length a rule may read.
func largestMetric(o, k int) string {
	return padded(fmt.Sprintf("m%03d_%02d_", o, k), 'x', schemaNameLength)
}

// largestRule is a rule of exactly schemaRuleLength characters that reads
// as many of objective o's metrics as fit and fails whatever their values:
// "metrics.m000_00_xxx < 0.0 || ... || 'xx…' == ”".
func largestRule(o int) string {
	var b strings.Builder
	for k := 0; ; k++ {
		clause := "metrics." + largestMetric(o, k) + " < 0.0 || "
		if b.Len()+len(clause)+len("'x' == ''") > schemaRuleLength {
			break
		}
		b.WriteString(clause)
	}
	b.WriteString(padded("'", 'x', schemaRuleLength-b.Len()-len("' == ''")) + "' == ''")
	return b.String()
}

// largestModel is the largest model the schema admits, shaped for the
// largest status: 10 levels, 20 stall causes, 20 streams of 10 objectives,
// every name and description at its longest, every objective with 5
// causes, a criterion at each level and 10 projects. The text budget
// (400000 characters, 2000 per objective) goes first to the rule at the
// lowest level, 1024 characters reading a dozen metrics: the one every
// objective shows when all fail. The other criteria read one metric each,
// the projects have one-letter titles and the objective's description
// takes the rest.
func largestModel() *v1alpha1.MaturityModelSpec {
	spec := &v1alpha1.MaturityModelSpec{}
	for i := range schemaLevels {
		spec.Levels = append(spec.Levels, v1alpha1.Level{
			Name: padded(fmt.Sprintf("L%02d", i), 'v', schemaNameLength), Description: strings.Repeat("d", schemaLevelDescription),
		})
	}
	for i := range schemaStallCauses {
		spec.StallCauses = append(spec.StallCauses, v1alpha1.StallCause{
			Name: padded(fmt.Sprintf("C%02d", i), 'c', schemaNameLength), Description: strings.Repeat("d", schemaDescription),
		})
	}
	for s := range schemaStreams {
		st := v1alpha1.Stream{Name: padded(fmt.Sprintf("s%02d-", s), 'a', schemaNameLength), Description: strings.Repeat("d", schemaDescription)}
		for j := range schemaObjectives {
			n := s*schemaObjectives + j
			o := v1alpha1.Objective{Name: padded(fmt.Sprintf("o%03d-", n), 'b', schemaNameLength), Owner: v1alpha1.OwnerCustomerSupport}
			for c := range schemaCauses {
				o.Causes = append(o.Causes, spec.StallCauses[(n+c)%schemaStallCauses].Name)
			}
			text := 0
			for l, level := range spec.Levels {
				rule := largestRule(n)
				if l > 0 {
					rule = "metrics." + largestMetric(n, 99) + " >= 1.0"
				}
				o.Criteria = append(o.Criteria, v1alpha1.Criterion{Level: level.Name, Rule: rule})
				text += len(rule)
			}
			for p := range schemaProjects {
				o.Projects = append(o.Projects, v1alpha1.ProjectTemplate{
					Level: spec.Levels[p%schemaLevels].Name, Title: "P", Priority: v1alpha1.PriorityMedium,
				})
				text++
			}
			o.Description = strings.Repeat("d", min(schemaDescription, schemaTextCharsPerObjective-text))
			st.Objectives = append(st.Objectives, o)
		}
		spec.Streams = append(spec.Streams, st)
	}
	return spec
}

// largestMetrics gives every metric the largest model reads the value 1
// from a source with the longest name: every rule fails on known values.
func largestMetrics(spec *v1alpha1.MaturityModelSpec) Metrics {
	source := strings.Repeat("s", schemaSourceNameLength)
	out := Metrics{}
	for n := range len(spec.Streams) * schemaObjectives {
		for k := range 100 {
			out[largestMetric(n, k)] = Metric{Value: 1, Source: source}
		}
	}
	return out
}

// largestCompiled compiles the largest model once for every test that
// needs it: 2000 rules take a while.
var largestCompiled = sync.OnceValues(func() (*Model, []FieldError) { return Compile(largestModel()) })

func mustCompileLargest(t *testing.T) *Model {
	t.Helper()
	m, errs := largestCompiled()
	if len(errs) > 0 {
		t.Fatalf("Compile(largest model): %v", errs)
	}
	return m
}
