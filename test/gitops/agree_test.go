package gitops

import (
	"strings"
	"testing"

	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// kstatusOf is the kstatus status each Argo CD health stands for.
var kstatusOf = map[health]status.Status{
	healthy:     status.CurrentStatus,
	progressing: status.InProgressStatus,
	degraded:    status.FailedStatus,
}

// Argo CD (config/argocd/health.lua), Flux (config/flux healthCheckExprs)
// and kstatus read the same health from every state of every kind:
// Healthy and Current, Progressing and InProgress, Degraded and Failed.
//
// One state is read differently, as each tool is built: an object the
// operator has not reconciled yet has no status. kstatus calls an object
// without conditions Current (its fallback for kinds it knows nothing of),
// which is why the two tools need the health checks at all. Argo CD's script
// says Progressing. Flux's expressions cannot test for a missing top-level
// status and fail; Flux reports the object's status as Unknown and keeps
// waiting for it, as for InProgress, until the operator writes one.
func TestArgoCDFluxAndKstatusAgree(t *testing.T) {
	script := readFile(t, healthScript)
	evaluators := map[string]*fluxEvaluator{}
	for kind, e := range fluxExprs(t) {
		ev, err := newFluxEvaluator(e)
		if err != nil {
			t.Fatal(err)
		}
		evaluators[kind] = ev
	}
	seen := map[string]map[health]bool{}
	for _, s := range states() {
		t.Run(s.String(), func(t *testing.T) {
			obj, err := s.object()
			if err != nil {
				t.Fatal(err)
			}

			argo, err := runHealthLua(script, obj)
			if err != nil {
				t.Fatalf("health.lua: %v", err)
			}
			if argo.Status != s.want || argo.Message != s.message {
				t.Errorf("Argo CD: %s %q, want %s %q", argo.Status, argo.Message, s.want, s.message)
			}

			ks, err := status.Compute(obj)
			if err != nil {
				t.Fatalf("kstatus: %v", err)
			}
			flux, fluxErr := evaluators[s.kind].evaluate(obj)

			if s.new {
				if ks.Status != status.CurrentStatus {
					t.Errorf("kstatus: %s, want its fallback Current for an object without conditions", ks.Status)
				}
				if flux != status.UnknownStatus || fluxErr == nil || !strings.Contains(fluxErr.Error(), "no such attribute") {
					t.Errorf("Flux: %s (%v), want Unknown for a missing status", flux, fluxErr)
				}
				return
			}
			if want := kstatusOf[s.want]; ks.Status != want {
				t.Errorf("kstatus: %s (%s), want %s", ks.Status, ks.Message, want)
			}
			if fluxErr != nil {
				t.Fatalf("Flux: %v", fluxErr)
			}
			if want := kstatusOf[s.want]; flux != want {
				t.Errorf("Flux: %s, want %s", flux, want)
			}
		})
		if seen[s.kind] == nil {
			seen[s.kind] = map[health]bool{}
		}
		seen[s.kind][s.want] = true
	}

	// Every kind is Healthy in some state and Progressing in another; all
	// but two can stall (a PartnerProgram has no spec check beyond
	// admission, a ProjectTask none at all).
	for kind := range kinds {
		for _, h := range []health{healthy, progressing, degraded} {
			if !seen[kind][h] && (h != degraded || (kind != "PartnerProgram" && kind != "ProjectTask")) {
				t.Errorf("%s: no state is %s", kind, h)
			}
		}
	}
}
