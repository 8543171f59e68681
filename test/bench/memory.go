package bench

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/sampledata"
	"github.com/scaleup-operator/scaleup-operator/test/utils/workers"
)

const partnersNamespace = "bench-partners"

// partnerWorkload is the sample PartnerProgram, opened to every partner,
// and the sample Partners, whose specs the generated partners take in turn
// so that the phases are mixed as in the sample.
type partnerWorkload struct {
	program  *v1alpha1.PartnerProgram
	partners []v1alpha1.Partner
}

func loadPartnerWorkload(root string) (*partnerWorkload, error) {
	samples := filepath.Join(root, "config", "samples")
	w := &partnerWorkload{program: &v1alpha1.PartnerProgram{}}
	if err := sampledata.Decode(root, "growth_v1alpha1_partnerprogram.yaml", w.program); err != nil {
		return nil, err
	}
	// Every partner is seated at once: the phase measures memory, not the
	// sample's staged expansion or its readiness gate (the sample business
	// is not in the harness's namespace).
	w.program.Spec.Expansion = v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}
	w.program.Spec.Readiness = nil
	path := filepath.Join(samples, "growth_v1alpha1_partners.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	for {
		var p v1alpha1.Partner
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if p.Kind == "Partner" {
			w.partners = append(w.partners, p)
		}
	}
	if len(w.partners) == 0 {
		return nil, fmt.Errorf("%s holds no Partner", path)
	}
	return w, nil
}

func programName(i int) string { return fmt.Sprintf("program-%02d", i) }

func (w *partnerWorkload) programObj(ns string, i int) *v1alpha1.PartnerProgram {
	p := &v1alpha1.PartnerProgram{Spec: *w.program.Spec.DeepCopy()}
	p.Namespace, p.Name = ns, programName(i)
	return p
}

func (w *partnerWorkload) partner(ns string, i, programs int) *v1alpha1.Partner {
	sample := &w.partners[i%len(w.partners)]
	p := &v1alpha1.Partner{Spec: *sample.Spec.DeepCopy()}
	p.Namespace, p.Name = ns, fmt.Sprintf("partner-%06d", i)
	p.Spec.ProgramRef.Name = programName(i % programs)
	return p
}

// memory measures the operator's memory with the targets it has, then adds
// the programs and their partners, waits until every program counts all of
// its partners and the operator is idle, and measures again.
func (h *harness) memory(ctx context.Context, targets int) (*Memory, error) {
	out := &Memory{Targets: targets}
	if _, _, err := h.waitIdle(ctx, nil); err != nil {
		return nil, err
	}
	rss, _, _, err := processMemory(h.mgr.Pid())
	if err != nil {
		return nil, err
	}
	out.TargetsOnlyRSSMiB = mib(rss)
	if err := h.restartWithMemoryLimit(h.cfg.ImportMemoryLimit); err != nil {
		return nil, err
	}
	imported, err := h.importPartners(ctx, partnersNamespace, h.cfg.Programs, h.cfg.Partners)
	if err != nil {
		return nil, err
	}
	out.Import = *imported
	if h.cfg.ImportMemoryLimit > 0 {
		out.ImportMemoryLimitMiB = mib(uint64(h.cfg.ImportMemoryLimit))
		if err := h.restartWithMemoryLimit(h.cfg.MemoryLimit); err != nil {
			return nil, err
		}
		// Idle once it has reconciled what it lists at start, not before.
		m, idle, err := h.waitIdle(ctx, map[string]float64{targetController: float64(targets), partnerController: float64(h.cfg.Partners)})
		if err != nil {
			return nil, err
		}
		out.RestartSeconds = idle.Sub(h.mgr.Started).Seconds()
		out.RestartPartnerReconciles = m.reconciles(partnerController)
	}
	rss, peak, file, err := processMemory(h.mgr.Pid())
	if err != nil {
		return nil, err
	}
	out.RSSMiB, out.PeakRSSMiB, out.RSSFileMiB = mib(rss), mib(peak), mib(file)
	// The heap allocated is the live heap only right after a collection
	// (at a scrape it holds whatever garbage the next one frees, up to as
	// much again): the heap profile's request runs one. Two, as the first
	// leaves what the libraries pool (sync.Pool: encoders, buffers) for
	// the second, which an idle manager runs within minutes on its own.
	for _, profile := range []string{os.DevNull, cmp.Or(h.cfg.HeapProfile, os.DevNull)} {
		if err := heapProfile(ctx, h.mgr, profile); err != nil {
			return nil, err
		}
	}
	m, err := scrape(ctx, h.mgr)
	if err != nil {
		return nil, err
	}
	out.HeapInuseMiB = mib(uint64(m.sum("go_memstats_heap_inuse_bytes", nil)))
	out.LiveHeapMiB = mib(uint64(m.sum("go_memstats_heap_alloc_bytes", nil)))
	if out.CachedBytes, err = cachedBytes(ctx, h.client); err != nil {
		return nil, err
	}
	return out, nil
}

