// Command samples prints config/samples with their timestamps moved to
// today (or -today), ready for `kubectl apply -f -`:
//
//	go run ./hack/samples | kubectl apply -f -
//
// The partners' join, onboarding and activity dates are written as of
// internal/samples.AsOf; applied as they are (`kubectl apply -k
// config/samples`), their phases drift with the calendar.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/scaleup-operator/scaleup-operator/internal/samples"
)

func main() {
	dir := flag.String("dir", "config/samples", "directory of the samples' kustomization.yaml")
	day := flag.String("today", "", "render for this day (YYYY-MM-DD) instead of today")
	flag.Parse()

	today := time.Now()
	if *day != "" {
		t, err := time.Parse(time.DateOnly, *day)
		if err != nil {
			fmt.Fprintf(os.Stderr, "samples: -today: %v\n", err)
			os.Exit(2)
		}
		today = t
	}
	out, err := samples.Render(*dir, today)
	if err != nil {
		fmt.Fprintf(os.Stderr, "samples: %v\n", err)
		os.Exit(1)
	}
	_, _ = os.Stdout.Write(out)
}
