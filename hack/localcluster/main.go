// Command localcluster runs a local control plane (etcd and kube-apiserver,
// through envtest, and kube-controller-manager with the garbage collector and
// the namespace controller when KUBEBUILDER_ASSETS holds it) with the
// project's CRDs and webhook configurations, for `make cluster-up` and `make
// demo` (hack/cluster-up.sh starts it in the background). It needs
// KUBEBUILDER_ASSETS (hack/k8s-assets.sh prints it).
//
// In --dir it writes kubeconfig (admin), webhook.env (WEBHOOK_HOST,
// WEBHOOK_PORT, WEBHOOK_CERT_DIR for the manager), webhook-certs/,
// kube-controller-manager.log and localcluster.pid, prints "ready" on stdout
// and runs until SIGINT or SIGTERM; then it stops the control plane and
// removes those files but the log.
//
//	localcluster --dir bin/local [--crd-dir config/crd/bases] [--webhook-dir config/webhook]
//	localcluster --print-free-port   # prints a free TCP port on 127.0.0.1 and exits
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// PIDFile is the name of the file holding the runner's pid in --dir.
const PIDFile = "localcluster.pid"

func main() {
	var (
		dir, crdDir, webhookDir string
		printFreePort           bool
	)
	flag.StringVar(&dir, "dir", "bin/local", "State directory: kubeconfig, webhook.env, webhook-certs/, pid file.")
	flag.StringVar(&crdDir, "crd-dir", "config/crd/bases", "Directory of the CRD manifests to install.")
	flag.StringVar(&webhookDir, "webhook-dir", "config/webhook",
		"Directory of the webhook configurations to install (skipped when it holds none).")
	flag.BoolVar(&printFreePort, "print-free-port", false, "Print a free TCP port on 127.0.0.1 and exit.")
	flag.Parse()

	if printFreePort {
		port, err := localcp.FreePort()
		if err != nil {
			fail("no free port: %v", err)
		}
		fmt.Println(port)
		return
	}
	// envtest logs through controller-runtime's logger; send it to stderr.
	logf.SetLogger(zap.New(zap.WriteTo(os.Stderr)))

	// Catch the signals before starting, so a SIGTERM during start-up still
	// stops what was started.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)

	c, err := localcp.Start(localcp.Options{Dir: dir, CRDDir: crdDir, WebhookDir: webhookDir})
	if err != nil {
		fail("cannot start the control plane: %v", err)
	}
	pidFile := filepath.Join(c.Dir, PIDFile)
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		_ = c.Stop()
		fail("cannot write %s: %v", pidFile, err)
	}
	if c.Webhooks == 0 {
		fmt.Fprintf(os.Stderr, "localcluster: no webhook configurations in %q; none installed\n", webhookDir)
	}
	fmt.Fprintf(os.Stderr, "localcluster: apiserver %s, webhooks at https://%s:%d, kubeconfig %s\n",
		c.Env.Config.Host, localcp.Host, c.WebhookPort, c.Kubeconfig)
	if c.ControllerManager {
		fmt.Fprintf(os.Stderr, "localcluster: kube-controller-manager runs %s (log %s)\n",
			localcp.ControllerManagerControllers, c.ControllerManagerLog)
	}
	fmt.Println("ready")

	sig := <-sigs
	fmt.Fprintf(os.Stderr, "localcluster: %v received, stopping\n", sig)
	code := 0
	if err := c.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "localcluster: stopping: %v\n", err)
		code = 1
	}
	_ = os.Remove(pidFile)
	os.Exit(code)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "localcluster: "+format+"\n", args...)
	os.Exit(1)
}
