// Package e2e runs the real manager binary, built from the repository root,
// against a local control plane (etcd, kube-apiserver and, when built,
// kube-controller-manager for garbage collection, through
// test/utils/localcp, as `make cluster-up` and `make demo` do) and drives it
// with kubectl only, the way a user would: apply config/samples, wait for
// conditions, read status with jsonpath, patch metrics.
//
// It needs KUBEBUILDER_ASSETS with kube-apiserver, etcd and kubectl:
//
//	KUBEBUILDER_ASSETS="$(hack/k8s-assets.sh)" go test ./test/e2e/ -v
//
// and config/webhook/manifests.yaml from `make manifests`.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

var (
	root       string // repository root
	workDir    string // manager binary, its log and the control plane's state
	cluster    *localcp.Cluster
	kubectlBin string
	manager    *localcp.Manager
)

func TestE2E(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "e2e suite")
}

var _ = BeforeSuite(func(ctx SpecContext) {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		Skip("KUBEBUILDER_ASSETS is not set; run: KUBEBUILDER_ASSETS=\"$(hack/k8s-assets.sh)\" go test ./test/e2e/")
	}
	SetDefaultEventuallyTimeout(2 * time.Minute)
	SetDefaultEventuallyPollingInterval(500 * time.Millisecond)

	var err error
	root, err = filepath.Abs(filepath.Join("..", ".."))
	Expect(err).NotTo(HaveOccurred())
	workDir, err = os.MkdirTemp("", "scaleup-e2e-")
	Expect(err).NotTo(HaveOccurred())

	By("building the manager")
	mgrBin := filepath.Join(workDir, "manager")
	Expect(localcp.BuildManager(ctx, root, mgrBin)).To(Succeed())

	By("starting etcd and kube-apiserver with the CRDs and webhook configurations")
	cluster, err = localcp.Start(localcp.Options{
		Dir:        filepath.Join(workDir, "cluster"),
		CRDDir:     filepath.Join(root, "config", "crd", "bases"),
		WebhookDir: filepath.Join(root, "config", "webhook"),
	})
	Expect(err).NotTo(HaveOccurred())
	Expect(cluster.Webhooks).To(BeNumerically(">", 0),
		"config/webhook holds no webhook configuration: run `make manifests`")
	kubectlBin = cluster.Kubectl
	Expect(kubectlBin).To(BeAnExistingFile(), "kubectl must be in KUBEBUILDER_ASSETS")

	By("starting the manager")
	// StartManager returns once readyz answers: the webhook server serves.
	manager, err = cluster.StartManager(localcp.ManagerOptions{
		Binary: mgrBin,
		Log:    filepath.Join(workDir, "manager.log"),
		Args:   []string{"--zap-log-level=debug"},
	})
	Expect(err).NotTo(HaveOccurred())
}, NodeTimeout(10*time.Minute))

var _ = AfterSuite(func() {
	if manager != nil {
		By("stopping the manager")
		Expect(manager.Stop()).To(Succeed())
	}
	if cluster != nil {
		By("stopping the control plane")
		Expect(cluster.Stop()).To(Succeed())
	}
	if workDir != "" {
		Expect(os.RemoveAll(workDir)).To(Succeed())
	}
})

// managerLogTail returns the last lines of the manager's log.
func managerLogTail() string {
	return manager.LogTail(60)
}

// kubectlWithTimeout runs kubectl against the local control plane from the
// repository root, bounded by timeout, and returns its stdout; the error
// carries stderr.
func kubectlWithTimeout(timeout time.Duration, args ...string) (string, error) {
	return kubectlWithInput(timeout, nil, args...)
}

// kubectl is kubectlWithTimeout with 30 s, for calls that do not wait.
func kubectl(args ...string) (string, error) {
	return kubectlWithTimeout(30*time.Second, args...)
}

// kubectlWithInput is kubectlWithTimeout with stdin.
func kubectlWithInput(timeout time.Duration, stdin io.Reader, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, kubectlBin, append([]string{"--kubeconfig", cluster.Kubeconfig}, args...)...)
	cmd.Dir = root
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}
