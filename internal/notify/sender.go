package notify

import (
	"context"
	"fmt"
	"sync"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"github.com/cloudevents/sdk-go/v2/protocol"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/go-logr/logr"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Defaults of Options.
const (
	DefaultMinRetryDelay = time.Second
	DefaultMaxRetryDelay = 5 * time.Minute
	DefaultQueueSize     = 10000
	DefaultTimeout       = 10 * time.Second
)

// Options configure the delivery of task events.
type Options struct {
	// Sink is the http(s) URL events are POSTed to; empty turns task
	// events off.
	Sink string
	// MinRetryDelay and MaxRetryDelay bound the backoff of a task whose
	// event the sink did not acknowledge: the delay doubles from the first
	// to the second, and retries go on at the second until it succeeds.
	MinRetryDelay, MaxRetryDelay time.Duration
	// QueueSize bounds how many tasks wait for delivery in memory. A task
	// that does not fit is not lost: its transition stays pending on the
	// task and is queued again by a resync once the queue drained.
	QueueSize int
	// Timeout bounds one delivery attempt.
	Timeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.MinRetryDelay <= 0 {
		o.MinRetryDelay = DefaultMinRetryDelay
	}
	if o.MaxRetryDelay < o.MinRetryDelay {
		o.MaxRetryDelay = max(DefaultMaxRetryDelay, o.MinRetryDelay)
	}
	if o.QueueSize <= 0 {
		o.QueueSize = DefaultQueueSize
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return o
}

// Store reads tasks and records on them what the sink answered.
type Store interface {
	// Get reads the task as stored (a NotFound error when it is gone).
	Get(ctx context.Context, key types.NamespacedName) (*v1alpha1.ProjectTask, error)
	// Delivered records that the sink acknowledged t (status.notified,
	// Notified=True).
	Delivered(ctx context.Context, task *v1alpha1.ProjectTask, t *Transition) error
	// Unavailable records that the sink did not (Notified=False).
	Unavailable(ctx context.Context, task *v1alpha1.ProjectTask, message string) error
	// Pending lists the tasks with a transition not yet acknowledged.
	Pending(ctx context.Context) ([]types.NamespacedName, error)
}

// Sink receives events: a CloudEvents client.
type Sink interface {
	Send(ctx context.Context, event cloudevents.Event) protocol.Result
}

// Sender delivers the pending transitions of the tasks it is given, one at
// a time, from a bounded in-memory queue that holds each task once.
// Enqueue never blocks. Sender is a manager Runnable that runs only on the
// leader.
type Sender struct {
	store   Store
	sink    Sink
	clock   clock.PassiveClock
	metrics *Metrics
	opts    Options
	log     logr.Logger
	queue   workqueue.TypedRateLimitingInterface[types.NamespacedName]

	mu sync.Mutex
	// pending holds every task queued, retrying or being delivered, with
	// the count of its Enqueue calls (so that a task queued again while it
	// is delivered stays pending).
	pending map[types.NamespacedName]uint64
	// overflow says a task was turned away since the last resync.
	overflow bool
}

// NewSender returns a sender of task events; metrics nil means
// DefaultMetrics.
func NewSender(store Store, sink Sink, clk clock.PassiveClock, metrics *Metrics, opts Options, log logr.Logger) *Sender {
	opts = opts.withDefaults()
	if metrics == nil {
		metrics = DefaultMetrics
	}
	return &Sender{
		store: store, sink: sink, clock: clk, metrics: metrics, opts: opts, log: log,
		queue: workqueue.NewTypedRateLimitingQueue(
			workqueue.NewTypedItemExponentialFailureRateLimiter[types.NamespacedName](opts.MinRetryDelay, opts.MaxRetryDelay)),
		pending: map[types.NamespacedName]uint64{},
	}
}

// NeedLeaderElection says only the leader sends.
func (s *Sender) NeedLeaderElection() bool { return true }

// Enqueue asks for the task's pending transition to be delivered. It
// returns false when the queue is full; the task is then queued by the
// next resync.
func (s *Sender) Enqueue(key types.NamespacedName) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, queued := s.pending[key]
	if !queued && len(s.pending) >= s.opts.QueueSize {
		s.overflow = true
		return false
	}
	s.pending[key] = n + 1
	s.metrics.Pending.Set(float64(len(s.pending)))
	s.queue.Add(key)
	return true
}

// Start queues every task with a transition not yet acknowledged (those of
// a previous leader or run included), then delivers until ctx ends.
func (s *Sender) Start(ctx context.Context) error {
	go func() {
		<-ctx.Done()
		s.queue.ShutDown()
	}()
	s.resync(ctx)
	for s.next(ctx) {
	}
	return nil
}

// resync queues every task with a pending transition.
func (s *Sender) resync(ctx context.Context) {
	keys, err := s.store.Pending(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error(err, "listing tasks with pending events; they are queued at their next reconcile")
		}
		return
	}
	for _, k := range keys {
		s.Enqueue(k)
	}
}

