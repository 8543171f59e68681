// Package samples renders config/samples for a given day. The samples tell a
// story that depends on dates (partners active, onboarding, waitlisted or
// churned; onboarding times; activation and retention windows), so their
// timestamps are written as of one day, AsOf, and shifted by whole days to
// the day they are applied: the story is the same on any date.
package samples

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"sigs.k8s.io/yaml"
)

// AsOf is the day the timestamps in config/samples are written for.
var AsOf = time.Date(2026, time.November, 23, 0, 0, 0, 0, time.UTC)

// timestamp matches an RFC 3339 UTC timestamp with whole seconds, the only
// form the samples use.
var timestamp = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\b`)

// DaysFrom is the number of whole days from AsOf to the UTC day of today.
func DaysFrom(today time.Time) int {
	y, m, d := today.UTC().Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return int(day.Sub(AsOf).Round(time.Hour).Hours() / 24)
}

// Shift moves every timestamp in b by days days, keeping its time of day.
func Shift(b []byte, days int) []byte {
	if days == 0 {
		return b
	}
	return timestamp.ReplaceAllFunc(b, func(s []byte) []byte {
		t, err := time.Parse(time.RFC3339, string(s))
		if err != nil {
			return s // not a real date (e.g. month 13): left as written
		}
		return []byte(t.AddDate(0, 0, days).Format(time.RFC3339))
	})
}

// Render returns the resources listed in dir's kustomization.yaml, in its
// order, as one multi-document YAML stream with their timestamps shifted so
// that AsOf becomes today's UTC day.
func Render(dir string, today time.Time) ([]byte, error) {
	files, err := Files(dir)
	if err != nil {
		return nil, err
	}
	days := DaysFrom(today)
	var out bytes.Buffer
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		out.WriteString("---\n# " + f + "\n")
		out.Write(bytes.TrimPrefix(Shift(b, days), []byte("---\n")))
		if !bytes.HasSuffix(b, []byte("\n")) {
			out.WriteByte('\n')
		}
	}
	return out.Bytes(), nil
}

// Files lists the resources of dir's kustomization.yaml, in its order.
func Files(dir string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		return nil, err
	}
	var k struct {
		Resources []string `json:"resources"`
	}
	if err := yaml.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("%s/kustomization.yaml: %w", dir, err)
	}
	if len(k.Resources) == 0 {
		return nil, fmt.Errorf("%s/kustomization.yaml lists no resources", dir)
	}
	return k.Resources, nil
}
