package v1alpha1

import (
	"context"
	"fmt"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// countingReader records the reads a lookup makes.
type countingReader struct {
	client.Reader
	gets, lists []string
}

func (c *countingReader) Get(ctx context.Context, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
	c.gets = append(c.gets, fmt.Sprintf("%T %s", obj, key))
	return c.Reader.Get(ctx, key, obj, opts...)
}

func (c *countingReader) List(ctx context.Context, list client.ObjectList, opts ...client.ListOption) error {
	c.lists = append(c.lists, fmt.Sprintf("%T", list))
	return c.Reader.List(ctx, list, opts...)
}

// A sharded manager's lookups go to the API server: a reference that
// resolves costs one read by name, never a list of its namespace (which
// costs as much as the namespace holds, on every admission), and
// MaturityModels are read from the models reader (the cache, which holds
// them all on every shard).
func TestLookupReadsReferencesByName(t *testing.T) {
	inShop := func(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Namespace: "shop", Name: name} }
	objects := []client.Object{
		&v1alpha1.MetricSource{ObjectMeta: inShop("reported")},
		&v1alpha1.SupportPlan{ObjectMeta: inShop("heroes")},
	}
	for i := range 50 {
		objects = append(objects, &v1alpha1.MetricSource{ObjectMeta: inShop(fmt.Sprintf("src-%02d", i))})
	}
	api := &countingReader{Reader: fakeReader(objects...)}
	models := &countingReader{Reader: fakeReader(ecommerceModel())}
	l := lookup{reader: api, models: models}
	ctx := context.Background()

	target := &v1alpha1.MaturityTarget{ObjectMeta: inShop("shop"), Spec: *targetSpec("ecommerce-scaleup", "HighPerformance")}
	target.Spec.MetricSources = []v1alpha1.LocalObjectReference{{Name: "reported"}, {Name: "src-07"}}
	if w := (MaturityTargetValidator{lookup: l}).warnings(ctx, target); len(w) != 0 {
		t.Errorf("warnings for a target that resolves: %q", w)
	}
	objectsSource := &v1alpha1.MetricSource{ObjectMeta: inShop("tickets"), Spec: v1alpha1.MetricSourceSpec{
		Type: v1alpha1.MetricSourceObjects, Objects: &v1alpha1.ObjectsSource{SupportPlanRef: &v1alpha1.LocalObjectReference{Name: "heroes"}}}}
	if w := l.objectsWarnings(ctx, objectsSource); len(w) != 0 {
		t.Errorf("warnings for an Objects source that resolves: %q", w)
	}
	if len(api.lists) != 0 || len(models.lists) != 0 {
		t.Errorf("lookups of references that resolve listed %v and %v, want reads by name only", api.lists, models.lists)
	}
	wantGets := []string{"*v1alpha1.MetricSource shop/reported", "*v1alpha1.MetricSource shop/src-07", "*v1alpha1.SupportPlan shop/heroes"}
	if fmt.Sprint(api.gets) != fmt.Sprint(wantGets) {
		t.Errorf("API server reads %q, want %q", api.gets, wantGets)
	}
	if want := []string{"*v1alpha1.MaturityModel /ecommerce-scaleup"}; fmt.Sprint(models.gets) != fmt.Sprint(want) {
		t.Errorf("model reads %q, want %q", models.gets, want)
	}

	// A reference that does not resolve lists the namespace, once, for the
	// names the warning suggests.
	target.Spec.MetricSources = []v1alpha1.LocalObjectReference{{Name: "reportd"}, {Name: "src-07"}}
	w := (MaturityTargetValidator{lookup: l}).warnings(ctx, target)
	want := `spec.metricSources[0].name: MetricSource "reportd" not found in namespace shop; readers wait for it ` +
		`(MetricSources there: reported, src-00, src-01, src-02, src-03, src-04, src-05, src-06, src-07, src-08 and 41 more)`
	if len(w) != 1 || w[0] != want {
		t.Errorf("warnings %q, want [%q]", w, want)
	}
	if want := []string{"*v1alpha1.MetricSourceList"}; fmt.Sprint(api.lists) != fmt.Sprint(want) {
		t.Errorf("lists %q, want %q", api.lists, want)
	}
}

