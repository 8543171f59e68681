package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// enumLabels are the only labels besides kind, namespace and name.
var enumLabels = map[string]bool{
	"level": true, "stream": true, "cause": true, "state": true, "category": true,
	"phase": true, "metric": true, "role": true,
}

// Every series is labelled with namespace/name (and kind) plus at most one
// enum, and no label value carries what people or remote systems wrote.
func TestLabelsAreBounded(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(newCollector(newReader(model(), target("shop", "acme"), source("shop", "prom"), plan("shop", "team"),
		program("shop", "partners"), task("shop", "t1", "acme", v1alpha1.OwnerIT, false, true))))
	families := gather(t, reg)
	if len(families) < 40 {
		t.Fatalf("%d metric families, want every kind's", len(families))
	}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			enums := 0
			for _, l := range m.GetLabel() {
				switch name := l.GetName(); {
				case name == "kind" || name == "namespace" || name == "name":
				case enumLabels[name]:
					enums++
				default:
					t.Errorf("%s: label %q is not an identity or enum label", f.GetName(), name)
				}
				if strings.ContainsAny(l.GetValue(), " <>()=") {
					t.Errorf("%s: label %s=%q carries free text", f.GetName(), l.GetName(), l.GetValue())
				}
			}
			if enums > 1 {
				t.Errorf("%s: %d enum labels, want at most one", f.GetName(), enums)
			}
		}
	}
}

func gather(t *testing.T, reg *prometheus.Registry) []*dto.MetricFamily {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	return families
}

// gaugeValue is the value of the one series of metric whose label has the
// value; it fails the test when there is none.
func gaugeValue(t *testing.T, reg *prometheus.Registry, metric, label, value string) float64 {
	t.Helper()
	for _, f := range gather(t, reg) {
		if f.GetName() != metric {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	t.Fatalf("no series %s{%s=%q}", metric, label, value)
	return 0
}

// seriesOf counts the series labelled name=<name>.
func seriesOf(t *testing.T, reg *prometheus.Registry, name string) int {
	t.Helper()
	n := 0
	for _, f := range gather(t, reg) {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "name" && l.GetValue() == name {
					n++
				}
			}
		}
	}
	return n
}
