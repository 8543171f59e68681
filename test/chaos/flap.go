package chaos

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// flapInterval is the HTTP source's poll interval, the shortest the API
// admits.
const flapInterval = 5 * time.Second

// flappingMetric is the one metric the flapping provider serves; the rest
// of the sample numbers come from a Reported source.
const flappingMetric = "firstResponseHours"

// flapServer answers the polls of an HTTP MetricSource: the first one up,
// then down and up in turn for 2*flips polls, then up for good.
type flapServer struct {
	flips int
	value float64

	mu    sync.Mutex
	polls []time.Time
}

func (f *flapServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	n := len(f.polls)
	f.polls = append(f.polls, time.Now())
	f.mu.Unlock()
	if n%2 == 1 && n <= 2*f.flips {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{%q: %g}`, flappingMetric, f.value)
}

func (f *flapServer) served() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.polls...)
}

// flappingProvider feeds one metric of a target from a provider that goes
// down and up cfg.Flips times, and watches the target and its tasks all the
// while: a failing poll must show in status, and change neither the level
// nor a task.
func flappingProvider(ctx context.Context, e *env, cfg Config) (string, error) {
	ns := "chaos-flap"
	if err := e.createNamespace(ctx, ns); err != nil {
		return "", err
	}
	m, err := e.startManager("flap", ns, localcp.ManagerOptions{})
	if err != nil {
		return "", err
	}
	defer func() { _ = m.Stop() }()
	if err := e.ensureModel(ctx); err != nil {
		return "", err
	}
	provider := &flapServer{flips: cfg.Flips, value: e.work.sample[flappingMetric]}
	srv := httptest.NewServer(provider) // on 127.0.0.1
	defer srv.Close()

	reported := maps.Clone(e.work.sample)
	delete(reported, flappingMetric)
	polled := &v1alpha1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "flapping"},
		Spec: v1alpha1.MetricSourceSpec{
			Type:     v1alpha1.MetricSourceHTTP,
			Interval: &metav1.Duration{Duration: flapInterval},
			MaxAge:   &metav1.Duration{Duration: 720 * time.Hour},
			HTTP: &v1alpha1.HTTPSource{URL: srv.URL, Metrics: []v1alpha1.HTTPMetric{
				{Metric: flappingMetric, Expression: "body." + flappingMetric},
			}},
		},
	}
	target := e.work.target(ns, "flap", levelHighPerformance, "reported", polled.Name)
	for _, obj := range []client.Object{e.work.source(ns, "reported", reported), polled, target} {
		if err := e.client.Create(ctx, obj); err != nil {
			return "", err
		}
	}
	names, err := e.work.expectedTasks(target.Name, e.work.sample, levelHighPerformance)
	if err != nil {
		return "", err
	}
	want := map[string][]string{target.Name: names}
	if err := e.waitTasks(ctx, cfg, ns, m, want); err != nil {
		return "", err
	}
	if err := e.client.Get(ctx, client.ObjectKeyFromObject(target), target); err != nil {
		return "", err
	}
	level := target.Status.CurrentLevel

	seen, err := e.watchFlapping(ctx, ns)
	if err != nil {
		return "", err
	}
	defer seen.stop()
	err = waitFor(ctx, cfg.Timeout, "the flips", func(ctx context.Context) (bool, string, error) {
		n := len(provider.served())
		return n > 2*cfg.Flips, fmt.Sprintf("%d of %d polls", n, 2*cfg.Flips+1), nil
	})
	if err != nil {
		return "", err
	}
	if err := e.waitTasks(ctx, cfg, ns, m, want); err != nil {
		return "", err
	}
	seen.stop()

	if err := seen.check(level, cfg.Flips); err != nil {
		return "", err
	}
	shortest, longest := gaps(provider.served())
	if shortest < flapInterval {
		return "", fmt.Errorf("two polls %s apart, less than the interval %s: no backoff", shortest, flapInterval)
	}
	return fmt.Sprintf("%d polls, %d failed; level stayed %s through %d target updates, %d of them not Ready (%s); no task created, deleted or resolved; polls %s to %s apart",
		len(provider.served()), cfg.Flips, level, seen.targetUpdates, seen.staleUpdates, v1alpha1.ReasonMetricsStale,
		shortest.Round(100*time.Millisecond), longest.Round(100*time.Millisecond)), nil
}

// gaps returns the shortest and longest time between consecutive polls.
func gaps(polls []time.Time) (shortest, longest time.Duration) {
	for i := 1; i < len(polls); i++ {
		d := polls[i].Sub(polls[i-1])
		if i == 1 || d < shortest {
			shortest = d
		}
		longest = max(longest, d)
	}
	return shortest, longest
}

// flapWatch records every change of the targets, sources and tasks of a
// namespace, from watches opened before the flapping starts.
type flapWatch struct {
	watches []watch.Interface
	done    sync.WaitGroup
	once    sync.Once

	mu            sync.Mutex
	stopped       bool           // events after stop are the watches closing
	levels        map[string]int // current levels seen on the target
	targetUpdates int
	staleUpdates  int // target updates with Ready=False, reason MetricsStale
	sourceDown    int // source updates with Ready=False, reason ProviderUnavailable
	taskEvents    []string
}

func (e *env) watchFlapping(ctx context.Context, ns string) (*flapWatch, error) {
	f := &flapWatch{levels: map[string]int{}}
	for _, list := range []client.ObjectList{&v1alpha1.MaturityTargetList{}, &v1alpha1.MetricSourceList{}, &v1alpha1.ProjectTaskList{}} {
		if err := e.client.List(ctx, list, client.InNamespace(ns)); err != nil {
			return nil, err
		}
		w, err := e.client.Watch(ctx, list, client.InNamespace(ns), &client.ListOptions{Raw: &metav1.ListOptions{
			ResourceVersion: list.(metav1.ListInterface).GetResourceVersion(),
		}})
		if err != nil {
			f.stop()
			return nil, err
		}
		f.watches = append(f.watches, w)
		f.done.Add(1)
		go func() {
			defer f.done.Done()
			for ev := range w.ResultChan() {
				f.record(ev)
			}
		}()
	}
	return f, nil
}

func (f *flapWatch) record(ev watch.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return
	}
	switch obj := ev.Object.(type) {
	case *v1alpha1.MaturityTarget:
		f.targetUpdates++
		f.levels[obj.Status.CurrentLevel]++
		if c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady); c != nil &&
			c.Status == metav1.ConditionFalse && c.Reason == v1alpha1.ReasonMetricsStale {
			f.staleUpdates++
		}
	case *v1alpha1.MetricSource:
		if c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady); c != nil &&
			c.Status == metav1.ConditionFalse && c.Reason == v1alpha1.ReasonProviderUnavailable {
			f.sourceDown++
		}
	case *v1alpha1.ProjectTask:
		if ev.Type != watch.Modified || meta.IsStatusConditionTrue(obj.Status.Conditions, v1alpha1.ConditionResolved) {
			f.taskEvents = append(f.taskEvents, fmt.Sprintf("%s %s", ev.Type, obj.Name))
		}
	default:
		f.taskEvents = append(f.taskEvents, fmt.Sprintf("watch %s: %v", ev.Type, ev.Object))
	}
}

func (f *flapWatch) stop() {
	f.once.Do(func() {
		f.mu.Lock()
		f.stopped = true
		f.mu.Unlock()
		for _, w := range f.watches {
			w.Stop()
		}
		f.done.Wait()
	})
}

// check says what the watches saw that they should not have.
func (f *flapWatch) check(level string, failedPolls int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case len(f.levels) != 1 || f.levels[level] == 0:
		return fmt.Errorf("the target's level flapped: levels seen %v, want only %s", f.levels, level)
	case len(f.taskEvents) > 0:
		return fmt.Errorf("tasks flapped: %v", f.taskEvents[:min(5, len(f.taskEvents))])
	case f.sourceDown == 0:
		return fmt.Errorf("the source never said its provider was down (%d failed polls)", failedPolls)
	case f.staleUpdates == 0:
		return fmt.Errorf("the target never said its metrics were stale in %d updates", f.targetUpdates)
	}
	return nil
}
