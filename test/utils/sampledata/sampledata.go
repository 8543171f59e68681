// Package sampledata reads the objects of config/samples that the test
// harnesses build their workloads from.
package sampledata

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/samples"
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

// Objects returns the objects of config/samples under root in the order of
// its kustomization, with their dates moved to today's UTC day as
// `go run ./hack/samples` does, each decoded into its v1alpha1 type. The
// Namespace is left out: tests bring their own.
func Objects(root string, today time.Time) ([]client.Object, error) {
	b, err := samples.Render(filepath.Join(root, "config", "samples"), today)
	if err != nil {
		return nil, err
	}
	kinds := map[string]func() client.Object{
		"MaturityModel":  func() client.Object { return &v1alpha1.MaturityModel{} },
		"MetricSource":   func() client.Object { return &v1alpha1.MetricSource{} },
		"MaturityTarget": func() client.Object { return &v1alpha1.MaturityTarget{} },
		"SupportPlan":    func() client.Object { return &v1alpha1.SupportPlan{} },
		"PartnerProgram": func() client.Object { return &v1alpha1.PartnerProgram{} },
		"Partner":        func() client.Object { return &v1alpha1.Partner{} },
		"Campaign":       func() client.Object { return &v1alpha1.Campaign{} },
	}
	var out []client.Object
	for _, doc := range bytes.Split(b, []byte("\n---\n")) {
		var meta struct{ Kind string }
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			return nil, err
		}
		if meta.Kind == "" || meta.Kind == "Namespace" {
			continue
		}
		newObj, ok := kinds[meta.Kind]
		if !ok {
			return nil, fmt.Errorf("config/samples: unexpected kind %s", meta.Kind)
		}
		obj := newObj()
		if err := yaml.UnmarshalStrict(doc, obj); err != nil {
			return nil, fmt.Errorf("config/samples %s: %w", meta.Kind, err)
		}
		out = append(out, obj)
	}
	return out, nil
}
