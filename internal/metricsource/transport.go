package metricsource

// What the Prometheus and HTTP providers share: the transport that carries
// credentials, and the shaping of errors so that they stay on one line and
// never hold a secret.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	// defaultTimeout bounds a poll whose spec gives no timeout (the API
	// defaults it, but objects built in code may not have it).
	defaultTimeout = 10 * time.Second
	// maxErrorBody is how much of a response body an error quotes: enough
	// for "upstream unavailable", not enough to flood a status message.
	maxErrorBody = 200
	// minScrubbedHeader is the shortest header value scrubbed from errors.
	// Header values may or may not be secret; replacing a one- or
	// two-character value would mangle every message and hide nothing.
	minScrubbedHeader = 4
)

// finite rejects values no status or rule can use.
func finite(v float64) error {
	switch {
	case math.IsNaN(v):
		return errors.New("value is NaN")
	case math.IsInf(v, 1):
		return errors.New("value is +Inf")
	case math.IsInf(v, -1):
		return errors.New("value is -Inf")
	}
	return nil
}

// credentialsTransport adds the source's credentials and headers, but only
// to requests for the configured scheme and host: a redirect elsewhere (or
// from https to http) must not carry them. http.Client strips Authorization
// on such redirects only for headers set on the original request, and never
// strips custom ones such as X-Api-Key, hence the check here.
type credentialsTransport struct {
	next         *http.Transport
	scheme, host string
	creds        Credentials
	// maxBody, when positive, fails reading a response body past it.
	maxBody int64
}

// newTransport trusts only creds.CA when it is set, else the system roots.
func newTransport(target *url.URL, creds Credentials, maxBody int64) (*credentialsTransport, error) {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if len(creds.CA) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(creds.CA) {
			return nil, errors.New("the CA bundle holds no PEM certificate")
		}
		base.TLSClientConfig.RootCAs = pool
	}
	return &credentialsTransport{next: base, scheme: target.Scheme, host: target.Host, creds: creds, maxBody: maxBody}, nil
}

// RoundTrip implements http.RoundTripper.
func (t *credentialsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme == t.scheme && strings.EqualFold(req.URL.Host, t.host) {
		// A RoundTripper must not modify the caller's request.
		req = req.Clone(req.Context())
		for name, v := range t.creds.Headers {
			req.Header.Set(name, v)
		}
		switch {
		case t.creds.BearerToken != "":
			req.Header.Set("Authorization", "Bearer "+t.creds.BearerToken)
		case t.creds.Username != "":
			req.SetBasicAuth(t.creds.Username, t.creds.Password)
		}
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil && t.maxBody > 0 {
		resp.Body = &limitedBody{ReadCloser: resp.Body, left: t.maxBody, limit: t.maxBody}
	}
	return resp, err
}

// CloseIdleConnections releases the connections of a finished poll.
func (t *credentialsTransport) CloseIdleConnections() { t.next.CloseIdleConnections() }

// errResponseTooLarge is what a limitedBody fails with.
type errResponseTooLarge struct{ limit int64 }

func (e errResponseTooLarge) Error() string {
	return fmt.Sprintf("response larger than %d bytes", e.limit)
}

// limitedBody bounds the memory a response can take where the reader is
// not ours (client_golang reads the whole body).
type limitedBody struct {
	io.ReadCloser
	left, limit int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return 0, errResponseTooLarge{b.limit}
	}
	return n, err
}

// parseURL parses a spec URL without echoing it: url.Parse's error quotes
// the whole string, userinfo included.
func parseURL(raw, field string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s is not a valid URL: %w", field, unwrapURLError(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%s must start with http:// or https://", field)
	}
	return u, nil
}

// unwrapURLError drops the URL a *url.Error carries: it is the full
// request URL, and callers name the redacted one themselves.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// transportError makes a failed request readable: a deadline says which
// timeout expired rather than "context deadline exceeded".
func transportError(err error, timeout time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("timed out after %s", timeout)
	}
	return unwrapURLError(err)
}

func timeoutOr(d *metav1.Duration) time.Duration {
	if d == nil || d.Duration <= 0 {
		return defaultTimeout
	}
	return d.Duration
}

func statusText(code int) string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", code, http.StatusText(code)))
}

// bodySnippet quotes the start of an error response on one line, prefixed
// with ": ", or returns "" for an empty body.
func bodySnippet(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, maxErrorBody))
	return snippet(string(b))
}

func snippet(s string) string {
	if len(s) > maxErrorBody {
		s = s[:maxErrorBody]
	}
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "")), " ")
	if s == "" {
		return ""
	}
	return ": " + s
}

// scrub removes the credentials from an error's text. Errors are built not
// to hold any, but a server may echo them back (a 401 body quoting the
// Authorization header), so every error leaving a provider passes here.
func scrub(err error, creds Credentials) error {
	if err == nil {
		return nil
	}
	var secrets []string
	if creds.BearerToken != "" {
		secrets = append(secrets, creds.BearerToken)
	}
	if creds.Password != "" {
		secrets = append(secrets, creds.Password)
	}
	if creds.Username != "" {
		secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte(creds.Username+":"+creds.Password)))
	}
	for _, v := range creds.Headers {
		if len(v) >= minScrubbedHeader {
			secrets = append(secrets, v)
		}
	}
	// Longest first, so a secret containing another is replaced whole.
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	msg := err.Error()
	clean := msg
	for _, s := range secrets {
		clean = strings.ReplaceAll(clean, s, "[redacted]")
	}
	if clean == msg {
		return err
	}
	return errors.New(clean)
}
