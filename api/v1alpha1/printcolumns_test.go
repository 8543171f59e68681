package v1alpha1

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/client-go/util/jsonpath"
	"sigs.k8s.io/yaml"
)

// maxDefaultColumns bounds the columns `kubectl get` shows without
// -o wide, besides NAME: more do not fit a terminal.
const maxDefaultColumns = 8

// TestPrinterColumns reads the generated CRDs and checks every printer
// column: its JSONPath parses, names a field of the schema (a typo in a
// marker would show an empty column forever), and its type fits that
// field. It also pins the default columns of the kinds whose `kubectl get`
// the README shows, and keeps Age last.
func TestPrinterColumns(t *testing.T) {
	want := map[string][]string{
		"ProjectTask":    {"Title", "Owner", "Priority", "Due", "State", "Overdue", "Resolved", "Age"},
		"MetricSource":   {"Type", "Values", "Updated", "Stale", "Ready", "Age"},
		"MaturityTarget": {"Current", "Target", "Score", "Trend", "Open tasks", "Met", "Ready", "Age"},
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "config", "crd", "bases", "*.yaml"))
	if err != nil || len(files) != 8 {
		t.Fatalf("found CRDs %v (%v), want the 8 kinds", files, err)
	}
	for _, f := range files {
		crd := readCRD(t, f)
		kind := crd.Spec.Names.Kind
		for _, v := range crd.Spec.Versions {
			var defaults []string
			for _, col := range v.AdditionalPrinterColumns {
				if err := checkColumn(v.Schema.OpenAPIV3Schema, col); err != nil {
					t.Errorf("%s %s column %q: %v", kind, v.Name, col.Name, err)
				}
				if col.Priority == 0 {
					defaults = append(defaults, col.Name)
				}
			}
			if len(defaults) > maxDefaultColumns {
				t.Errorf("%s shows %d columns by default %q, at most %d", kind, len(defaults), defaults, maxDefaultColumns)
			}
			if i := slices.Index(defaults, "Age"); i >= 0 && i != len(defaults)-1 {
				t.Errorf("%s: Age is not the last column: %q", kind, defaults)
			}
			if w, ok := want[kind]; ok && !slices.Equal(defaults, w) {
				t.Errorf("%s default columns %q, want %q", kind, defaults, w)
			}
		}
	}
}

func readCRD(t *testing.T, path string) *apiextensionsv1.CustomResourceDefinition {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(data, crd); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return crd
}

// checkColumn parses col's JSONPath as kubectl does and walks it down the
// schema; the field it reaches must have the column's type.
func checkColumn(schema *apiextensionsv1.JSONSchemaProps, col apiextensionsv1.CustomResourceColumnDefinition) error {
	p, err := jsonpath.Parse(col.Name, "{"+col.JSONPath+"}")
	if err != nil {
		return fmt.Errorf("JSONPath %s does not parse: %w", col.JSONPath, err)
	}
	if strings.HasPrefix(col.JSONPath, ".metadata.") {
		// The schema leaves metadata to the API server.
		if col.JSONPath != ".metadata.creationTimestamp" || col.Type != "date" {
			return fmt.Errorf("unexpected metadata column %s of type %s", col.JSONPath, col.Type)
		}
		return nil
	}
	field, err := walk(schema, p.Root.Nodes)
	if err != nil {
		return fmt.Errorf("JSONPath %s: %w", col.JSONPath, err)
	}
	if !fits(col, field) {
		return fmt.Errorf("JSONPath %s is a %s (format %q), not a %s column", col.JSONPath, field.Type, field.Format, col.Type)
	}
	return nil
}

// walk follows nodes from s: fields into properties, filters and indexes
// into the items of an array (the filter's own fields must be fields of
// those items).
func walk(s *apiextensionsv1.JSONSchemaProps, nodes []jsonpath.Node) (*apiextensionsv1.JSONSchemaProps, error) {
	for _, n := range nodes {
		var err error
		switch n := n.(type) {
		case *jsonpath.ListNode:
			s, err = walk(s, n.Nodes)
		case *jsonpath.FieldNode:
			s, err = property(s, n.Value)
		case *jsonpath.ArrayNode:
			s, err = items(s)
		case *jsonpath.FilterNode:
			if s, err = items(s); err == nil {
				err = filterFields(s, n)
			}
		default:
			err = fmt.Errorf("unsupported %s node %q", n.Type(), n)
		}
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

func property(s *apiextensionsv1.JSONSchemaProps, name string) (*apiextensionsv1.JSONSchemaProps, error) {
	p, ok := s.Properties[name]
	if !ok {
		return nil, fmt.Errorf("no field %q (fields: %s)", name, strings.Join(slices.Sorted(mapsKeys(s.Properties)), ", "))
	}
	return &p, nil
}

func items(s *apiextensionsv1.JSONSchemaProps) (*apiextensionsv1.JSONSchemaProps, error) {
	if s.Type != "array" || s.Items == nil || s.Items.Schema == nil {
		return nil, fmt.Errorf("indexes a %s, not an array", s.Type)
	}
	return s.Items.Schema, nil
}

// filterFields checks that the @-relative fields a filter compares are
// fields of the array's items; the parser drops the @, and a side that is
// a literal holds no field.
func filterFields(item *apiextensionsv1.JSONSchemaProps, f *jsonpath.FilterNode) error {
	for _, side := range []*jsonpath.ListNode{f.Left, f.Right} {
		if side == nil || literal(side) {
			continue
		}
		if _, err := walk(item, side.Nodes); err != nil {
			return fmt.Errorf("filter: %w", err)
		}
	}
	return nil
}

// literal says whether n holds a quoted string or a number.
func literal(n jsonpath.Node) bool {
	switch n := n.(type) {
	case *jsonpath.ListNode:
		return slices.ContainsFunc(n.Nodes, literal)
	case *jsonpath.TextNode, *jsonpath.IntNode, *jsonpath.FloatNode, *jsonpath.BoolNode:
		return true
	}
	return false
}

// fits says whether a column of col's type can show field.
func fits(col apiextensionsv1.CustomResourceColumnDefinition, field *apiextensionsv1.JSONSchemaProps) bool {
	switch col.Type {
	case "integer":
		return field.Type == "integer"
	case "number":
		return field.Type == "number" || field.Type == "integer"
	case "boolean":
		return field.Type == "boolean"
	case "date":
		return field.Type == "string" && field.Format == "date-time"
	case "string":
		return field.Type == "string"
	}
	return false
}

func mapsKeys(m map[string]apiextensionsv1.JSONSchemaProps) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
