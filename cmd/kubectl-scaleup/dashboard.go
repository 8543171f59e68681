package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/scaleup-operator/scaleup-operator/internal/dashboard"
)

func (o *options) dashboardCommand() *cobra.Command {
	port := 3100
	cmd := &cobra.Command{
		Use:   "dashboard",
		Short: "Serve the executive view across every business you may read, on 127.0.0.1, updated live",
		Long: "Serves a read-only page on 127.0.0.1 (never another interface) with the levels and targets per business,\n" +
			"the objectives heat map, stall causes, support capacity against the coming peaks, the partner\n" +
			"funnels and program metrics, and tasks per owner role. It reads with your kubeconfig's rights,\n" +
			"from watches: the page updates as the objects change. Ctrl-C stops it.",
		Example: "  kubectl scaleup dashboard -n acme\n  kubectl scaleup dashboard -A --port 8080",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return o.dashboard(ctx, port)
		},
	}
	cmd.Flags().IntVar(&port, "port", port, "Port on 127.0.0.1 to serve the dashboard on (0: any free port).")
	cmd.Flags().BoolVarP(&o.allNamespaces, "all-namespaces", "A", false, "Show the businesses of every namespace.")
	return cmd
}

func (o *options) dashboard(ctx context.Context, port int) error {
	cfg, err := o.config.ToRESTConfig()
	if err != nil {
		return err
	}
	ns, err := o.namespace()
	if err != nil {
		return err
	}
	if o.allNamespaces {
		ns = ""
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &dashboard.Server{Now: o.now}
	w, err := dashboard.Watch(ctx, cfg, o.scheme, ns, srv.Notify)
	if err != nil {
		return err
	}
	srv.Snapshot = w.Snapshot
	ln, err := dashboard.Listen(port)
	if err != nil {
		return err
	}
	_, _ = fmt.Fprintf(o.streams.Out, "Dashboard on http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	return dashboard.Serve(ctx, ln, srv)
}
