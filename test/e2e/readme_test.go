package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/yaml"
)

// The README's examples are what a newcomer copies first: every YAML block is
// applied and every block of kubectl commands is run, in the README's order,
// against the running manager. Sources that poll a remote system
// (Prometheus, HTTP) are applied with a server-side dry run: admission checks
// them, but nothing dials an address outside this machine.
var _ = Describe("the README's examples", Ordered, func() {
	var blocks []readmeBlock

	BeforeAll(func() {
		var err error
		blocks, err = readmeBlocks(filepath.Join(root, "README.md"))
		Expect(err).NotTo(HaveOccurred())
	})

	AfterEach(func() {
		if CurrentSpecReport().Failed() {
			state, _ := kubectl("get", "scaleup", "-n", "shop")
			_, _ = fmt.Fprintf(GinkgoWriter, "namespace shop:\n%s\nmanager log (tail):\n%s\n", state, managerLogTail())
		}
	})

	It("applies every YAML example and runs every kubectl example, in order", func() {
		var applied, ran int
		for _, b := range blocks {
			switch b.lang {
			case "yaml":
				for _, doc := range strings.Split(b.text, "\n---\n") {
					if forOtherTool(doc) {
						continue
					}
					args := []string{"apply", "-f", "-"}
					if polls(doc) {
						args = append(args, "--dry-run=server")
					}
					Eventually(func() error { // the webhook may still be coming up
						_, err := kubectlStdin(doc, args...)
						return err
					}).WithTimeout(time.Minute).Should(Succeed(), "README.md:%d", b.line)
					applied++
				}
			case "sh":
				if !onlyKubectl(b.text) {
					continue
				}
				// A command may name an object the operator has yet to make
				// (the ProjectTask it patches).
				Eventually(func() error { return runKubectlScript(b.text) }).Should(Succeed(), "README.md:%d", b.line)
				ran++
			}
		}
		Expect(applied).To(BeNumerically(">=", 8), "YAML documents applied")
		Expect(ran).To(BeNumerically(">=", 2), "kubectl blocks run")
	})

	It("makes every example Ready and the task the README patches is the one it opened", func() {
		for _, obj := range []string{"metricsource/shop-reported", "maturitytarget/shop", "supportplan/shop", "partnerprogram/shop-partners", "metricsource/shop-objects", "partner/river-guides"} {
			_, err := kubectlWithTimeout(3*time.Minute, "wait", "-n", "shop", "--for=condition=Ready", "--timeout=2m", obj)
			Expect(err).NotTo(HaveOccurred())
		}
		_, err := kubectlWithTimeout(3*time.Minute, "wait", "--for=condition=Ready", "--timeout=2m", "maturitymodel/shop-model")
		Expect(err).NotTo(HaveOccurred())
		Expect(kubectl("get", "-n", "shop", "mt/shop", "-o", "jsonpath={.status.currentLevel} {.status.score.summary}")).
			To(Equal("GrowingPains 0/1"))
		Expect(kubectl("get", "-n", "shop", "pt/shop-customer-service-response-time-highperformance",
			"-o", "jsonpath={.spec.assignee} {.spec.state} {.spec.ownerRole}")).To(Equal("jane@shop.example InProgress CustomerSupport"))
		Expect(kubectl("get", "-n", "shop", "partner/river-guides", "-o", "jsonpath={.status.phase}")).To(Equal("Onboarding"))
	})
})

// readmeBlock is one fenced code block of the README.
type readmeBlock struct {
	lang, text string
	line       int // of the opening fence
}

func readmeBlocks(path string) ([]readmeBlock, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	var (
		out  []readmeBlock
		cur  *readmeBlock
		body strings.Builder
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &readmeBlock{lang: strings.TrimPrefix(line, "```"), line: n}
			body.Reset()
		case cur != nil && line == "```":
			cur.text = body.String()
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			body.WriteString(line + "\n")
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("%s:%d: code block not closed", path, cur.line)
	}
	return out, sc.Err()
}

// polls says a YAML document is a MetricSource that polls a remote system
// (Reported and Objects sources read only the cluster).
func polls(doc string) bool {
	var obj struct {
		Kind string
		Spec struct{ Type string }
	}
	if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
		return false
	}
	return obj.Kind == "MetricSource" && obj.Spec.Type != "Reported" && obj.Spec.Type != "Objects"
}

// forOtherTool says a YAML document configures a tool this cluster does not
// run: the GitOps section's Argo CD and Flux objects (an Application, a
// Kustomization, argocd-cm in namespace argocd).
func forOtherTool(doc string) bool {
	var obj struct {
		APIVersion string `json:"apiVersion"`
		Metadata   struct {
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
		return false
	}
	group, _, _ := strings.Cut(obj.APIVersion, "/")
	return group == "argoproj.io" || strings.HasSuffix(group, ".toolkit.fluxcd.io") || obj.Metadata.Namespace == "argocd"
}

// onlyKubectl says every command of a shell block is a kubectl command.
func onlyKubectl(script string) bool {
	continued := false
	for _, line := range strings.Split(strings.TrimSpace(script), "\n") {
		if !continued && !strings.HasPrefix(line, "kubectl ") {
			return false
		}
		continued = strings.HasSuffix(line, "\\")
	}
	return true
}

// runKubectlScript runs a README shell block with kubectl pointing at the
// local control plane.
func runKubectlScript(script string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-ec", `kubectl() { "$KUBECTL" --kubeconfig "$KUBECONFIG" "$@"; }`+"\n"+script)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "KUBECTL="+kubectlBin, "KUBECONFIG="+cluster.Kubeconfig)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: %s", err, out.String())
	}
	return nil
}
