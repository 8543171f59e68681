package maturity

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// MaxModelBytes is the most a model's spec may take as JSON. The schema
// bounds the model's parts and the characters of its texts; this bound
// also holds when the texts are full of characters JSON escapes (< > &
// take six bytes each), so the object with its metadata and status stays
// under etcd's limit of 1.5 MiB and can always be written.
const MaxModelBytes = 1 << 20

// TextChars counts the characters the schema's budget for texts covers
// (400000): the objectives' descriptions, their rules and their projects'
// titles and descriptions.
func TextChars(spec *v1alpha1.MaturityModelSpec) int {
	n := 0
	for _, s := range spec.Streams {
		for _, o := range s.Objectives {
			n += utf8.RuneCountInString(o.Description)
			for _, c := range o.Criteria {
				n += utf8.RuneCountInString(c.Rule)
			}
			for _, p := range o.Projects {
				n += utf8.RuneCountInString(p.Title) + utf8.RuneCountInString(p.Description)
			}
		}
	}
	return n
}

// checkSize reports a spec that takes more than MaxModelBytes as JSON.
func checkSize(spec *v1alpha1.MaturityModelSpec) []FieldError {
	b, err := json.Marshal(spec)
	if err != nil {
		return []FieldError{{Field: "spec", Message: "cannot be encoded: " + err.Error()}}
	}
	if len(b) <= MaxModelBytes {
		return nil
	}
	return []FieldError{{Field: "spec", Message: fmt.Sprintf(
		"takes %d bytes as JSON, more than the %d a model may take; shorten descriptions, rules or projects", len(b), MaxModelBytes)}}
}
