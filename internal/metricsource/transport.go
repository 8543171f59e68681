package metricsource

// What the Prometheus and HTTP providers share: the transport that dials
// only where the egress policy allows and carries credentials only to the
// configured host, and the shaping of errors so that they stay on one line,
// never hold a secret and never quote what the remote system answered.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"syscall"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/internal/egress"
)

const (
	// defaultTimeout bounds a poll whose spec gives no timeout (the API
	// defaults it, but objects built in code may not have it).
	defaultTimeout = 10 * time.Second
	// MaxTimeout bounds every poll, whatever an object stored before the
	// API limit existed says: a poll holds a slot of the manager's polls.
	MaxTimeout = 30 * time.Second
	// MaxResponseBytes bounds every response body (the API maximum of
	// spec.http.maxResponseBytes).
	MaxResponseBytes = 4 << 20
	// maxRedirects is http.Client's default, kept.
	maxRedirects = 10
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

// credentialsTransport dials only addresses the egress policy allows and
// adds the source's credentials and headers, but only to requests for the
// configured scheme and host. Redirects elsewhere are refused by the client
// (sameOrigin); the host check here stays as a second line.
type credentialsTransport struct {
	next         *http.Transport
	scheme, host string
	creds        Credentials
	// onResponse, when set, sees every response before the caller does;
	// an error fails the request.
	onResponse func(*http.Response) error
}

// newTransport trusts only creds.CA when it is set, else the system roots.
func newTransport(target *url.URL, creds Credentials, policy *egress.Policy) (*credentialsTransport, error) {
	base := http.DefaultTransport.(*http.Transport).Clone()
	// A proxy would connect on our behalf, out of the policy's sight.
	base.Proxy = nil
	dialer := &net.Dialer{Timeout: MaxTimeout, KeepAlive: 30 * time.Second, Control: policy.Control}
	base.DialContext = dialer.DialContext
	base.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if len(creds.CA) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(creds.CA) {
			return nil, errors.New("the CA bundle holds no PEM certificate")
		}
		base.TLSClientConfig.RootCAs = pool
	}
	return &credentialsTransport{next: base, scheme: target.Scheme, host: target.Host, creds: creds}, nil
}

// client returns the HTTP client of one poll: redirects only to the
// configured scheme and host.
func (t *credentialsTransport) client() *http.Client {
	return &http.Client{Transport: t, CheckRedirect: t.sameOrigin}
}

// errRedirect refuses a redirect to another scheme or host: the policy
// checks where it leads, but a tenant's URL must not become a way to reach
// hosts it did not name, nor carry its credentials there.
var errRedirect = fmt.Errorf("%w: redirect to another scheme or host", egress.ErrNotAllowed)

var errTooManyRedirects = fmt.Errorf("stopped after %d redirects", maxRedirects)

func (t *credentialsTransport) sameOrigin(req *http.Request, via []*http.Request) error {
	if req.URL.Scheme != t.scheme || !strings.EqualFold(req.URL.Host, t.host) {
		return errRedirect
	}
	if len(via) >= maxRedirects {
		return errTooManyRedirects
	}
	return nil
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
	if err != nil {
		return nil, err
	}
	if t.onResponse != nil {
		if err := t.onResponse(resp); err != nil {
			_ = resp.Body.Close()
			return nil, err
		}
	}
	return resp, nil
}

// CloseIdleConnections releases the connections of a finished poll.
func (t *credentialsTransport) CloseIdleConnections() { t.next.CloseIdleConnections() }

// errResponseTooLarge is what a limitedBody fails with.
type errResponseTooLarge struct{ limit int64 }

func (e errResponseTooLarge) Error() string {
	return fmt.Sprintf("response too large: more than %d bytes", e.limit)
}

// limitedBody bounds the bytes read from a response.
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

// safeError is an error whose message was composed here: it wraps the
// error it describes (errors.Is and As still see it) without its text,
// which may quote the remote system (a malformed HTTP status line, a
// certificate's names) or the resolved address.
type safeError struct {
	msg string
	err error
}

func (e *safeError) Error() string { return e.msg }
func (e *safeError) Unwrap() error { return e.err }

// requestError describes a failed request by its category.
func requestError(err error, timeout time.Duration) error {
	return &safeError{msg: category(err, timeout), err: err}
}

func category(err error, timeout time.Duration) string {
	var (
		refusal     *egress.Refusal
		tooLarge    errResponseTooLarge
		overBudget  tooLargeError
		netErr      net.Error
		dnsErr      *net.DNSError
		unknownCA   x509.UnknownAuthorityError
		wrongHost   x509.HostnameError
		invalidCert x509.CertificateInvalidError
		verifyErr   *tls.CertificateVerificationError
		alert       tls.AlertError
		record      tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &refusal):
		return refusal.Error()
	case errors.Is(err, errRedirect):
		return errRedirect.Error()
	case errors.Is(err, errTooManyRedirects):
		return errTooManyRedirects.Error()
	case errors.As(err, &tooLarge):
		return tooLarge.Error()
	case errors.As(err, &overBudget):
		return overBudget.Error()
	case errors.Is(err, errNotJSON):
		return errNotJSON.Error()
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("timeout after %s", timeout)
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "host not found"
		}
		return "DNS lookup failed"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "host unreachable"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed by the server"
	case errors.As(err, &unknownCA):
		return "TLS: certificate signed by an unknown authority"
	case errors.As(err, &wrongHost):
		return "TLS: certificate not valid for the host"
	case errors.As(err, &invalidCert):
		return "TLS: certificate invalid or expired"
	case errors.As(err, &verifyErr):
		return "TLS: certificate not trusted"
	case errors.As(err, &alert), errors.As(err, &record):
		return "TLS handshake failed"
	}
	return "request failed"
}

func timeoutOr(d *metav1.Duration) time.Duration {
	if d == nil || d.Duration <= 0 {
		return defaultTimeout
	}
	return min(d.Duration, MaxTimeout)
}

func statusText(code int) string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", code, http.StatusText(code)))
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
