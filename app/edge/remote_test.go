package edge_test

import (
	"net/netip"
	"testing"

	"github.com/nabij/nabij/app/edge"
)

func TestClientAddress(t *testing.T) {
	proxies, err := edge.ParseProxies([]string{"10.0.0.1", "10.1.0.0/16", "2001:db8:ffff::/48", " "})
	if err != nil {
		t.Fatal(err)
	}
	proxy := netip.MustParseAddr("10.0.0.1")
	stranger := netip.MustParseAddr("203.0.113.9")
	tests := []struct {
		name string
		p    edge.Proxies
		peer netip.Addr
		xff  []string
		want string
	}{
		{"OKNoHeader", proxies, proxy, nil, "10.0.0.1"},
		{"OKOneHop", proxies, proxy, []string{"198.51.100.7"}, "198.51.100.7"},
		{"SpoofedLeftIgnored", proxies, proxy, []string{"1.2.3.4, 198.51.100.7"}, "198.51.100.7"},
		{"SpoofedTextLeftIgnored", proxies, proxy, []string{"'; DROP TABLE x;--, 198.51.100.7"}, "198.51.100.7"},
		{"MultiHopThroughTrusted", proxies, proxy, []string{"198.51.100.7, 10.1.2.3"}, "198.51.100.7"},
		{"MultiHopSeparateLines", proxies, proxy, []string{"6.6.6.6", "198.51.100.7", "10.1.2.3"}, "198.51.100.7"},
		{"AllTrustedLeftMost", proxies, proxy, []string{"10.1.9.9, 10.1.2.3"}, "10.1.9.9"},
		{"GarbageRightMost", proxies, proxy, []string{"198.51.100.7, not-an-ip"}, "10.0.0.1"},
		{"GarbageWithPort", proxies, proxy, []string{"198.51.100.7:4711"}, "10.0.0.1"},
		{"GarbageEmptyHop", proxies, proxy, []string{"198.51.100.7,"}, "10.0.0.1"},
		{"GarbageLongText", proxies, proxy, []string{"<script>alert(1)</script>"}, "10.0.0.1"},
		{"GarbageZone", proxies, proxy, []string{"fe80::1%eth0"}, "10.0.0.1"},
		{"IPv6Client", proxies, proxy, []string{"2001:db8::42"}, "2001:db8::42"},
		{"IPv6ThroughTrustedIPv6", proxies, proxy, []string{"2001:db8::42, 2001:db8:ffff::1"}, "2001:db8::42"},
		{"IPv6PeerTrusted", proxies, netip.MustParseAddr("2001:db8:ffff::5"), []string{"198.51.100.7"}, "198.51.100.7"},
		{"IPv4MappedPeer", proxies, netip.MustParseAddr("::ffff:10.0.0.1"), []string{"::ffff:198.51.100.7"}, "198.51.100.7"},
		{"UntrustedPeerHeaderIgnored", proxies, stranger, []string{"198.51.100.7"}, "203.0.113.9"},
		{"NoProxiesHeaderIgnored", edge.Proxies{}, proxy, []string{"198.51.100.7"}, "10.0.0.1"},
		{"NoPeer", proxies, netip.Addr{}, []string{"198.51.100.7"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.ClientAddress(tt.peer, tt.xff); got != tt.want {
				t.Errorf("ClientAddress(%v, %q) = %q, want %q", tt.peer, tt.xff, got, tt.want)
			}
		})
	}
}

func TestParseProxiesRefusesGarbage(t *testing.T) {
	for _, bad := range []string{"proxy.local", "10.0.0.1/33", "10.0.0.*", "fe80::1%eth0"} {
		if _, err := edge.ParseProxies([]string{bad}); err == nil {
			t.Errorf("ParseProxies(%q) accepted it", bad)
		}
	}
}
