package egress

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"syscall"
)

// ErrNotAllowed is what every refusal wraps: errors.Is(err, ErrNotAllowed)
// tells a policy decision from a network failure.
var ErrNotAllowed = errors.New("destination not allowed")

// Refusal is the error of a refused address. Its message names the class of
// the address, never the address: a tenant learns that its URL points
// somewhere it may not, not where a name of the cluster resolves to.
type Refusal struct {
	Class Class
	// why says which rule refused an address of an allowed class.
	why string
}

func (e *Refusal) Error() string {
	msg := fmt.Sprintf("%s: %s address", ErrNotAllowed, e.Class)
	if e.why != "" {
		msg += " " + e.why
	}
	return msg
}

// Is makes errors.Is(err, ErrNotAllowed) hold.
func (e *Refusal) Is(target error) bool { return target == ErrNotAllowed }

// Policy decides which addresses may be dialled. The zero value and a nil
// *Policy are the default policy: public and private addresses allowed,
// every other class refused. Safe for concurrent use.
type Policy struct {
	allow, deny []netip.Prefix
	// explicit[i] says allow[i] lies inside a range refused by default, so
	// it re-allows that range (127.0.0.0/8 for local development), where a
	// wide range such as 0.0.0.0/0 does not.
	explicit []bool
}

// NewPolicy returns a policy that refuses deny, and, when allow is not
// empty, everything outside allow. Addresses of a class refused by default
// (loopback, link-local, metadata...) are allowed only by an allow CIDR that
// lies inside their range.
func NewPolicy(allow, deny []netip.Prefix) *Policy {
	p := &Policy{allow: normalize(allow), deny: normalize(deny)}
	p.explicit = make([]bool, len(p.allow))
	for i, q := range p.allow {
		p.explicit[i] = insideRefusedRange(q)
	}
	return p
}

// ParseCIDRs parses a comma-separated list of CIDRs; a bare address stands
// for itself (/32 or /128). An empty list is nil.
func ParseCIDRs(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for s := range strings.SplitSeq(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil || a.Zone() != "" {
				return nil, fmt.Errorf("%q is neither a CIDR nor an address", s)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR", s)
		}
		out = append(out, p)
	}
	return out, nil
}

// normalize masks each prefix and writes IPv4-mapped ones as IPv4, the form
// Check compares with.
func normalize(in []netip.Prefix) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(in))
	for _, p := range in {
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out
}

// insideRefusedRange says whether every address of p is of one class
// refused by default.
func insideRefusedRange(p netip.Prefix) bool {
	for _, r := range ranges {
		if r.class.RefusedByDefault() && r.prefix.Bits() <= p.Bits() && r.prefix.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// Check returns nil when a may be dialled, else a *Refusal.
func (p *Policy) Check(a netip.Addr) error {
	if p == nil {
		p = &Policy{}
	}
	c := Classify(a)
	forms := addressForms(a)
	if indexContaining(p.deny, forms) >= 0 {
		return &Refusal{Class: c, why: "in a denied range"}
	}
	if c.RefusedByDefault() {
		for i, q := range p.allow {
			if p.explicit[i] && containsAny(q, forms) {
				return nil
			}
		}
		return &Refusal{Class: c}
	}
	if len(p.allow) > 0 && indexContaining(p.allow, forms) < 0 {
		return &Refusal{Class: c, why: "outside the allowed ranges"}
	}
	return nil
}

// Control is a net.Dialer Control function: it runs on the resolved address
// of every connection attempt, after DNS and before connect, so neither a
// name that resolves to a refused address nor a redirect gets round it.
func (p *Policy) Control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &Refusal{Class: Reserved}
	}
	return p.Check(ap.Addr())
}

// String describes the policy for the manager's startup log.
func (p *Policy) String() string {
	if p == nil || (len(p.allow) == 0 && len(p.deny) == 0) {
		return "default (public and private addresses)"
	}
	return fmt.Sprintf("allow %v, deny %v", p.allow, p.deny)
}

// addressForms are the forms of a a CIDR may name: the address, unmapped
// and without zone, and the IPv4 address it carries, if any.
func addressForms(a netip.Addr) []netip.Addr {
	a = a.WithZone("").Unmap()
	if v4, ok := embeddedIPv4(a); ok {
		return []netip.Addr{a, v4}
	}
	return []netip.Addr{a}
}

func indexContaining(list []netip.Prefix, forms []netip.Addr) int {
	for i, q := range list {
		if containsAny(q, forms) {
			return i
		}
	}
	return -1
}

func containsAny(q netip.Prefix, forms []netip.Addr) bool {
	for _, a := range forms {
		if q.Contains(a) {
			return true
		}
	}
	return false
}
