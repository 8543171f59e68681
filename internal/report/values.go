package report

import (
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// provenance is where one metric value came from, as its MetricSource's
// status says.
type provenance struct {
	source     string
	observedAt *metav1.Time
	stale      bool
	err        string
}

// sourceValues indexes the sources' status values by source and metric.
type sourceValues map[string]map[string]provenance

func indexSources(sources []v1alpha1.MetricSource, now time.Time) sourceValues {
	idx := sourceValues{}
	for i := range sources {
		s := &sources[i]
		staleSource := meta.IsStatusConditionTrue(s.Status.Conditions, v1alpha1.ConditionStale)
		byName := map[string]provenance{}
		for _, v := range s.Status.Values {
			p := provenance{source: s.Name, observedAt: v.ObservedAt, err: v.Error,
				stale: staleSource || v.Error != ""}
			if s.Spec.MaxAge != nil && v.ObservedAt != nil && now.Sub(v.ObservedAt.Time) > s.Spec.MaxAge.Duration {
				p.stale = true
			}
			byName[v.Name] = p
		}
		idx[s.Name] = byName
	}
	return idx
}

// metrics merges the sources' values in the order the target names them, a
// later source winning, as the operator does.
func metrics(t *v1alpha1.MaturityTarget, sources []v1alpha1.MetricSource) maturity.Metrics {
	byName := map[string]*v1alpha1.MetricSource{}
	for i := range sources {
		byName[sources[i].Name] = &sources[i]
	}
	out := maturity.Metrics{}
	for _, ref := range t.Spec.MetricSources {
		s, ok := byName[ref.Name]
		if !ok {
			continue
		}
		for _, v := range s.Status.Values {
			if v.Value != nil {
				out[v.Name] = maturity.Metric{Value: *v.Value, Source: s.Name}
			}
		}
	}
	return out
}

// valueLine renders one "name=value (source)" that a rule read, with the
// age of the value and whether it is stale, as the source's status says.
func valueLine(p palette, idx sourceValues, now time.Time, v string) string {
	name, rest, _ := strings.Cut(v, "=")
	value, source := rest, ""
	if i := strings.LastIndex(rest, " ("); i >= 0 && strings.HasSuffix(rest, ")") {
		value, source = rest[:i], rest[i+2:len(rest)-1]
	}
	line := name + " = " + p.bold(value)
	if source == "" {
		return line
	}
	line += "  from " + source
	pv, ok := idx[source][name]
	switch {
	case !ok:
		return line + p.dim(", source not readable")
	case pv.observedAt != nil:
		line += ", observed " + date(*pv.observedAt) + " (" + age(now, pv.observedAt.Time) + " ago)"
	}
	if pv.err != "" {
		line += ", " + p.red("last read failed: "+pv.err)
	}
	if pv.stale {
		line += " " + p.yellow("STALE")
	}
	return line
}

// missingLine renders a metric a rule reads that no source provides.
func missingLine(p palette, name string) string {
	return name + " " + p.yellow("MISSING") + p.dim(" (no source provides it)")
}