// next delivers one task: done, it leaves the queue; not done, it is
// queued again after its backoff. It returns false once the queue shut down.
func (s *Sender) next(ctx context.Context) bool {
	key, shutdown := s.queue.Get()
	if shutdown {
		return false
	}
	defer s.queue.Done(key)
	s.mu.Lock()
	epoch := s.pending[key]
	s.mu.Unlock()
	if !s.deliver(ctx, key) {
		s.queue.AddRateLimited(key)
		return true
	}
	s.queue.Forget(key)
	s.mu.Lock()
	if s.pending[key] == epoch {
		delete(s.pending, key)
	}
	s.metrics.Pending.Set(float64(len(s.pending)))
	resync := s.overflow && len(s.pending) <= s.opts.QueueSize/2
	if resync {
		s.overflow = false
	}
	s.mu.Unlock()
	if resync {
		go s.resync(ctx)
	}
	return true
}

// deliver sends the task's pending transition and records the answer. It
// says whether the task is done: delivered and recorded, nothing pending,
// or gone.
func (s *Sender) deliver(ctx context.Context, key types.NamespacedName) bool {
	log := s.log.WithValues("ProjectTask", key)
	task, err := s.store.Get(ctx, key)
	if apierrors.IsNotFound(err) {
		return true
	}
	if err != nil {
		log.Error(err, "reading task for its event")
		return false
	}
	t := Pending(task)
	if t == nil {
		return true
	}
	ev, err := Event(task, t, s.clock.Now())
	if err != nil {
		log.Error(err, "building task event")
		return true
	}
	sendCtx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	result := s.sink.Send(cloudevents.WithEncodingStructured(sendCtx), ev)
	if !cloudevents.IsACK(result) {
		if ctx.Err() != nil {
			return false
		}
		s.metrics.Failed.Inc()
		msg := describe(result)
		log.Info("task event not acknowledged; retrying with backoff", "type", ev.Type(), "id", t.ID, "result", msg)
		if err := s.store.Unavailable(ctx, task, msg); err != nil && ctx.Err() == nil {
			log.Error(err, "recording Notified=False")
		}
		return false
	}
	if err := s.store.Delivered(ctx, task, t); err != nil {
		// Sent again after the backoff, with the same id: at least once.
		log.Error(err, "recording the acknowledged task event", "id", t.ID)
		return false
	}
	log.V(1).Info("task event delivered", "type", ev.Type(), "id", t.ID)
	return true
}

// describe says why the sink did not acknowledge, without anything the
// sink answered but its status code.
func describe(result protocol.Result) string {
	var hr *cehttp.Result
	switch {
	case cloudevents.IsUndelivered(result):
		return "sink unreachable"
	case cloudevents.ResultAs(result, &hr):
		return fmt.Sprintf("sink answered HTTP %d", hr.StatusCode)
	}
	return "sink did not acknowledge the event"
}
