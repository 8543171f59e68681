package metrics

import (
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"k8s.io/client-go/rest"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

// sink receives the gauges of one scrape.
type sink interface {
	gauge(d *metricDesc, v float64, labels []string)
}

// constMetrics sends each gauge to a prometheus.Collector's channel.
type constMetrics chan<- prometheus.Metric

func (ch constMetrics) gauge(d *metricDesc, v float64, labels []string) {
	ch <- prometheus.MustNewConstMetric(d.prom, prometheus.GaugeValue, v, labels...)
}

// textLines writes each gauge as a line of the Prometheus text format into
// its family's chunks: the format wants a family's lines together, and the
// emitter goes object by object. Fixed-size chunks, unlike a growing
// buffer, allocate little more than the text itself.
type textLines struct {
	families [][][]byte // by metricDesc.index, chunks of lines
	line     []byte     // scratch for one line
}

const chunkSize = 64 << 10

func newTextLines() *textLines {
	return &textLines{families: make([][][]byte, len(allDescs)), line: make([]byte, 0, 512)}
}

func (t *textLines) gauge(d *metricDesc, v float64, labels []string) {
	line := append(t.line[:0], d.name...)
	for i, l := range d.labels {
		if i == 0 {
			line = append(line, '{')
		} else {
			line = append(line, ',')
		}
		line = append(line, l...)
		line = append(line, '=', '"')
		line = appendEscaped(line, labels[i])
		line = append(line, '"')
	}
	if len(d.labels) > 0 {
		line = append(line, '}')
	}
	line = append(line, ' ')
	line = appendValue(line, v)
	line = append(line, '\n')
	t.line = line

	chunks := t.families[d.index]
	if n := len(chunks); n == 0 || len(chunks[n-1])+len(line) > cap(chunks[n-1]) {
		chunks = append(chunks, make([]byte, 0, max(chunkSize, len(line))))
	}
	last := len(chunks) - 1
	chunks[last] = append(chunks[last], line...)
	t.families[d.index] = chunks
}

// appendEscaped appends a label value escaped as the text format wants.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '"':
			b = append(b, '\\', '"')
		case '\n':
			b = append(b, '\\', 'n')
		default:
			b = append(b, c)
		}
	}
	return b
}

var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

// appendValue appends a sample value as the text format spells it.
func appendValue(b []byte, v float64) []byte {
	switch {
	case math.IsInf(v, 1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	case math.IsNaN(v):
		return append(b, "NaN"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// WriteText writes one scrape in the Prometheus text format (0.0.4): every
// family with a sample, with its HELP and TYPE lines, in a fixed order.
func (c *Collector) WriteText(w io.Writer) error {
	lines := newTextLines()
	c.collect(lines)
	for _, d := range allDescs {
		chunks := lines.families[d.index]
		if len(chunks) == 0 {
			continue
		}
		if _, err := io.WriteString(w, "# HELP "+d.name+" "+helpEscaper.Replace(d.help)+"\n# TYPE "+d.name+" gauge\n"); err != nil {
			return err
		}
		for i, chunk := range chunks {
			if _, err := w.Write(chunk); err != nil {
				return err
			}
			chunks[i] = nil // written: the garbage collector may take it
		}
	}
	return nil
}

// MetricsPath is controller-runtime's metrics endpoint.
const MetricsPath = "/metrics"

// Append returns a handler that serves next (controller-runtime's registry)
// in the text format and then this collector's gauges. It asks next for the
// text format without compression so that the two parts join into one
// valid exposition; any other path is next's alone.
func (c *Collector) Append(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != MetricsPath {
			next.ServeHTTP(w, r)
			return
		}
		r = r.Clone(r.Context())
		r.Header.Set("Accept", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
		r.Header.Del("Accept-Encoding")
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status != 0 && rec.status != http.StatusOK {
			return
		}
		if err := c.WriteText(w); err != nil {
			logr.FromContextOrDiscard(r.Context()).Error(err, "writing the domain metrics")
		}
	})
}

// statusRecorder remembers the status next wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// FilterProvider wraps the metrics server's handlers in collector().Append
// and then in the filter of inner (authentication and authorization when
// the endpoint is served securely; nil for none). collector is called when
// the server starts, after the manager, whose cache the collector reads,
// has been built.
func FilterProvider(inner func(*rest.Config, *http.Client) (metricsserver.Filter, error),
	collector func() *Collector) func(*rest.Config, *http.Client) (metricsserver.Filter, error) {
	return func(cfg *rest.Config, hc *http.Client) (metricsserver.Filter, error) {
		var outer metricsserver.Filter
		if inner != nil {
			var err error
			if outer, err = inner(cfg, hc); err != nil {
				return nil, err
			}
		}
		return func(log logr.Logger, h http.Handler) (http.Handler, error) {
			h = collector().Append(h)
			if outer == nil {
				return h, nil
			}
			return outer(log, h)
		}, nil
	}
}
