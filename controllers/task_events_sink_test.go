package controllers_test

import (
	"context"
	"net"
	"net/http"
	"sync"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"github.com/cloudevents/sdk-go/v2/protocol"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scaleup-operator/scaleup-operator/internal/notify"
)

// taskEvents is the suite's task-events sink: a CloudEvents receiver in
// the test process on 127.0.0.1, which every manager the suite starts
// sends to. Specs read only the events of their own namespace.
var taskEvents *taskSink

// received is one event the sink accepted or refused.
type received struct {
	event       cloudevents.Event
	data        notify.Data
	contentType string
	refused     bool
}

type taskSink struct {
	url string
	mu  sync.Mutex
	// byNamespace holds every delivery attempt, in order.
	byNamespace map[string][]received
	// down lists the namespaces whose events the sink answers with 500.
	down map[string]bool
}

func startTaskSink() *taskSink {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred())
	s := &taskSink{url: "http://" + l.Addr().String(), byNamespace: map[string][]received{}, down: map[string]bool{}}
	c, err := cloudevents.NewClientHTTP(cehttp.WithListener(l), cehttp.WithRequestDataAtContextMiddleware())
	Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	DeferCleanup(cancel)
	go func() {
		defer GinkgoRecover()
		Expect(c.StartReceiver(ctx, s.receive)).To(Succeed())
	}()
	return s
}

func (s *taskSink) receive(ctx context.Context, ev cloudevents.Event) protocol.Result {
	r := received{event: ev}
	if err := ev.DataAs(&r.data); err != nil {
		return cehttp.NewResult(http.StatusBadRequest, "data: %v", err)
	}
	if rd := cehttp.RequestDataFromContext(ctx); rd != nil {
		r.contentType = rd.Header.Get("Content-Type")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r.refused = s.down[r.data.Namespace]
	s.byNamespace[r.data.Namespace] = append(s.byNamespace[r.data.Namespace], r)
	if r.refused {
		return cehttp.NewResult(http.StatusInternalServerError, "sink down")
	}
	return cloudevents.ResultACK
}

// setDown makes the sink answer 500 to the namespace's events, or stop.
func (s *taskSink) setDown(ns string, down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down[ns] = down
}

// events returns the namespace's delivery attempts for the task, accepted
// and refused.
func (s *taskSink) events(ns, task string) []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []received
	for _, r := range s.byNamespace[ns] {
		if r.data.Name == task {
			out = append(out, r)
		}
	}
	return out
}

// accepted returns the events of the task the sink acknowledged, by type.
func (s *taskSink) accepted(ns, task, typ string) []received {
	var out []received
	for _, r := range s.events(ns, task) {
		if !r.refused && r.event.Type() == notify.TypePrefix+typ {
			out = append(out, r)
		}
	}
	return out
}
