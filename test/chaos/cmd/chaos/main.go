// Command chaos runs the fault suite at its full sizes (make chaos) and
// writes the table the README's "Security and reliability" section shows.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/scaleup-operator/scaleup-operator/test/chaos"
)

func main() {
	cfg := chaos.Full
	out := flag.String("out", "bin/chaos/results.md", "Where to write the results table (Markdown).")
	flag.StringVar(&cfg.Only, "only", "", "Run only the scenarios whose fault contains this text.")
	flag.IntVar(&cfg.Targets, "targets", cfg.Targets, "Targets converging when the manager is killed.")
	flag.DurationVar(&cfg.Outage, "outage", cfg.Outage, "How long the API server is stopped, then refused.")
	flag.Parse()
	cfg.Progress = os.Stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rows, err := chaos.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		os.Exit(1)
	}
	var table bytes.Buffer
	chaos.WriteMarkdown(&table, rows)
	fmt.Print(table.String())
	if err := os.WriteFile(*out, table.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		os.Exit(1)
	}
	for _, r := range rows {
		if r.Err != nil {
			os.Exit(1)
		}
	}
}
