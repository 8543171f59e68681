package egress

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want Class
	}{
		// IPv4, both ends of every range and a neighbour outside it.
		{"0.0.0.0", Unspecified},
		{"0.255.255.255", Unspecified},
		{"1.0.0.0", Public},
		{"8.8.8.8", Public},
		{"9.255.255.255", Public},
		{"10.0.0.0", Private},
		{"10.255.255.255", Private},
		{"11.0.0.0", Public},
		{"100.63.255.255", Public},
		{"100.64.0.0", Private},
		{"100.100.100.199", Private},
		{"100.100.100.200", Metadata},
		{"100.127.255.255", Private},
		{"100.128.0.0", Public},
		{"126.255.255.255", Public},
		{"127.0.0.0", Loopback},
		{"127.0.0.1", Loopback},
		{"127.255.255.255", Loopback},
		{"128.0.0.0", Public},
		{"168.63.129.16", Metadata},
		{"169.253.255.255", Public},
		{"169.254.0.0", LinkLocal},
		{"169.254.169.254", LinkLocal},
		{"169.254.170.2", LinkLocal},
		{"169.254.255.255", LinkLocal},
		{"169.255.0.0", Public},
		{"172.15.255.255", Public},
		{"172.16.0.0", Private},
		{"172.31.255.255", Private},
		{"172.32.0.0", Public},
		{"192.167.255.255", Public},
		{"192.168.0.0", Private},
		{"192.168.255.255", Private},
		{"192.169.0.0", Public},
		{"223.255.255.255", Public},
		{"224.0.0.0", Multicast},
		{"239.255.255.255", Multicast},
		{"240.0.0.0", Reserved},
		{"255.255.255.254", Reserved},
		{"255.255.255.255", Broadcast},

		// IPv6.
		{"::", Unspecified},
		{"::1", Loopback},
		{"::2", Unspecified}, // IPv4-compatible 0.0.0.2
		{"2001:4860:4860::8888", Public},
		{"2001:db8::1", Public},
		{"fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Public},
		{"fc00::", Private},
		{"fd00:ec2::253", Private},
		{"fd00:ec2::254", Metadata},
		{"fd00:ec2::23", Metadata},
		{"fd20:ce::254", Metadata},
		{"fd00:42::42", Metadata},
		{"fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Private},
		{"fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Public},
		{"fe80::", LinkLocal},
		{"fe80::1%eth0", LinkLocal},
		{"fe80::a9fe:a9fe", LinkLocal},
		{"febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LinkLocal},
		{"fec0::1", Reserved},
		{"ff00::", Multicast},
		{"ff02::1", Multicast},
		{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Multicast},
		{"100::1", Reserved},

		// IPv6 forms that carry an IPv4 address are judged by it.
		{"::ffff:127.0.0.1", Loopback},
		{"::ffff:169.254.169.254", LinkLocal},
		{"::ffff:100.100.100.200", Metadata},
		{"::ffff:0.0.0.0", Unspecified},
		{"::ffff:10.1.2.3", Private},
		{"::ffff:8.8.8.8", Public},
		{"::ffff:255.255.255.255", Broadcast},
		{"::127.0.0.1", Loopback},
		{"::169.254.169.254", LinkLocal},
		{"::ffff:0:127.0.0.1", Loopback},
		{"::ffff:0:a9fe:a9fe", LinkLocal},
		{"64:ff9b::7f00:1", Loopback},
		{"64:ff9b::a9fe:a9fe", LinkLocal},
		{"64:ff9b::808:808", Public},
		{"2002:7f00:1::1", Loopback},
		{"2002:a9fe:a9fe::", LinkLocal},
		{"2002:808:808::1", Public},
	} {
		a := netip.MustParseAddr(tc.addr)
		if got := Classify(a); got != tc.want {
			t.Errorf("Classify(%s) = %s, want %s", tc.addr, got, tc.want)
		}
	}
	if got := Classify(netip.Addr{}); got != Reserved {
		t.Errorf("Classify(invalid) = %s, want reserved", got)
	}
}

func TestDefaultPolicy(t *testing.T) {
	for _, p := range []*Policy{nil, {}, NewPolicy(nil, nil)} {
		for addr, want := range map[string]string{
			"8.8.8.8":                "",
			"10.96.0.10":             "",
			"fd12::1":                "",
			"127.0.0.1":              "destination not allowed: loopback address",
			"::1":                    "destination not allowed: loopback address",
			"::ffff:127.0.0.1":       "destination not allowed: loopback address",
			"169.254.169.254":        "destination not allowed: link-local address",
			"::ffff:169.254.169.254": "destination not allowed: link-local address",
			"fe80::1":                "destination not allowed: link-local address",
			"fd00:ec2::254":          "destination not allowed: cloud metadata address",
			"100.100.100.200":        "destination not allowed: cloud metadata address",
			"0.0.0.0":                "destination not allowed: unspecified address",
			"::":                     "destination not allowed: unspecified address",
			"224.0.0.1":              "destination not allowed: multicast address",
			"ff02::1":                "destination not allowed: multicast address",
			"255.255.255.255":        "destination not allowed: broadcast address",
			"240.0.0.1":              "destination not allowed: reserved address",
		} {
			checkPolicy(t, p, addr, want)
		}
	}
}

func TestPolicyFlags(t *testing.T) {
	for _, tc := range []struct {
		name        string
		allow, deny string
		want        map[string]string
	}{{
		name: "denied ranges win over the default and over allowed ranges",
		deny: "10.0.0.0/8, 8.8.8.8",
		want: map[string]string{
			"10.244.1.5":       "destination not allowed: private address in a denied range",
			"::ffff:10.0.0.1":  "destination not allowed: private address in a denied range",
			"8.8.8.8":          "destination not allowed: public address in a denied range",
			"8.8.4.4":          "",
			"192.168.1.1":      "",
			"127.0.0.1":        "destination not allowed: loopback address",
			"64:ff9b::a00:101": "destination not allowed: private address in a denied range",
		},
	}, {
		name:  "allowed ranges are the only ones allowed",
		allow: "192.168.0.0/16,2001:db8::/32",
		want: map[string]string{
			"192.168.4.4":     "",
			"2001:db8::1":     "",
			"10.0.0.1":        "destination not allowed: private address outside the allowed ranges",
			"8.8.8.8":         "destination not allowed: public address outside the allowed ranges",
			"169.254.169.254": "destination not allowed: link-local address",
		},
	}, {
		name:  "an allowed range inside a refused one re-allows it",
		allow: "127.0.0.0/8,169.254.169.254/32",
		want: map[string]string{
			"127.0.0.1":        "",
			"::ffff:127.0.0.1": "",
			"64:ff9b::7f00:1":  "",
			"169.254.169.254":  "",
			"169.254.169.253":  "destination not allowed: link-local address",
			"::1":              "destination not allowed: loopback address",
			"10.0.0.1":         "destination not allowed: private address outside the allowed ranges",
		},
	}, {
		name:  "an IPv4-mapped CIDR is its IPv4 range",
		allow: "::ffff:127.0.0.0/104",
		want:  map[string]string{"127.0.0.1": "", "::ffff:127.0.0.2": "", "8.8.8.8": "destination not allowed: public address outside the allowed ranges"},
	}, {
		name:  "a wide allowed range does not re-allow what is refused by default",
		allow: "0.0.0.0/0,::/0,100.64.0.0/10,fc00::/7,169.0.0.0/8",
		want: map[string]string{
			"8.8.8.8":         "",
			"100.64.0.1":      "",
			"127.0.0.1":       "destination not allowed: loopback address",
			"::1":             "destination not allowed: loopback address",
			"169.254.169.254": "destination not allowed: link-local address",
			"100.100.100.200": "destination not allowed: cloud metadata address",
			"fd00:ec2::254":   "destination not allowed: cloud metadata address",
			"255.255.255.255": "destination not allowed: broadcast address",
		},
	}, {
		name:  "a denied range beats an explicit allowed one",
		allow: "127.0.0.0/8",
		deny:  "127.0.0.2",
		want: map[string]string{
			"127.0.0.1": "",
			"127.0.0.2": "destination not allowed: loopback address in a denied range",
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			allow, err := ParseCIDRs(tc.allow)
			if err != nil {
				t.Fatal(err)
			}
			deny, err := ParseCIDRs(tc.deny)
			if err != nil {
				t.Fatal(err)
			}
			p := NewPolicy(allow, deny)
			for addr, want := range tc.want {
				checkPolicy(t, p, addr, want)
			}
		})
	}
}

func checkPolicy(t *testing.T, p *Policy, addr, want string) {
	t.Helper()
	a := netip.MustParseAddr(addr)
	err := p.Check(a)
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: Check(%s) = %v, want allowed", p, addr, err)
	case want != "" && (err == nil || err.Error() != want):
		t.Errorf("%s: Check(%s) = %v, want %q", p, addr, err, want)
	case err != nil && !errors.Is(err, ErrNotAllowed):
		t.Errorf("%s: Check(%s) = %v, not ErrNotAllowed", p, addr, err)
	case err != nil && strings.Contains(err.Error(), a.Unmap().String()):
		t.Errorf("%s: Check(%s) = %v names the address", p, addr, err)
	}
	// Control sees the same address as a dialer does: resolved, with a port.
	if cerr := p.Control("tcp", netip.AddrPortFrom(a, 443).String(), nil); (cerr == nil) != (err == nil) {
		t.Errorf("%s: Control(%s) = %v, Check = %v", p, addr, cerr, err)
	}
}

func TestControlRefusesWhatItCannotParse(t *testing.T) {
	if err := (*Policy)(nil).Control("tcp", "not-an-address:80", nil); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("Control(hostname) = %v, want a refusal", err)
	}
}

func TestParseCIDRs(t *testing.T) {
	got, err := ParseCIDRs(" 10.0.0.0/8 ,, fd00::/8,192.168.1.1, ::1 ")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "fd00::/8", "192.168.1.1/32", "::1/128"}
	if len(got) != len(want) {
		t.Fatalf("ParseCIDRs = %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("ParseCIDRs[%d] = %s, want %s", i, got[i], want[i])
		}
	}
	if got, err := ParseCIDRs(""); err != nil || got != nil {
		t.Errorf(`ParseCIDRs("") = %v, %v`, got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "fe80::1%eth0", "10.0.0.0/8,nope"} {
		if _, err := ParseCIDRs(bad); err == nil {
			t.Errorf("ParseCIDRs(%q) accepted", bad)
		}
	}
}

func FuzzClassifyMappedAgrees(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "169.254.169.254", "10.0.0.1", "8.8.8.8", "100.100.100.200", "255.255.255.255"} {
		f.Add(netip.MustParseAddr(s).AsSlice())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) != 4 {
			return
		}
		v4 := netip.AddrFrom4([4]byte(b))
		mapped := netip.AddrFrom16(v4.As16())
		if Classify(v4) != Classify(mapped) {
			t.Errorf("Classify(%s) = %s but Classify(%s) = %s", v4, Classify(v4), mapped, Classify(mapped))
		}
		if (NewPolicy(nil, nil).Check(v4) == nil) != (NewPolicy(nil, nil).Check(mapped) == nil) {
			t.Errorf("policy disagrees on %s and %s", v4, mapped)
		}
	})
}