// The shard check and the warnings read the same references: on a sharded
// manager, one admission reads each of them once.
func TestShardedAdmissionReadsEachReferenceOnce(t *testing.T) {
	inShop := func(name string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Namespace: "shop", Name: name, Labels: map[string]string{v1alpha1.ShardLabel: "shard1"}}
	}
	api := &countingReader{Reader: fakeReader(
		&v1alpha1.MetricSource{ObjectMeta: inShop("reported")},
		&v1alpha1.PartnerProgram{ObjectMeta: inShop("resellers")},
	)}
	reader := readOnce{api}
	l := lookup{reader: reader, models: fakeReader(ecommerceModel())}
	targets := sameShard[*v1alpha1.MaturityTarget]{
		Validator: warnOnly[*v1alpha1.MaturityTarget](MaturityTargetValidator{lookup: l}.warnings),
		kind:      "MaturityTarget", reader: reader, refs: targetShardRefs}
	target := &v1alpha1.MaturityTarget{ObjectMeta: inShop("shop"), Spec: *targetSpec("ecommerce-scaleup", "HighPerformance")}
	target.Spec.MetricSources = []v1alpha1.LocalObjectReference{{Name: "reported"}, {Name: "missing"}}
	ctx := context.Background()
	w, err := targets.ValidateCreate(ctx, target)
	if err != nil || len(w) != 1 {
		t.Fatalf("got warnings %q and error %v, want one warning for the missing source", w, err)
	}
	want := []string{"*v1alpha1.MetricSource shop/reported", "*v1alpha1.MetricSource shop/missing"}
	if fmt.Sprint(api.gets) != fmt.Sprint(want) {
		t.Errorf("reads %q, want %q", api.gets, want)
	}

	// Each admission reads afresh.
	api.gets = nil
	partners := sameShard[*v1alpha1.Partner]{Validator: warnOnly[*v1alpha1.Partner](PartnerValidator{lookup: l}.warnings),
		kind: "Partner", reader: reader, refs: partnerShardRefs}
	p := &v1alpha1.Partner{ObjectMeta: inShop("p1"), Spec: v1alpha1.PartnerSpec{ProgramRef: v1alpha1.LocalObjectReference{Name: "resellers"}}}
	for range 2 {
		if _, err := partners.ValidateCreate(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"*v1alpha1.PartnerProgram shop/resellers", "*v1alpha1.PartnerProgram shop/resellers"}; fmt.Sprint(api.gets) != fmt.Sprint(want) {
		t.Errorf("two partner admissions read %q, want %q", api.gets, want)
	}
}

// An unsharded manager's cache lags behind writes, and a target is often
// admitted right after its MetricSource (both in one apply). A reference
// the cache does not hold yet is confirmed with one read by name from the
// API server: no false warning, and no list of the namespace. A reference
// that does not exist at all is still warned about, with the names the
// cache lists.
func TestLookupConfirmsACacheMissWithTheAPIServer(t *testing.T) {
	inShop := func(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Namespace: "shop", Name: name} }
	cached := []client.Object{}
	for i := range 50 {
		cached = append(cached, &v1alpha1.MetricSource{ObjectMeta: inShop(fmt.Sprintf("src-%02d", i))})
	}
	cache := &countingReader{Reader: fakeReader(cached...)}
	api := &countingReader{Reader: fakeReader(append(cached, &v1alpha1.MetricSource{ObjectMeta: inShop("just-created")})...)}
	reader := readOnce{liveOnMiss{Reader: cache, live: api}}
	l := lookup{reader: reader, models: liveOnMiss{Reader: fakeReader(), live: fakeReader(ecommerceModel())}}
	targets := sameShard[*v1alpha1.MaturityTarget]{
		Validator: warnOnly[*v1alpha1.MaturityTarget](MaturityTargetValidator{lookup: l}.warnings),
		kind:      "MaturityTarget", reader: reader, refs: targetShardRefs}
	ctx := context.Background()

	target := &v1alpha1.MaturityTarget{ObjectMeta: inShop("shop"), Spec: *targetSpec("ecommerce-scaleup", "HighPerformance")}
	target.Spec.MetricSources = []v1alpha1.LocalObjectReference{{Name: "src-07"}, {Name: "just-created"}}
	if w, err := targets.ValidateCreate(ctx, target); err != nil || len(w) != 0 {
		t.Errorf("a target whose source the cache does not hold yet: warnings %q, error %v; want none", w, err)
	}
	if len(cache.lists) != 0 || len(api.lists) != 0 {
		t.Errorf("listed %v (cache) and %v (API server), want reads by name only", cache.lists, api.lists)
	}
	// The shard check and the warnings read the same references: once each.
	if want := []string{"*v1alpha1.MetricSource shop/src-07", "*v1alpha1.MetricSource shop/just-created"}; fmt.Sprint(cache.gets) != fmt.Sprint(want) {
		t.Errorf("cache reads %q, want %q", cache.gets, want)
	}
	if want := []string{"*v1alpha1.MetricSource shop/just-created"}; fmt.Sprint(api.gets) != fmt.Sprint(want) {
		t.Errorf("API server reads %q, want only the reference the cache missed, %q", api.gets, want)
	}

	api.gets = nil
	target.Spec.MetricSources = []v1alpha1.LocalObjectReference{{Name: "src-7"}}
	w, err := targets.ValidateCreate(ctx, target)
	want := `spec.metricSources[0].name: MetricSource "src-7" not found in namespace shop; readers wait for it ` +
		`(MetricSources there: src-00, src-01, src-02, src-03, src-04, src-05, src-06, src-07, src-08, src-09 and 40 more)`
	if err != nil || len(w) != 1 || w[0] != want {
		t.Errorf("warnings %q, error %v; want [%q]", w, err, want)
	}
	if wantLists := []string{"*v1alpha1.MetricSourceList"}; fmt.Sprint(cache.lists) != fmt.Sprint(wantLists) || len(api.lists) != 0 {
		t.Errorf("lists %q (cache) and %q (API server), want %q from the cache", cache.lists, api.lists, wantLists)
	}
	if want := []string{"*v1alpha1.MetricSource shop/src-7"}; fmt.Sprint(api.gets) != fmt.Sprint(want) {
		t.Errorf("API server reads %q, want %q: a missing reference is confirmed once per admission", api.gets, want)
	}
}
