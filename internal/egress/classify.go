// Package egress decides which network addresses the operator may connect
// to on behalf of a tenant. A MetricSource names its own URL, so without a
// policy any tenant could make the operator read the node's loopback admin
// ports, the cloud metadata service or link-local services. The decision is
// taken on the resolved address at dial time (Policy.Control), so a name
// that resolves to a refused address, at any moment, is refused too.
package egress

import (
	"net/netip"
	"slices"
)

// Class is the kind of an address, as far as reaching it is concerned.
type Class uint8

// Address classes. Public and Private are allowed by default (in-cluster
// Prometheus lives on a private ClusterIP); every other class is refused
// unless an allowed CIDR names it explicitly.
const (
	Public Class = iota
	Private
	Loopback
	LinkLocal
	Metadata
	Unspecified
	Multicast
	Broadcast
	Reserved
)

var classNames = [...]string{
	Public:      "public",
	Private:     "private",
	Loopback:    "loopback",
	LinkLocal:   "link-local",
	Metadata:    "cloud metadata",
	Unspecified: "unspecified",
	Multicast:   "multicast",
	Broadcast:   "broadcast",
	Reserved:    "reserved",
}

func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// RefusedByDefault says whether addresses of the class are refused unless
// an allowed CIDR lies inside their range.
func (c Class) RefusedByDefault() bool { return c != Public && c != Private }

// classRange is one range of the table; ranges are looked up longest
// prefix first, so a metadata address inside a private range is metadata.
type classRange struct {
	prefix netip.Prefix
	class  Class
}

var ranges = func() []classRange {
	r := []classRange{
		// "This network": connecting to 0.0.0.0 reaches the local host.
		{netip.MustParsePrefix("0.0.0.0/8"), Unspecified},
		{netip.MustParsePrefix("127.0.0.0/8"), Loopback},
		// All of it, not only 169.254.169.254: AWS ECS and EKS agents,
		// Scaleway and Tencent serve metadata elsewhere in the range.
		{netip.MustParsePrefix("169.254.0.0/16"), LinkLocal},
		{netip.MustParsePrefix("10.0.0.0/8"), Private},
		{netip.MustParsePrefix("172.16.0.0/12"), Private},
		{netip.MustParsePrefix("192.168.0.0/16"), Private},
		// Shared address space (carrier-grade NAT), used by some clusters.
		{netip.MustParsePrefix("100.64.0.0/10"), Private},
		// Alibaba Cloud's metadata service, inside the shared space.
		{netip.MustParsePrefix("100.100.100.200/32"), Metadata},
		// Azure's WireServer, a public address only the VM can reach.
		{netip.MustParsePrefix("168.63.129.16/32"), Metadata},
		{netip.MustParsePrefix("224.0.0.0/4"), Multicast},
		{netip.MustParsePrefix("240.0.0.0/4"), Reserved},
		{netip.MustParsePrefix("255.255.255.255/32"), Broadcast},

		{netip.MustParsePrefix("::/128"), Unspecified},
		{netip.MustParsePrefix("::1/128"), Loopback},
		{netip.MustParsePrefix("fe80::/10"), LinkLocal},
		{netip.MustParsePrefix("fc00::/7"), Private},
		// AWS IMDS and EKS Pod Identity, GCP and Scaleway metadata: unique
		// local addresses, outside fe80::/10.
		{netip.MustParsePrefix("fd00:ec2::254/128"), Metadata},
		{netip.MustParsePrefix("fd00:ec2::23/128"), Metadata},
		{netip.MustParsePrefix("fd20:ce::254/128"), Metadata},
		{netip.MustParsePrefix("fd00:42::42/128"), Metadata},
		{netip.MustParsePrefix("ff00::/8"), Multicast},
		// Deprecated site-local and discard-only ranges: nothing serves
		// metrics there, and stacks still route them locally.
		{netip.MustParsePrefix("fec0::/10"), Reserved},
		{netip.MustParsePrefix("100::/64"), Reserved},
	}
	slices.SortFunc(r, func(a, b classRange) int { return b.prefix.Bits() - a.prefix.Bits() })
	return r
}()

// Classify returns the class of an address. An IPv6 address that carries
// an IPv4 address (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64,
// 6to4) is classified by the IPv4 address it reaches, so ::ffff:127.0.0.1
// is loopback. An invalid address is Reserved.
func Classify(a netip.Addr) Class {
	if !a.IsValid() {
		return Reserved
	}
	a = a.WithZone("").Unmap()
	if v4, ok := embeddedIPv4(a); ok {
		return Classify(v4)
	}
	for _, r := range ranges {
		if r.prefix.Contains(a) {
			return r.class
		}
	}
	return Public
}

var (
	// IPv4-compatible (::a.b.c.d, deprecated but still parsed by stacks).
	compatible = netip.MustParsePrefix("::/96")
	// IPv4-translated (SIIT, RFC 2765).
	translated = netip.MustParsePrefix("::ffff:0:0:0/96")
	// The well-known NAT64 prefix (RFC 6052): a NAT64 gateway connects to
	// the embedded IPv4 address.
	nat64 = netip.MustParsePrefix("64:ff9b::/96")
	// 6to4 (RFC 3056): the IPv4 address is in bits 16 to 48.
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// embeddedIPv4 returns the IPv4 address an IPv6 address leads to, if any.
// :: and ::1 are IPv6 addresses of their own, not IPv4-compatible ones.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() {
		return netip.Addr{}, false
	}
	b := a.As16()
	switch {
	case compatible.Contains(a):
		if a == netip.IPv6Unspecified() || a == netip.IPv6Loopback() {
			return netip.Addr{}, false
		}
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case translated.Contains(a), nat64.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}