// restartWithMemoryLimit restarts the operator with MEMORY_LIMIT limit;
// with 0 it leaves it as it is.
func (h *harness) restartWithMemoryLimit(limit int64) error {
	if limit == 0 {
		return nil
	}
	h.env = memoryLimitEnv(limit)
	return h.restartOperator()
}

// importPartners creates programs programs in namespace ns, then partners
// partners spread over them as fast as the harness's workers can, waits
// until every program counts its share and the operator is idle, and
// returns the import's figures.
func (h *harness) importPartners(ctx context.Context, ns string, programs, partners int) (*PartnerImport, error) {
	out := &PartnerImport{Programs: programs, Partners: partners}
	idle, _, err := h.waitIdle(ctx, nil)
	if err != nil {
		return nil, err
	}
	pw, err := loadPartnerWorkload(h.cfg.Root)
	if err != nil {
		return nil, err
	}
	if err := createNamespace(ctx, h.client, ns); err != nil {
		return nil, err
	}
	for i := range programs {
		if err := h.client.Create(ctx, pw.programObj(ns, i)); err != nil {
			return nil, fmt.Errorf("creating PartnerProgram %s: %w", programName(i), err)
		}
	}
	start := time.Now()
	err = workers.Parallel(ctx, partners, h.cfg.Workers, func(ctx context.Context, i int) error {
		return h.client.Create(ctx, pw.partner(ns, i, programs))
	})
	if err != nil {
		return nil, fmt.Errorf("creating partners: %w", err)
	}
	out.AcceptedSeconds = time.Since(start).Seconds()
	if err := h.waitProgramsCount(ctx, ns, programs, partners); err != nil {
		return nil, err
	}
	out.CountedSeconds = time.Since(start).Seconds()
	out.Ratio = out.CountedSeconds / max(out.AcceptedSeconds, 0.001)
	m, _, err := h.waitIdle(ctx, nil)
	if err != nil {
		return nil, err
	}
	if partners > 0 {
		out.AllocatedPerPartner = (m.sum("go_memstats_alloc_bytes_total", nil) - idle.sum("go_memstats_alloc_bytes_total", nil)) / float64(partners)
		out.WritesPerPartner = (m.writes() - idle.writes()) / float64(partners)
	}
	return out, nil
}

// waitProgramsCount waits until each program's status counts its share of
// the partners for its current generation.
func (h *harness) waitProgramsCount(ctx context.Context, ns string, programs, partners int) error {
	want := map[string]int32{}
	for j := range programs {
		want[programName(j)] = int32(partners / programs)
		if j < partners%programs {
			want[programName(j)]++ // partner i belongs to program i % programs
		}
	}
	deadline := time.Now().Add(h.cfg.PhaseTimeout)
	for {
		list := &v1alpha1.PartnerProgramList{}
		if err := h.client.List(ctx, list, client.InNamespace(ns)); err != nil {
			return err
		}
		counted := 0
		for _, p := range list.Items {
			if p.Status.Partners == want[p.Name] && p.Status.ObservedGeneration == p.Generation {
				counted++
			}
		}
		if counted == programs {
			return nil
		}
		if err := h.mgr.Err(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d programs count all their partners after %v", counted, programs, h.cfg.PhaseTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
