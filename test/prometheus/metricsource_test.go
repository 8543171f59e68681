package prometheus

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// realSource is the MetricSource that polls the test's Prometheus.
const realSource = "real-prometheus"

// sourceManifest reads three numbers from address: one that exists, one
// that matches no series and one that matches five (one per partner phase).
func sourceManifest(address string) string {
	return fmt.Sprintf(`apiVersion: growth.scaleup.io/v1alpha1
kind: MetricSource
metadata:
  name: %s
  namespace: %s
spec:
  type: Prometheus
  interval: 5s
  prometheus:
    address: %s
    queries:
    - metric: operatorUp
      query: 'max(up{job="scaleup-operator"})'
    - metric: noData
      query: 'scaleup_no_such_metric{namespace="%[2]s"}'
    - metric: severalSeries
      query: 'scaleup_partnerprogram_partners{namespace="%[2]s",name="acme-partners"}'
`, realSource, sampleNamespace, address)
}

func (e *env) testMetricSource(t *testing.T) {
	if _, err := e.kubectl([]byte(sourceManifest(e.prom.URL)), "apply", "-f", "-"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the status of "+realSource, func() error {
		src, err := e.source(realSource)
		if err != nil {
			return err
		}
		values := map[string]v1alpha1.MetricValue{}
		for _, v := range src.Status.Values {
			values[v.Name] = v
		}
		if v := values["operatorUp"]; v.Value == nil || *v.Value != 1 || v.Error != "" {
			return fmt.Errorf("operatorUp: %+v, want the value 1 without an error", v)
		}
		if v := values["noData"]; !strings.HasPrefix(v.Error, "query returned no series, want exactly one") || v.Value != nil {
			return fmt.Errorf("noData: %+v, want the empty-result error and no value", v)
		}
		if v := values["severalSeries"]; !strings.HasPrefix(v.Error, "query returned 5 series, want exactly one: aggregate them") || v.Value != nil {
			return fmt.Errorf("severalSeries: %+v, want the several-series error and no value", v)
		}
		ready := meta.FindStatusCondition(src.Status.Conditions, v1alpha1.ConditionReady)
		if ready == nil || ready.Status != "False" || ready.Reason != v1alpha1.ReasonMetricsFailed {
			return fmt.Errorf("Ready: %+v, want False with reason %s", ready, v1alpha1.ReasonMetricsFailed)
		}
		return nil
	})

	// The same facts, through the operator's own metrics in Prometheus.
	for expr, want := range map[string]float64{
		fmt.Sprintf(`scaleup_metricsource_failed_values{name=%q}`, realSource):                         2,
		fmt.Sprintf(`scaleup_metricsource_values{name=%q}`, realSource):                                3,
		fmt.Sprintf(`scaleup_metricsource_poll_failing{name=%q,category="MetricsFailed"}`, realSource): 1,
		fmt.Sprintf(`scaleup_object_ready{kind="MetricSource",name=%q}`, realSource):                   0,
	} {
		eventually(t, expr, func() error { return e.expectValue(expr, want) })
	}
}

// testDeletedSource deletes the MetricSource: its series end (Prometheus
// marks them stale at the first scrape without them).
func (e *env) testDeletedSource(t *testing.T) {
	expr := fmt.Sprintf(`{__name__=~"scaleup_.+",name=%q}`, realSource)
	eventually(t, "series of "+realSource, func() error {
		v, err := e.query(expr)
		if err == nil && len(v) == 0 {
			err = fmt.Errorf("%s: no series before the delete", expr)
		}
		return err
	})
	if _, err := e.kubectl(nil, "delete", "-n", sampleNamespace, "metricsource/"+realSource, "--wait=true"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "series of the deleted "+realSource, func() error {
		v, err := e.query(expr)
		if err == nil && len(v) > 0 {
			err = fmt.Errorf("%s: %d series after the delete", expr, len(v))
		}
		return err
	})
}

// expectValue checks that expr returns one series with the value want.
func (e *env) expectValue(expr string, want float64) error {
	v, err := e.query(expr)
	if err != nil {
		return err
	}
	if len(v) != 1 || float64(v[0].Value) != want {
		return fmt.Errorf("%s = %v, want one series of %v", expr, v, want)
	}
	return nil
}

func (e *env) source(name string) (*v1alpha1.MetricSource, error) {
	out, err := e.kubectl(nil, "get", "-n", sampleNamespace, "metricsource/"+name, "-o", "json")
	if err != nil {
		return nil, err
	}
	src := &v1alpha1.MetricSource{}
	return src, json.Unmarshal(out, src)
}
