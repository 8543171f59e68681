package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/printers"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/report"
)

// options are the flags every command shares.
type options struct {
	config        *genericclioptions.ConfigFlags
	streams       genericiooptions.IOStreams
	now           func() time.Time
	allNamespaces bool
	output        string
	color         string
	scheme        *runtime.Scheme
}

// NewCommand returns the plugin's root command, writing to streams and
// computing ages and due dates from now.
func NewCommand(streams genericiooptions.IOStreams, now func() time.Time) *cobra.Command {
	o := &options{config: genericclioptions.NewConfigFlags(true), streams: streams, now: now, scheme: runtime.NewScheme()}
	if err := v1alpha1.AddToScheme(o.scheme); err != nil {
		panic(err) // a registration bug, not a user error
	}
	cmd := &cobra.Command{
		Use:         "kubectl-scaleup",
		Annotations: map[string]string{cobra.CommandDisplayNameAnnotation: "kubectl scaleup"},
		Short:       "Show what scaleup-operator found: maturity, support plans, partner programs",
		Long: "kubectl scaleup reads the status the scaleup-operator wrote into MaturityTargets, SupportPlans\n" +
			"and PartnerPrograms, with your own rights, and shows it as reports.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmd.SetOut(streams.Out)
	cmd.SetErr(streams.ErrOut)
	o.config.AddFlags(cmd.PersistentFlags())
	pf := cmd.PersistentFlags()
	pf.StringVarP(&o.output, "output", "o", "", "Output format: json or yaml prints the object the report reads instead of the report.")
	pf.StringVar(&o.color, "color", "auto", "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.")
	cmd.AddCommand(o.reportCommand(), o.explainCommand(), o.supportCommand(), o.partnersCommand(), o.dashboardCommand())
	return cmd
}

// validate checks the shared flags.
func (o *options) validate() error {
	switch o.output {
	case "", "json", "yaml":
	default:
		return fmt.Errorf("--output %q: use json or yaml", o.output)
	}
	switch o.color {
	case "auto", "always", "never":
	default:
		return fmt.Errorf("--color %q: use auto, always or never", o.color)
	}
	return nil
}

// colour decides whether the report is coloured: --color=always and never
// decide; auto colours a terminal unless NO_COLOR is set (no-color.org: an
// explicit flag overrides it).
func (o *options) colour() bool {
	switch o.color {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := o.streams.Out.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (o *options) reportOptions() report.Options {
	return report.Options{Now: o.now(), Color: o.colour()}
}

// client builds a client from the kubeconfig flags.
func (o *options) client() (client.Client, error) {
	cfg, err := o.config.ToRESTConfig()
	if err != nil {
		return nil, err
	}
	return client.New(cfg, client.Options{Scheme: o.scheme})
}

// namespace is the namespace of -n, the kubeconfig context's, or default.
func (o *options) namespace() (string, error) {
	ns, _, err := o.config.ToRawKubeConfigLoader().Namespace()
	return ns, err
}

// printObject prints obj as -o json or yaml, with its kind set.
func (o *options) printObject(obj runtime.Object) error {
	gvk, err := apiutil.GVKForObject(obj, o.scheme)
	if err != nil {
		return err
	}
	obj.GetObjectKind().SetGroupVersionKind(gvk)
	var p printers.ResourcePrinter = &printers.YAMLPrinter{}
	if o.output == "json" {
		p = &printers.JSONPrinter{}
	}
	return p.PrintObj(obj, o.streams.Out)
}

// run is the shared frame of a command: validate, connect, fetch and print.
func (o *options) run(cmd *cobra.Command, f func(ctx context.Context, c client.Client, ns string, w io.Writer) error) error {
	if err := o.validate(); err != nil {
		return err
	}
	c, err := o.client()
	if err != nil {
		return err
	}
	ns, err := o.namespace()
	if err != nil {
		return err
	}
	return f(cmd.Context(), c, ns, o.streams.Out)
}
