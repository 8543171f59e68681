package prometheus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/scaleup-operator/scaleup-operator/internal/metrics"
)

// dashboardFile is the Grafana dashboard, relative to this directory.
var dashboardFile = filepath.Join("..", "..", "config", "grafana", "scaleup-overview.json")

// dashboard is the part of Grafana's dashboard model the tests read.
type dashboard struct {
	UID        string `json:"uid"`
	Title      string `json:"title"`
	Templating struct {
		List []variable `json:"list"`
	} `json:"templating"`
	Panels []panel `json:"panels"`
}

type variable struct {
	Name       string      `json:"name"`
	Type       string      `json:"type"`
	Query      any         `json:"query"`
	Datasource *datasource `json:"datasource"`
}

type panel struct {
	ID         int         `json:"id"`
	Type       string      `json:"type"`
	Title      string      `json:"title"`
	Datasource *datasource `json:"datasource"`
	Targets    []target    `json:"targets"`
	// Panels are the panels of a collapsed row.
	Panels []panel `json:"panels"`
}

type target struct {
	RefID      string      `json:"refId"`
	Expr       string      `json:"expr"`
	Datasource *datasource `json:"datasource"`
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// datasourceRef is how every panel and target names its data source: the
// dashboard's datasource variable, so an import asks for none by name.
var datasourceRef = datasource{Type: "prometheus", UID: "${datasource}"}

func readDashboard(t *testing.T) dashboard {
	t.Helper()
	b, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	return d
}

// allPanels flattens the rows: a collapsed row holds its panels.
func allPanels(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, allPanels(p.Panels)...)
	}
	return out
}

// queries are the PromQL expressions of every panel, by "panel title/refId".
func (d dashboard) queries() map[string]string {
	out := map[string]string{}
	for _, p := range allPanels(d.Panels) {
		for _, t := range p.Targets {
			out[p.Title+"/"+t.RefID] = t.Expr
		}
	}
	return out
}

// substitute replaces the dashboard's variables in a query: namespace
// becomes the regular expression ns (".*" is Grafana's "All").
func substitute(expr, ns string) string {
	return strings.NewReplacer("${namespace}", ns, "$namespace", ns).Replace(expr)
}

// The dashboard parses, names its data source only through the
// datasource variable, has a namespace variable, unique panel ids, and
// every panel (rows are layout only) has a data source and a query.
func TestDashboardIsValid(t *testing.T) {
	d := readDashboard(t)
	if d.UID == "" || d.Title == "" {
		t.Errorf("uid %q, title %q: both are needed to import and link it", d.UID, d.Title)
	}
	vars := map[string]variable{}
	for _, v := range d.Templating.List {
		vars[v.Name] = v
	}
	if v := vars["datasource"]; v.Type != "datasource" || v.Query != "prometheus" {
		t.Errorf("variable datasource: type %q query %v, want a datasource variable of type prometheus", v.Type, v.Query)
	}
	if v, ok := vars["namespace"]; !ok || v.Datasource == nil || *v.Datasource != datasourceRef {
		t.Errorf("variable namespace: %+v, want a query variable on ${datasource}", v)
	}
	ids := map[int]string{}
	panels := 0
	for _, p := range allPanels(d.Panels) {
		if prev, dup := ids[p.ID]; dup || p.ID == 0 {
			t.Errorf("panel %q: id %d is zero or also %q's", p.Title, p.ID, prev)
		}
		ids[p.ID] = p.Title
		if p.Type == "row" {
			continue
		}
		panels++
		if p.Datasource == nil || *p.Datasource != datasourceRef {
			t.Errorf("panel %q: datasource %+v, want %+v", p.Title, p.Datasource, datasourceRef)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no target", p.Title)
		}
		refs := map[string]bool{}
		for _, tg := range p.Targets {
			if strings.TrimSpace(tg.Expr) == "" || tg.RefID == "" || refs[tg.RefID] {
				t.Errorf("panel %q: target %+v needs an expr and a refId of its own", p.Title, tg)
			}
			refs[tg.RefID] = true
			if tg.Datasource != nil && *tg.Datasource != datasourceRef {
				t.Errorf("panel %q target %s: datasource %+v, want %+v", p.Title, tg.RefID, tg.Datasource, datasourceRef)
			}
		}
	}
	if panels < 10 {
		t.Errorf("%d panels, want the overview's", panels)
	}
}

// Every scaleup_* name the dashboard queries is one internal/metrics
// describes. The real-Prometheus test checks the labels and the data.
func TestDashboardNamesExistingMetrics(t *testing.T) {
	described := map[string]bool{}
	ch := make(chan *prometheus.Desc, 200)
	metrics.New(nil, nil).Describe(ch)
	close(ch)
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range ch {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			described[m[1]] = true
		}
	}
	name := regexp.MustCompile(`\bscaleup_[a-z0-9_]+`)
	for where, expr := range readDashboard(t).queries() {
		for _, n := range name.FindAllString(expr, -1) {
			if !described[n] {
				t.Errorf("%s: %s is not a metric of internal/metrics", where, n)
			}
		}
		if strings.Contains(strings.NewReplacer("$namespace", "", "${namespace}", "").Replace(expr), "$") {
			t.Errorf("%s: %q uses a variable the dashboard does not define", where, expr)
		}
	}
}
