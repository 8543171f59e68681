package metricsource

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// leaked is what a hostile or careless server puts in its answers; none of
// it may reach an error, and so status.
const leaked = "AKIAleakedSECRETvalue0042"

// Nothing of an HTTP answer appears in an error: not an error body, not a
// body that is not JSON, not a value an expression failed on.
func TestHTTPErrorsQuoteNothingOfTheResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/500":
			http.Error(w, "internal error, key="+leaked, http.StatusInternalServerError)
		case "/401":
			http.Error(w, "token "+leaked+" rejected", http.StatusUnauthorized)
		case "/text":
			_, _ = fmt.Fprintf(w, "%s is not JSON", leaked)
		case "/broken":
			_, _ = fmt.Fprintf(w, `{"key": %q, "n": 1, oops %s}`, leaked, leaked)
		default:
			_, _ = fmt.Fprintf(w, `{"SecretAccessKey": %q, "n": 1, "list": [%q], "nested": {%q: 1}}`, leaked, leaked, leaked)
		}
	}))
	t.Cleanup(srv.Close)

	for _, path := range []string{"/500", "/401", "/text", "/broken"} {
		_, err := NewHTTP(testOptions).Fetch(context.Background(), httpSource(srv.URL+path, "n=body.n"), Credentials{})
		checkErr(t, err, "GET "+srv.URL+path+": ", leaked)
	}

	exprs := map[string]string{
		"byKey":     "body[body.SecretAccessKey]",        // no such key: <the value>
		"inList":    "body.list[body.SecretAccessKey]",   // unsupported index type
		"toDouble":  "double(body.SecretAccessKey)",      // type conversion error
		"toInt":     "int(body.list[0])",                 // type conversion error
		"plus":      "body.SecretAccessKey + 1",          // no such overload
		"nested":    "body.nested[body.list[0] + 'x']",   // no such key: <the value>x
		"compare":   "body.SecretAccessKey > 1 ? 1 : 0",  // no such overload
		"returned":  "body.SecretAccessKey",              // a string where a number is due
		"attribute": "body.nested." + leaked + ".deeper", // no such key
	}
	want := map[string]string{
		"byKey": "expression failed: missing key", "inList": "expression failed: wrong type",
		"toDouble": "expression failed: wrong type", "toInt": "expression failed: wrong type",
		"plus": "expression failed: wrong type", "nested": "expression failed: missing key",
		"compare": "expression failed: wrong type", "returned": "expression returned string, want a number",
	}
	var metrics []string
	for name, expr := range exprs {
		metrics = append(metrics, name+"="+expr)
	}
	got, err := NewHTTP(testOptions).Fetch(context.Background(), httpSource(srv.URL, metrics...), Credentials{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		if s.Err == nil {
			t.Errorf("%s: no error", s.Name)
			continue
		}
		// The expression itself is the tenant's own text; only the
		// evaluation's message must hold nothing of the response.
		if msg := s.Err.Error(); strings.Contains(msg, leaked) && s.Name != "attribute" {
			t.Errorf("%s: %q quotes the response", s.Name, msg)
		}
		if w, ok := want[s.Name]; ok && s.Err.Error() != w {
			t.Errorf("%s: err = %q, want %q", s.Name, s.Err, w)
		}
	}
}

// Nothing of a Prometheus answer appears in an error: not the body of a
// non-2xx answer, not the server's error message or error type, not the
// excerpts client_golang's decoder quotes.
func TestPrometheusErrorsQuoteNothingOfTheResponse(t *testing.T) {
	replies := map[string]struct {
		status int
		body   string
	}{
		"down":       {503, "maintenance: " + leaked},
		"badType":    {400, fmt.Sprintf(`{"status":"error","errorType":%q,"error":%q}`, leaked, leaked)},
		"badData":    {422, fmt.Sprintf(`{"status":"error","errorType":"bad_data","error":%q}`, leaked)},
		"notJSON":    {200, leaked},
		"resultType": {200, promSuccess(leaked, `[]`)},
		"result":     {200, promSuccess("vector", fmt.Sprintf("%q", leaked))},
		"execution":  {200, fmt.Sprintf(`{"status":"error","errorType":"execution","error":%q}`, leaked)},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		q := r.Form.Get("query")
		if q == "scalar" {
			_, _ = w.Write([]byte(promSuccess("scalar", `[1700000000,"1"]`)))
			return
		}
		reply := replies[q]
		w.WriteHeader(reply.status)
		_, _ = w.Write([]byte(reply.body))
	}))
	t.Cleanup(srv.Close)

	for q := range replies {
		// First, it may fail the whole read; after a success, its metric.
		got, err := NewPrometheus(testOptions).Fetch(context.Background(), promSource(srv.URL, 0, q), Credentials{})
		if err == nil {
			err = got[0].Err
		}
		checkErr(t, err, "", leaked)
		got, err = NewPrometheus(testOptions).Fetch(context.Background(), promSource(srv.URL, 0, "scalar", q), Credentials{})
		if err != nil {
			t.Fatal(err)
		}
		checkErr(t, got[1].Err, "", leaked)
	}
}
