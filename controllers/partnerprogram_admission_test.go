package controllers_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/controllers"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

// A program pass records its seats as admitted-at annotations. These tests
// call that step directly on partners whose program does not exist, so
// that nothing else admits them.
var _ = Describe("A program pass admitting many partners", func() {
	seatsIn := func(ns string, n int) []partners.Seat {
		GinkgoHelper()
		at := fakeClock.Now().Truncate(time.Second)
		seats := make([]partners.Seat, n)
		for i := range seats {
			p := partner(ns, fmt.Sprintf("p%02d", i), at.Add(-time.Hour))
			create(p)
			seats[i] = partners.Seat{Partner: p, At: at}
		}
		return seats
	}
	// intercepted wraps a client of the test's control plane.
	intercepted := func(funcs interceptor.Funcs) client.Client {
		GinkgoHelper()
		c, err := client.NewWithWatch(cfg, client.Options{Scheme: scheme})
		Expect(err).NotTo(HaveOccurred())
		return interceptor.NewClient(c, funcs)
	}
	admitted := func(seats []partners.Seat) int {
		GinkgoHelper()
		n := 0
		for _, s := range seats {
			p := &v1alpha1.Partner{}
			Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(s.Partner), p)).To(Succeed())
			if p.Annotations[v1alpha1.AnnotationAdmittedAt] == s.At.UTC().Format(time.RFC3339) {
				n++
			}
		}
		return n
	}

	It("writes several at a time, and every one", func() {
		seats := seatsIn(newNamespace(), 20)
		// Each patch waits until another is in flight: written one after
		// the other, the first would wait until the context ends.
		var inFlight atomic.Int32
		together := make(chan struct{})
		var once sync.Once
		c := intercepted(interceptor.Funcs{
			Patch: func(ctx context.Context, c client.WithWatch, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
				if inFlight.Add(1) >= 2 {
					once.Do(func() { close(together) })
				}
				select {
				case <-together:
				case <-ctx.Done():
					return fmt.Errorf("no second admission was written while %s's was: %w", obj.GetName(), ctx.Err())
				}
				return c.Patch(ctx, obj, patch, opts...)
			},
		})
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		Expect(controllers.AdmitAll(ctx, c, seats)).To(Succeed())
		Expect(admitted(seats)).To(Equal(len(seats)))
	})

	It("returns the first failure, and a later pass admits the rest", func() {
		seats := seatsIn(newNamespace(), 20)
		refused := errors.New("refused")
		failing := intercepted(interceptor.Funcs{
			Patch: func(ctx context.Context, c client.WithWatch, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
				if obj.GetName() == "p07" {
					return refused
				}
				return c.Patch(ctx, obj, patch, opts...)
			},
		})
		Expect(controllers.AdmitAll(context.Background(), failing, seats)).To(MatchError(ContainSubstring("admitting Partner p07")))
		Expect(admitted(seats)).To(BeNumerically("<", len(seats)))

		Expect(controllers.AdmitAll(context.Background(), k8sClient, seats)).To(Succeed())
		Expect(admitted(seats)).To(Equal(len(seats)))
	})
})
