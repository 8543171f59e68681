package notify

import (
	"context"
	"sync"
	"testing"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"github.com/cloudevents/sdk-go/v2/protocol"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/go-logr/logr"
	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus/testutil"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// memStore is a Store in memory.
type memStore struct {
	mu          sync.Mutex
	tasks       map[types.NamespacedName]*v1alpha1.ProjectTask
	unavailable int
}

func newMemStore(tasks ...*v1alpha1.ProjectTask) *memStore {
	s := &memStore{tasks: map[types.NamespacedName]*v1alpha1.ProjectTask{}}
	for _, t := range tasks {
		s.tasks[types.NamespacedName{Namespace: t.Namespace, Name: t.Name}] = t.DeepCopy()
	}
	return s
}

func (s *memStore) Get(_ context.Context, key types.NamespacedName) (*v1alpha1.ProjectTask, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[key]
	if !ok {
		return nil, apierrors.NewNotFound(schema.GroupResource{Resource: "projecttasks"}, key.Name)
	}
	return t.DeepCopy(), nil
}

func (s *memStore) Delivered(_ context.Context, task *v1alpha1.ProjectTask, t *Transition) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	acknowledge(s.tasks[types.NamespacedName{Namespace: task.Namespace, Name: task.Name}], t)
	return nil
}

func (s *memStore) Unavailable(context.Context, *v1alpha1.ProjectTask, string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unavailable++
	return nil
}

func (s *memStore) Pending(context.Context) ([]types.NamespacedName, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []types.NamespacedName
	for k, t := range s.tasks {
		if Pending(t) != nil {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

func (s *memStore) notified(key types.NamespacedName) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.tasks[key].Status.Notified; n != nil {
		return n.ID
	}
	return ""
}

// fakeSink answers 500 to the first failures attempts, then acknowledges.
type fakeSink struct {
	mu       sync.Mutex
	failures int
	ids      []string
}

func (s *fakeSink) Send(_ context.Context, ev cloudevents.Event) protocol.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids = append(s.ids, ev.ID())
	if len(s.ids) <= s.failures {
		return cehttp.NewResult(500, "%w", protocol.ResultNACK)
	}
	return protocol.ResultACK
}

func (s *fakeSink) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ids...)
}

// fastRetries keep the backoff short; nothing waits on it by time.
var fastRetries = Options{MinRetryDelay: time.Millisecond, MaxRetryDelay: 4 * time.Millisecond}

// run starts s and returns its stop, which waits for Start to return.
func run(t *testing.T, s *Sender) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Start(ctx)
	}()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

func key(task *v1alpha1.ProjectTask) types.NamespacedName {
	return types.NamespacedName{Namespace: task.Namespace, Name: task.Name}
}

func TestSenderRetriesUntilTheSinkAcknowledges(t *testing.T) {
	g := NewWithT(t)
	task := handledTask("acme", "inbox")
	want := Pending(task).ID
	store, sink, m := newMemStore(task), &fakeSink{failures: 3}, NewMetrics()
	s := NewSender(store, sink, clocktesting.NewFakePassiveClock(due), m, fastRetries, logr.Discard())
	run(t, s)

	g.Eventually(func() string { return store.notified(key(task)) }).Should(Equal(want))
	g.Expect(sink.received()).To(Equal([]string{want, want, want, want}), "the same id on every attempt")
	g.Expect(testutil.ToFloat64(m.Failed)).To(Equal(3.0))
	g.Expect(store.unavailable).To(Equal(3))
	g.Eventually(func() float64 { return testutil.ToFloat64(m.Pending) }).Should(BeZero())

	// Queued again with nothing pending, nothing is sent.
	s.Enqueue(key(task))
	other := handledTask("acme", "other")
	store.mu.Lock()
	store.tasks[key(other)] = other.DeepCopy()
	store.mu.Unlock()
	s.Enqueue(key(other))
	g.Eventually(func() string { return store.notified(key(other)) }).ShouldNot(BeEmpty())
	g.Expect(sink.received()).To(HaveLen(5))
}

func TestSenderQueueIsBoundedAndLosesNothing(t *testing.T) {
	g := NewWithT(t)
	a, b, c := handledTask("acme", "a"), handledTask("acme", "b"), handledTask("acme", "c")
	store, sink, m := newMemStore(a, b, c), &fakeSink{}, NewMetrics()
	opts := fastRetries
	opts.QueueSize = 2
	s := NewSender(store, sink, clocktesting.NewFakePassiveClock(due), m, opts, logr.Discard())
	// c does not fit, neither now nor in the resync at the start; it is
	// sent after the resync that follows the overflow.
	g.Expect(s.Enqueue(key(a))).To(BeTrue())
	g.Expect(s.Enqueue(key(b))).To(BeTrue())
	g.Expect(s.Enqueue(key(a))).To(BeTrue(), "a task already queued is queued once")
	g.Expect(s.Enqueue(key(c))).To(BeFalse(), "the queue holds two tasks")
	g.Expect(testutil.ToFloat64(m.Pending)).To(Equal(2.0))

	run(t, s)
	for _, task := range []*v1alpha1.ProjectTask{a, b, c} {
		g.Eventually(func() string { return store.notified(key(task)) }).Should(Equal(Pending(task).ID))
	}
	g.Eventually(func() float64 { return testutil.ToFloat64(m.Pending) }).Should(BeZero())
}

func TestANewSenderResendsWhatWasNotAcknowledged(t *testing.T) {
	g := NewWithT(t)
	task := handledTask("acme", "inbox")
	want := Pending(task).ID
	store, down := newMemStore(task), &fakeSink{failures: 1 << 30}
	first := NewSender(store, down, clocktesting.NewFakePassiveClock(due), NewMetrics(), fastRetries, logr.Discard())
	stop := run(t, first)
	g.Eventually(down.received).ShouldNot(BeEmpty())
	stop()
	g.Expect(store.notified(key(task))).To(BeEmpty())

	// A new sender (a restart, a new leader) queues it from the store.
	up := &fakeSink{}
	run(t, NewSender(store, up, clocktesting.NewFakePassiveClock(due), NewMetrics(), fastRetries, logr.Discard()))
	g.Eventually(func() string { return store.notified(key(task)) }).Should(Equal(want))
	g.Expect(up.received()).To(Equal([]string{want}))
}
