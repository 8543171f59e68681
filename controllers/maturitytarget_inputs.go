package controllers

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// metricInputs are the merged values of a target's MetricSources and what is
// wrong with them, if anything.
type metricInputs struct {
	metrics  maturity.Metrics
	notFound []string // names of sources that do not exist
	notReady []string // "name: why" of sources that have never published
	stale    []string // "name: message" of sources with stale values
}

// trusted says whether the data is fresh enough to open, resolve or reopen
// tasks. Missing single metrics are fine: their rules are unknown, which
// never resolves a gap.
func (in metricInputs) trusted() bool {
	return len(in.stale) == 0
}

// loadMetrics merges the status values of the named sources in order; a
// later source wins over an earlier one. MaturityTargets, SupportPlans and
// PartnerPrograms read their sources through it.
func loadMetrics(ctx context.Context, c client.Reader, namespace string, refs []v1alpha1.LocalObjectReference) (metricInputs, error) {
	in := metricInputs{metrics: maturity.Metrics{}}
	for _, ref := range refs {
		src := &v1alpha1.MetricSource{}
		if err := c.Get(ctx, types.NamespacedName{Namespace: namespace, Name: ref.Name}, src); err != nil {
			if apierrors.IsNotFound(err) {
				in.notFound = append(in.notFound, ref.Name)
				continue
			}
			return in, err
		}
		switch why, state := sourceState(src); state {
		case sourceWaiting:
			in.notReady = append(in.notReady, fmt.Sprintf("MetricSource %s: %s", ref.Name, why))
			continue
		case sourceStale:
			in.stale = append(in.stale, fmt.Sprintf("%s: %s", ref.Name, why))
		}
		for _, v := range src.Status.Values {
			if v.Value != nil {
				in.metrics[v.Name] = maturity.Metric{Value: *v.Value, Source: ref.Name}
			}
		}
	}
	return in, nil
}

type sourceCondition int

const (
	sourceFresh   sourceCondition = iota
	sourceStale                   // values usable, but not to act on
	sourceWaiting                 // has never published values
)

// sourceState says whether a source's values can be used, and why not.
//
// A source that has published values keeps serving them to its readers
// while it polls again or catches up with an edit of its spec: its readers
// stay Ready on the last values and re-evaluate when the new ones arrive,
// so Ready does not flicker on every metric update. Readers wait only for a
// source that has never published.
//
// A provider that fails keeps its last good values: they are shown, but
// count as stale so no task is resolved or reopened on them. So do values
// left over from before a source lost its credentials or its spec turned
// invalid.
func sourceState(src *v1alpha1.MetricSource) (string, sourceCondition) {
	ready := meta.FindStatusCondition(src.Status.Conditions, v1alpha1.ConditionReady)
	switch {
	case ready == nil:
		return "has not published its values yet", sourceWaiting
	case ready.Status == metav1.ConditionTrue:
		// Published, for this generation or an earlier one.
	case ready.Reason == v1alpha1.ReasonProviderUnavailable || ready.Reason == v1alpha1.ReasonMetricsFailed:
		return ready.Message, sourceStale
	case hasValues(src):
		return ready.Message, sourceStale
	default:
		return ready.Message, sourceWaiting
	}
	if stale := meta.FindStatusCondition(src.Status.Conditions, v1alpha1.ConditionStale); stale != nil && stale.Status == metav1.ConditionTrue {
		return stale.Message, sourceStale
	}
	return "", sourceFresh
}

// hasValues says whether any metric of the source was ever read.
func hasValues(src *v1alpha1.MetricSource) bool {
	for _, v := range src.Status.Values {
		if v.Value != nil {
			return true
		}
	}
	return false
}

func metav1Time(t time.Time) metav1.Time { return metav1.NewTime(t.Truncate(time.Second)) }
