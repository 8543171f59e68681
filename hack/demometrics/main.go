// Command demometrics serves the live numbers of a shop for `make demo`:
// GET /metrics.json returns a JSON document such as
//
//	{"improved":1,"gaps":7,"support":{"firstResponseHours":3.5},"web":{"pageLoadSeconds":3.4},...}
//
// which the acme-live MetricSource (hack/demo/live-target.yaml.tmpl) reads
// with CEL. It starts from the numbers of config/samples, where seven
// objectives miss HighPerformance; every --step one more of them moves to a
// passing value, so the acme-live MaturityTarget climbs from 14/21 to 21/21,
// and one step later the cycle restarts. Time runs from a clock started at
// launch.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// metric is one number of the document, before and after its gap closes.
type metric struct {
	section, name string
	before, after float64
}

// gaps are the objectives of config/samples below HighPerformance, in the
// order they close, each with the metrics its rule reads (the thresholds of
// the model in the comments). Read only.
var gaps = [][]metric{
	{{"support", "firstResponseHours", 6.5, 3.5}},          // <= 4
	{{"catalog", "productDataAccuracyPercent", 94, 97.8}},  // >= 97
	{{"web", "pageLoadSeconds", 3.4, 2.1}},                 // <= 2.5
	{{"orders", "conversionRatePercent", 1.6, 2.3}},        // >= 2.0
	{{"operations", "integrationCoveragePercent", 45, 74}}, // >= 70
	{{"reporting", "reportingFreshnessHours", 72, 12}},     // <= 24
	{
		{"projects", "projectCompletionRatePercent", 55, 81},  // >= 75
		{"projects", "businessRequestResolutionDays", 25, 14}, // <= 20
	},
}

// shop serves the document; the gaps closed follow from the time since start.
type shop struct {
	start time.Time
	step  time.Duration
	now   func() time.Time
}

// closed is how many gaps are closed now: 0, 1, ..., len(gaps), then 0 again.
func (s shop) closed() int {
	return int(s.now().Sub(s.start)/s.step) % (len(gaps) + 1)
}

// document is the JSON body with the first n gaps closed.
func document(n int) map[string]any {
	doc := map[string]any{"improved": n, "gaps": len(gaps)}
	for i, g := range gaps {
		for _, m := range g {
			sec, ok := doc[m.section].(map[string]float64)
			if !ok {
				sec = map[string]float64{}
				doc[m.section] = sec
			}
			sec[m.name] = m.before
			if i < n {
				sec[m.name] = m.after
			}
		}
	}
	return doc
}

func (s shop) metrics(w http.ResponseWriter, r *http.Request) {
	n := s.closed()
	log.Printf("%s %s from %s: %d/%d gaps closed", r.Method, r.URL.Path, r.RemoteAddr, n, len(gaps))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := json.NewEncoder(w).Encode(document(n)); err != nil {
		log.Printf("writing the response: %v", err)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (port 0: any free port)")
	urlFile := flag.String("url-file", "", "file to write the base URL to once listening")
	step := flag.Duration("step", 20*time.Second, "time between two improvements")
	flag.Parse()
	if *step <= 0 {
		return fmt.Errorf("--step must be positive, not %s", *step)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer func() { _ = ln.Close() }()
	url := "http://" + ln.Addr().String()
	if *urlFile != "" {
		// Written aside and renamed, so a reader polling for it never sees half of it.
		if err := os.WriteFile(*urlFile+".tmp", []byte(url+"\n"), 0o644); err != nil {
			return err
		}
		if err := os.Rename(*urlFile+".tmp", *urlFile); err != nil {
			return err
		}
	}
	fmt.Println("listening on " + url)

	s := shop{start: time.Now(), step: *step, now: time.Now}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics.json", s.metrics)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func main() {
	log.SetPrefix("demometrics: ")
	if err := run(); err != nil {
		log.Fatal(err)
	}
}
