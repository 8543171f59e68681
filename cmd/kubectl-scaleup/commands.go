package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/report"
	"github.com/scaleup-operator/scaleup-operator/internal/report/load"
)

func (o *options) reportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report [TARGET]",
		Short: "The maturity matrix of one business, or one line per business",
		Long: "With TARGET (a MaturityTarget): its maturity matrix (objectives by level, passed, failed or unknown),\n" +
			"the ranked stall causes, the rules blocking the next level with the values they read, and the open tasks.\n" +
			"Without: one line per business in the namespace (or every namespace with -A).",
		Example: "  kubectl scaleup report -n acme acme-shop\n  kubectl scaleup report -A",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd, func(ctx context.Context, c client.Client, ns string, w io.Writer) error {
				if len(args) == 0 {
					return o.summary(ctx, c, ns, w)
				}
				if o.allNamespaces {
					return fmt.Errorf("a TARGET names one object: use -n NAMESPACE, not -A")
				}
				b, err := load.Business(ctx, c, ns, args[0])
				if err != nil {
					return err
				}
				if o.output != "" {
					return o.printObject(b.Target)
				}
				return report.Report(w, b, o.reportOptions())
			})
		},
	}
	cmd.Flags().BoolVarP(&o.allNamespaces, "all-namespaces", "A", false, "List the businesses of every namespace.")
	return cmd
}

func (o *options) summary(ctx context.Context, c client.Client, ns string, w io.Writer) error {
	if o.allNamespaces {
		ns = ""
	}
	targets, tasks, err := load.Targets(ctx, c, ns)
	if err != nil {
		return err
	}
	if o.output != "" {
		return o.printObject(&v1alpha1.MaturityTargetList{Items: targets})
	}
	if len(targets) == 0 && ns != "" {
		_, err := fmt.Fprintf(w, "No MaturityTargets found in namespace %s.\n", ns)
		return err
	}
	return report.Summary(w, targets, tasks, ns == "", o.reportOptions())
}

func (o *options) explainCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "explain TARGET OBJECTIVE",
		Short: "Why one objective of a business stands where it does, level by level",
		Long: "For each level of OBJECTIVE (a name, or stream/name when the name is not unique): the rule, the\n" +
			"values it read with their source and age, the outcome and why; then the tasks opened for it.",
		Example: "  kubectl scaleup explain -n acme acme-shop response-time",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd, func(ctx context.Context, c client.Client, ns string, w io.Writer) error {
				b, err := load.Business(ctx, c, ns, args[0])
				if err != nil {
					return err
				}
				if o.output != "" {
					if _, err := report.FindObjective(b.Target, args[1]); err != nil {
						return err
					}
					return o.printObject(b.Target)
				}
				return report.Explain(w, b, args[1], o.reportOptions())
			})
		},
	}
}

func (o *options) supportCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "support PLAN",
		Short:   "A SupportPlan's demand and heroes through the horizon, with peaks and hire-by dates",
		Example: "  kubectl scaleup support -n acme acme-shop",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd, func(ctx context.Context, c client.Client, ns string, w io.Writer) error {
				plan, err := load.Plan(ctx, c, ns, args[0])
				if err != nil {
					return err
				}
				if o.output != "" {
					return o.printObject(plan)
				}
				return report.Support(w, plan, o.reportOptions())
			})
		},
	}
}

func (o *options) partnersCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "partners PROGRAM",
		Short:   "A PartnerProgram's funnel, metrics against targets, expansion stage and risks",
		Example: "  kubectl scaleup partners -n acme acme-partners",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd, func(ctx context.Context, c client.Client, ns string, w io.Writer) error {
				prog, partners, notes, err := load.Program(ctx, c, ns, args[0])
				if err != nil {
					return err
				}
				for _, n := range notes {
					_, _ = fmt.Fprintln(o.streams.ErrOut, "warning:", n)
				}
				if o.output != "" {
					return o.printObject(prog)
				}
				return report.Partners(w, prog, partners, o.reportOptions())
			})
		},
	}
}
