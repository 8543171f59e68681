// Package promfake is a small Prometheus HTTP API server for tests and the
// demo: each query answers with a settable scalar, the server can be taken
// down, and it can require a bearer token.
package promfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Server answers /api/v1/query with the value set for the query.
type Server struct {
	*httptest.Server

	mu     sync.Mutex
	values map[string]float64
	down   bool
	token  string
}

// New starts a server on a loopback port. Close it when done.
func New() *Server {
	s := &Server{values: map[string]float64{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Set makes query answer value.
func (s *Server) Set(query string, value float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values[query] = value
}

// SetDown makes every request fail with 503 Service Unavailable.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// RequireToken makes requests without `Authorization: Bearer <token>` fail
// with 401.
func (s *Server) RequireToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down, token := s.down, s.token
	value, ok := s.values[r.FormValue("query")]
	s.mu.Unlock()
	switch {
	case down:
		http.Error(w, "prometheus is down", http.StatusServiceUnavailable)
		return
	case token != "" && r.Header.Get("Authorization") != "Bearer "+token:
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	case r.URL.Path != "/api/v1/query":
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "success",
			"data": map[string]any{"resultType": "vector", "result": []any{}}})
		return
	}
	now := float64(time.Now().Unix())
	_, _ = fmt.Fprintf(w, `{"status":"success","data":{"resultType":"scalar","result":[%g,%q]}}`,
		now, strconv.FormatFloat(value, 'g', -1, 64))
}
