package metrics

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	promodel "github.com/prometheus/common/model"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// everyKind is one object of each kind, with user text where people write.
func everyKind() []client.Object {
	odd := target("shop", "odd")
	// Label values as a tenant could make them: quotes, backslashes and a
	// line break must be escaped, not break the exposition.
	odd.Status.CurrentLevel = "Growing \"Pains\"\\\nnext"
	return []client.Object{
		model(), target("shop", "acme"), odd, source("shop", "prom"), plan("shop", "team"), program("shop", "partners"),
		partner("shop", "p1", "partners", true), partner("shop", "p2", "partners", false),
		task("shop", "t1", "acme", v1alpha1.OwnerIT, false, true), task("shop", "t2", "acme", v1alpha1.OwnerMarketing, true, false),
		&v1alpha1.Campaign{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "faster"},
			Status: v1alpha1.CampaignStatus{Phase: v1alpha1.CampaignActive, TargetsInScope: 2, Passing: 1}},
	}
}

// gathered is what a registry holding c gathers, as text sorted the way
// client_golang sorts.
func gathered(t *testing.T, c prometheus.Collector) string {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	return familiesText(t, families)
}

func familiesText(t *testing.T, families []*dto.MetricFamily) string {
	t.Helper()
	var b bytes.Buffer
	for _, f := range families {
		if _, err := expfmt.MetricFamilyToText(&b, f); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// parsed parses a text exposition and sorts its families, series and
// labels as a registry does.
func parsed(t *testing.T, text string) string {
	t.Helper()
	parser := expfmt.NewTextParser(promodel.UTF8Validation)
	byName, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the exposition does not parse: %v\n%s", err, text)
	}
	var families []*dto.MetricFamily
	for _, f := range byName {
		for _, m := range f.Metric {
			slices.SortFunc(m.Label, func(a, b *dto.LabelPair) int { return strings.Compare(a.GetName(), b.GetName()) })
		}
		slices.SortFunc(f.Metric, func(a, b *dto.Metric) int { return strings.Compare(a.String(), b.String()) })
		families = append(families, f)
	}
	slices.SortFunc(families, func(a, b *dto.MetricFamily) int { return strings.Compare(a.GetName(), b.GetName()) })
	return familiesText(t, families)
}

func TestWriteTextIsWhatCollectGathers(t *testing.T) {
	c := newCollector(newReader(everyKind()...))
	var text bytes.Buffer
	if err := c.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	want := gathered(t, c)
	if got := parsed(t, text.String()); got != want {
		t.Errorf("text exposition differs from the registry's:\n got:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(want, `level="Growing \"Pains\"\\\nnext"`) {
		t.Errorf("the escaped level is missing:\n%s", want)
	}
}

// informerCache is the part of the manager's cache the collector reads:
// informers whose stores hold the cached objects.
type informerCache struct {
	cache.Informers
	client.Reader
	stores map[string]toolscache.Store
}

type storeInformer struct {
	cache.Informer
	store toolscache.Store
}

func (i storeInformer) GetStore() toolscache.Store { return i.store }

func (c informerCache) GetInformer(_ context.Context, obj client.Object, _ ...cache.InformerGetOption) (cache.Informer, error) {
	s, ok := c.stores[kindOf(obj)]
	if !ok {
		s = toolscache.NewStore(toolscache.MetaNamespaceKeyFunc)
	}
	return storeInformer{store: s}, nil
}

func kindOf(o client.Object) string { return reflect.TypeOf(o).Elem().Name() }

func TestReadsTheCacheInPlace(t *testing.T) {
	objs := everyKind()
	ic := informerCache{stores: map[string]toolscache.Store{}}
	for _, o := range objs {
		k := kindOf(o)
		if ic.stores[k] == nil {
			ic.stores[k] = toolscache.NewStore(toolscache.MetaNamespaceKeyFunc)
		}
		if err := ic.stores[k].Add(o); err != nil {
			t.Fatal(err)
		}
	}
	c := newCollector(ic)
	partners, err := read[v1alpha1.Partner](context.Background(), c, &v1alpha1.PartnerList{})
	if err != nil {
		t.Fatal(err)
	}
	if len(partners) != 2 || (partners[0] != objs[6] && partners[0] != objs[7]) {
		t.Errorf("read %d partners, not the cached objects themselves", len(partners))
	}
	var text bytes.Buffer
	if err := c.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if got, want := parsed(t, text.String()), gathered(t, newCollector(newReader(everyKind()...))); got != want {
		t.Errorf("read from the stores:\n%s\nlisted:\n%s", got, want)
	}
}

func TestAppendJoinsTheRegistryAndTheDomainMetrics(t *testing.T) {
	c := newCollector(newReader(everyKind()...))
	var seen http.Header
	registry := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		_, _ = w.Write([]byte("# HELP up Up.\n# TYPE up gauge\nup 1\n"))
	})
	h := c.Append(registry)

	req := httptest.NewRequest(http.MethodGet, MetricsPath, nil)
	req.Header.Set("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Authorization", "Bearer x")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := seen.Get("Accept"); !strings.HasPrefix(got, "text/plain") || seen.Get("Accept-Encoding") != "" {
		t.Errorf("the registry was asked for %q with encoding %q, want uncompressed text", got, seen.Get("Accept-Encoding"))
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, "# HELP up Up.\n") || !strings.Contains(body, "scaleup_object_ready{") {
		t.Errorf("body is not the registry's metrics followed by the domain metrics:\n%s", body)
	}
	parsed(t, body)

	// A refused request gets the refusal only.
	req.Header.Del("Authorization")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "scaleup_") {
		t.Errorf("refused request: %d %q", rec.Code, rec.Body.String())
	}

	// Another path is the registry's alone.
	rec = httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodGet, "/other", nil)
	req.Header.Set("Authorization", "Bearer x")
	h.ServeHTTP(rec, req)
	if strings.Contains(rec.Body.String(), "scaleup_") {
		t.Errorf("%s got the domain metrics", req.URL.Path)
	}
}
