// Package sampledata reads the objects of config/samples that the test
// harnesses build their workloads from.
package sampledata

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Decode reads the first object of the YAML or JSON file
// config/samples/<file> under root into into.
func Decode(root, file string, into any) error {
	path := filepath.Join(root, "config", "samples", file)
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096).Decode(into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ModelAndNumbers returns the sample MaturityModel and the numbers of the
// sample Reported MetricSource, which put the sample business at
// GrowingPains with seven gaps to HighPerformance.
func ModelAndNumbers(root string) (*v1alpha1.MaturityModel, map[string]float64, error) {
	model := &v1alpha1.MaturityModel{}
	if err := Decode(root, "growth_v1alpha1_maturitymodel.yaml", model); err != nil {
		return nil, nil, err
	}
	source := &v1alpha1.MetricSource{}
	if err := Decode(root, "growth_v1alpha1_metricsource.yaml", source); err != nil {
		return nil, nil, err
	}
	if source.Spec.Reported == nil {
		return nil, nil, fmt.Errorf("the sample MetricSource %s has no spec.reported", source.Name)
	}
	return model, source.Spec.Reported.Values, nil
}
