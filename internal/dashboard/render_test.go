package dashboard

import (
	"bytes"
	"strings"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestRenderEscapesWhatPeopleWrite(t *testing.T) {
	a := target("n", "a", `<script>alert("x")</script>`, "Low", objective("s", "one", false, "Unknown"))
	a.Status.History = []v1alpha1.HistoryEntry{{Time: *at(-30), Level: "Low", Passed: 1}}
	var b bytes.Buffer
	if err := Render(&b, Build(Objects{Targets: []v1alpha1.MaturityTarget{a}}, now)); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, `<script>alert`) {
		t.Errorf("unescaped business name:\n%s", page)
	}
	for _, want := range []string{
		`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`,                                       // the table
		`<title>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;: level over the last 1 changes`, // the chart
		`id="cell_n_a_s_one" class="cell unknown" data-outcome="unknown"`,
		`<script src="static/app.js"></script>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page has no %q", want)
		}
	}
}

func TestRenderViewIsThePagesMain(t *testing.T) {
	v := Build(Objects{}, now)
	var page, view bytes.Buffer
	if err := Render(&page, v); err != nil {
		t.Fatal(err)
	}
	if err := RenderView(&view, v); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), `<main id="view">`+view.String()+`</main>`) {
		t.Error("the view is not what the page's main holds")
	}
	for _, want := range []string{"No MaturityTargets to show.", "No SupportPlans to show.", "No PartnerPrograms to show."} {
		if !strings.Contains(view.String(), want) {
			t.Errorf("an empty view has no %q", want)
		}
	}
}

// The page needs nothing from the network: no URL outside the server.
func TestNoExternalResources(t *testing.T) {
	for _, name := range []string{"web/page.html", "web/view.html", "web/app.js", "web/style.css"} {
		b, err := web.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("http://")) || bytes.Contains(b, []byte("https://")) || bytes.Contains(b, []byte("//cdn")) {
			t.Errorf("%s refers to the network", name)
		}
	}
}
