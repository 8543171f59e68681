package report_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's kubectl scaleup section shows the plugin's output: it must
// be the golden renderings as they are, so a change of a rendering shows in
// the README too.
func TestREADMEShowsTheGoldenRenderings(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"summary-all", "report", "explain-response-time", "support", "partners"} {
		b, err := os.ReadFile(filepath.Join("testdata", name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(readme), "```text\n"+string(b)+"```\n") {
			t.Errorf("README.md has no text block with testdata/%s.golden as it is", name)
		}
	}
}
