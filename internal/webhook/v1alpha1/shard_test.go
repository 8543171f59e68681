package v1alpha1

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestSameShard(t *testing.T) {
	meta := func(name, shard string) metav1.ObjectMeta {
		m := metav1.ObjectMeta{Namespace: "shop", Name: name}
		if shard != "" {
			m.Labels = map[string]string{v1alpha1.ShardLabel: shard}
		}
		return m
	}
	reader := fakeReader(
		&v1alpha1.MetricSource{ObjectMeta: meta("one", "shard1")},
		&v1alpha1.MetricSource{ObjectMeta: meta("none", "")},
		&v1alpha1.PartnerProgram{ObjectMeta: meta("resellers", "shard1")},
	)
	admitAll := warnOnly[*v1alpha1.MaturityTarget](func(context.Context, *v1alpha1.MaturityTarget) admission.Warnings { return nil })
	targets := sameShard[*v1alpha1.MaturityTarget]{Validator: admitAll, kind: "MaturityTarget", reader: reader, refs: targetShardRefs}
	target := func(shard string, sources ...string) *v1alpha1.MaturityTarget {
		t := &v1alpha1.MaturityTarget{ObjectMeta: meta("shop", shard)}
		for _, s := range sources {
			t.Spec.MetricSources = append(t.Spec.MetricSources, v1alpha1.LocalObjectReference{Name: s})
		}
		return t
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		obj  *v1alpha1.MaturityTarget
		want string
	}{
		{"same shard", target("shard1", "one", "missing"), ""},
		{"both unsharded", target("", "none"), ""},
		{"source in another shard", target("shard1", "one", "none"),
			`MaturityTarget.growth.scaleup.io "shop" is invalid: spec.metricSources[1].name: Invalid value: "none": ` +
				`MetricSource "none" is in shard none (no label) and this MaturityTarget in shard "shard1" (label sharding.fluxcd.io/key): ` +
				`objects that refer to each other must be in the same shard`},
		{"target unsharded, source sharded", target("", "one"),
			`MaturityTarget.growth.scaleup.io "shop" is invalid: spec.metricSources[0].name: Invalid value: "one": ` +
				`MetricSource "one" is in shard "shard1" and this MaturityTarget in shard none (no label) (label sharding.fluxcd.io/key): ` +
				`objects that refer to each other must be in the same shard`},
	} {
		_, err := targets.ValidateCreate(ctx, tc.obj)
		if got := errorText(err); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}

	// An update that keeps the shard and the references is not checked
	// again; one that moves the target to another shard is.
	old := target("", "one")
	if _, err := targets.ValidateUpdate(ctx, old, old.DeepCopy()); err != nil {
		t.Errorf("unchanged update rejected: %v", err)
	}
	moved := target("shard2", "one")
	if _, err := targets.ValidateUpdate(ctx, target("shard1", "one"), moved); err == nil {
		t.Error("moving a target away from its source's shard was admitted")
	}

	partners := sameShard[*v1alpha1.Partner]{Validator: warnOnly[*v1alpha1.Partner](func(context.Context, *v1alpha1.Partner) admission.Warnings { return nil }),
		kind: "Partner", reader: reader, refs: partnerShardRefs}
	p := &v1alpha1.Partner{ObjectMeta: meta("p1", "shard2"), Spec: v1alpha1.PartnerSpec{ProgramRef: v1alpha1.LocalObjectReference{Name: "resellers"}}}
	if _, err := partners.ValidateCreate(ctx, p); err == nil {
		t.Error("a partner of shard2 in a program of shard1 was admitted")
	}
	p.Labels[v1alpha1.ShardLabel] = "shard1"
	if _, err := partners.ValidateCreate(ctx, p); err != nil {
		t.Errorf("a partner in its program's shard was rejected: %v", err)
	}
}

func TestCampaignInTheShardOfItsTargets(t *testing.T) {
	target := func(name, shard, team string) *v1alpha1.MaturityTarget {
		tg := &v1alpha1.MaturityTarget{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name,
			Labels: map[string]string{"team": team}}}
		if shard != "" {
			tg.Labels[v1alpha1.ShardLabel] = shard
		}
		tg.Spec.ModelRef.Name = "m"
		return tg
	}
	elsewhere := target("other-model", "shard2", "web")
	elsewhere.Spec.ModelRef.Name = "another"
	reader := fakeReader(target("web", "shard1", "web"), target("data", "shard2", "data"), elsewhere)
	admitAll := campaignShard{reader: reader, Validator: warnOnly[*v1alpha1.Campaign](func(context.Context, *v1alpha1.Campaign) admission.Warnings { return nil })}
	campaign := func(shard, team string) *v1alpha1.Campaign {
		c := &v1alpha1.Campaign{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "q3"}}
		if shard != "" {
			c.Labels = map[string]string{v1alpha1.ShardLabel: shard}
		}
		c.Spec.ModelRef.Name = "m"
		c.Spec.TargetSelector = metav1.LabelSelector{MatchLabels: map[string]string{"team": team}}
		return c
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		obj  *v1alpha1.Campaign
		want string
	}{
		{"selects only targets of its shard (a target of another model does not count)", campaign("shard1", "web"), ""},
		{"selects nothing yet", campaign("", "nobody"), ""},
		{"selects a target of another shard", campaign("shard1", "data"),
			`Campaign.growth.scaleup.io "q3" is invalid: spec.targetSelector: Invalid value: "team=data": ` +
				`selects MaturityTarget "data" in shard "shard2", and this Campaign is in shard "shard1" (label sharding.fluxcd.io/key): ` +
				`a campaign must be in the shard of the targets it selects`},
	} {
		_, err := admitAll.ValidateCreate(ctx, tc.obj)
		if got := errorText(err); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	// An update that moves the campaign to the other shard is checked too.
	if _, err := admitAll.ValidateUpdate(ctx, campaign("shard1", "web"), campaign("shard2", "web")); err == nil {
		t.Error("moving the campaign away from its targets' shard was admitted")
	}
}

// errorText is err's message, "" for none.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
