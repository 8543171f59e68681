// Command kubectl-scaleup is the kubectl plugin of scaleup-operator: it
// reads what the operator wrote into its objects' status, with the user's
// own rights, and shows it as reports (`kubectl scaleup report`, `explain`,
// `support`, `partners`). Put it on the PATH and kubectl finds it:
//
//	make plugin && export PATH=$PWD/bin:$PATH
//	kubectl scaleup report -n acme acme-shop
package main

import (
	"fmt"
	"os"
	"time"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

func main() {
	cmd := NewCommand(genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}, time.Now)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
