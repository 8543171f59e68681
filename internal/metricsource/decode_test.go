package metricsource

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// zeros is a JSON array of n zeros: the cheapest bytes per decoded value.
func zeros(n int) []byte {
	b := make([]byte, 0, 2*n+1)
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '0')
	}
	return append(b, ']')
}

func TestDecodeJSON(t *testing.T) {
	for _, doc := range []string{
		`{"orders":{"errorRate":0.25,"count":12,"name":"shop","tags":["a","b"],"none":null,"ok":true}}`,
		`[]`, `{}`, `[[],{}]`, `"text"`, `12.5`, `null`, `false`, ` {"a": "\u00e9\n"} `,
		`{"dup":1,"dup":2}`, `[1e300,-0,0.1]`,
		strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth),
		string(zeros(maxJSONValues - 1)),
	} {
		var want any
		if err := json.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatalf("test document %.40q: %v", doc, err)
		}
		got, err := decodeJSON([]byte(doc))
		if err != nil {
			t.Errorf("decodeJSON(%.40q) = %v", doc, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("decodeJSON(%.40q) = %#v, want %#v", doc, got, want)
		}
	}

	for doc, want := range map[string]string{
		``:                           "response not JSON",
		`{"a":1} x`:                  "response not JSON",
		`{}{}`:                       "response not JSON",
		`[1,2`:                       "response not JSON",
		`{"a":}`:                     "response not JSON",
		`1e400`:                      "response not JSON",
		string(zeros(maxJSONValues)): "response too large: more than 100000 JSON values",
		strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1):           "response too large: nested deeper than 64 levels",
		strings.Repeat(`{"a":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1): "response too large: nested deeper than 64 levels",
	} {
		_, err := decodeJSON([]byte(doc))
		if err == nil || err.Error() != want {
			t.Errorf("decodeJSON(%.40q) = %v, want %q", doc, err, want)
		}
	}
}

// FuzzDecodeJSON: within its bounds, decodeJSON agrees with json.Unmarshal.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{ordersDoc, `[]`, `[1,[2,{"a":null}]]`, `"x"`, `{"a":1}{}`, `[1,]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want any
		wantErr := json.Unmarshal(b, &want)
		got, err := decodeJSON(b)
		var tooLarge tooLargeError
		switch {
		case errors.As(err, &tooLarge):
		case (err == nil) != (wantErr == nil):
			t.Fatalf("decodeJSON = %v, json.Unmarshal = %v", err, wantErr)
		case err == nil && !reflect.DeepEqual(got, want):
			t.Fatalf("decodeJSON = %#v, json.Unmarshal = %#v", got, want)
		}
	})
}

// hugeBody is the cheapest hostile answer: MaxResponseBytes of zeros.
var hugeBody = zeros(MaxResponseBytes/2 - 1)

// bigObject is the largest kind of document the budget accepts: an object
// of maxJSONValues-1 members.
func bigObject() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range maxJSONValues - 1 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Reading and decoding a response costs a bounded amount of memory whatever
// its shape. json.Unmarshal alone would turn hugeBody (4 MiB) into 164 MiB
// of interfaces and slices; it is refused once read.
func TestDecodeAllocatesLittle(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are counted without the race detector")
	}
	object := bigObject()
	for _, tc := range []struct {
		name    string
		body    []byte
		length  int64 // Content-Length; -1 when chunked
		wantErr string
		bound   uint64
	}{
		{"hostile, chunked", hugeBody, -1, "more than 100000 JSON values", 16 << 20},
		{"hostile, with length", hugeBody, int64(len(hugeBody)), "more than 100000 JSON values", 8 << 20},
		{"largest accepted", object, -1, "", 32 << 20},
	} {
		var err error
		got := allocated(func() {
			var data []byte
			if data, err = readBody(bytes.NewReader(tc.body), MaxResponseBytes, tc.length); err == nil {
				_, err = decodeJSON(data)
			}
		})
		switch {
		case tc.wantErr == "" && err != nil, tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.wantErr)
		case got > tc.bound:
			t.Errorf("%s: %d KiB body allocated %d MiB, want at most %d MiB", tc.name, len(tc.body)>>10, got>>20, tc.bound>>20)
		}
		t.Logf("%s: %d KiB body, %.1f MiB allocated", tc.name, len(tc.body)>>10, float64(got)/(1<<20))
	}
}

func BenchmarkDecodeHugeBody(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(hugeBody)))
	for b.Loop() {
		data, err := readBody(bytes.NewReader(hugeBody), MaxResponseBytes, -1)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := decodeJSON(data); err == nil {
			b.Fatal("decoded")
		}
	}
}

// Through the provider: the hostile source fails with its category, and the
// one behind it is not affected.
func TestHTTPHugeBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/huge" {
			_, _ = w.Write(hugeBody)
			return
		}
		_, _ = w.Write([]byte(ordersDoc))
	}))
	t.Cleanup(srv.Close)
	h := NewHTTP(testOptions)
	src := httpSource(srv.URL+"/huge", "n=body.size()")
	src.Spec.HTTP.MaxResponseBytes = ptr(int64(16 << 20)) // stored before the API limit
	_, err := h.Fetch(context.Background(), src, Credentials{})
	checkErr(t, err, "GET "+srv.URL+"/huge: response too large: more than 100000 JSON values")

	got, err := h.Fetch(context.Background(), httpSource(srv.URL, "count=body.orders.count"), Credentials{})
	if err != nil {
		t.Fatal(err)
	}
	checkSamples(t, got, []wantSample{{name: "count", value: 12}})
}

func TestBudget(t *testing.T) {
	b := newBudget(10)
	release, err := b.acquire(context.Background(), 100) // more than all: all
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.acquire(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("acquire on a spent budget = %v, want it to wait until canceled", err)
	}
	release()
	r1, err := b.acquire(context.Background(), 0) // a zero share still counts one byte
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	r1()
	if newBudget(0).size != DefaultDecodingBytes {
		t.Error("a zero budget is not the default")
	}
}

// Objects stored before the API limits existed are held to them anyway.
func TestLimitsOfStoredObjects(t *testing.T) {
	for in, want := range map[time.Duration]time.Duration{0: defaultTimeout, 5 * time.Second: 5 * time.Second, 5 * time.Minute: MaxTimeout} {
		if got := timeoutOr(&metav1.Duration{Duration: in}); got != want {
			t.Errorf("timeoutOr(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[int64]int64{0: defaultMaxResponseBytes, 100: 100, 16 << 20: MaxResponseBytes} {
		spec := httpSource("http://x").Spec.HTTP
		spec.MaxResponseBytes = &in
		if got := maxResponseBytes(spec); got != want {
			t.Errorf("maxResponseBytes(%d) = %d, want %d", in, got, want)
		}
	}
}

// A Prometheus answer over the value budget is refused before client_golang
// decodes it.
func TestPrometheusHugeAnswer(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"status":"success","data":{"resultType":"vector","result":[`)
	for i := range maxJSONValues / 4 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"metric":{},"value":[1,"1"]}`)
	}
	b.WriteString(`]}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(b.Bytes()) }))
	t.Cleanup(srv.Close)
	_, err := NewPrometheus(testOptions).Fetch(context.Background(), promSource(srv.URL, 0, "big"), Credentials{})
	checkErr(t, err, "prometheus "+srv.URL+": response too large: more than 100000 JSON values")
}
