package edge

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Proxies are the addresses (single IPs or CIDR ranges) whose
// X-Forwarded-For is believed. The zero value believes nobody.
type Proxies struct {
	prefixes []netip.Prefix
}

// ParseProxies reads a list of IPs and CIDR ranges ("10.0.0.1",
// "10.0.0.0/8", "::1"). An entry that is neither is an error, so a typo in
// the configuration cannot silently trust nobody or everybody.
func ParseProxies(list []string) (Proxies, error) {
	var p Proxies
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if strings.Contains(s, "/") {
			pre, err := netip.ParsePrefix(s)
			if err != nil {
				return Proxies{}, fmt.Errorf("trusted proxy %q is not an IP address or CIDR range", s)
			}
			p.prefixes = append(p.prefixes, pre.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return Proxies{}, fmt.Errorf("trusted proxy %q is not an IP address or CIDR range", s)
		}
		a = a.Unmap()
		p.prefixes = append(p.prefixes, netip.PrefixFrom(a, a.BitLen()))
	}
	return p, nil
}

// Trusts reports whether a is one of the trusted proxies.
func (p Proxies) Trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, pre := range p.prefixes {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddress is where a request came from. When the connection's peer is
// a trusted proxy, the X-Forwarded-For values (every header line, in order)
// are read from the right: each trusted proxy appends the address it saw, so
// the right-most address that is not a trusted proxy is the first one no
// trusted party vouches for, and everything left of it may be forged by the
// client. A value that is not a plain IP address ends the walk and the
// connection's address is used instead: garbage never becomes an address.
// When every hop is a trusted proxy, the left-most one is the answer.
// The result is always a freshly made string (never a view of the request).
func (p Proxies) ClientAddress(peer netip.Addr, forwardedFor []string) string {
	if !peer.IsValid() {
		return ""
	}
	peer = peer.Unmap()
	if len(p.prefixes) == 0 || !p.Trusts(peer) {
		return peer.String()
	}
	var hops []string
	for _, line := range forwardedFor {
		hops = append(hops, strings.Split(line, ",")...)
	}
	last := peer
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		a, err := netip.ParseAddr(h)
		if err != nil || a.Zone() != "" {
			return peer.String()
		}
		a = a.Unmap()
		if !p.Trusts(a) {
			return a.String()
		}
		last = a
	}
	return last.String()
}

type remoteKeyType struct{}

var remoteKey remoteKeyType

// RemoteMiddleware puts the request's client address (see ClientAddress) in
// the request, for Remote. The server installs it before every route.
func RemoteMiddleware(p Proxies) fiber.Handler {
	return func(c *fiber.Ctx) error {
		peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
		var xff []string
		if len(p.prefixes) > 0 {
			for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
				xff = append(xff, string(v))
			}
		}
		c.Locals(remoteKey, p.ClientAddress(peer, xff))
		return c.Next()
	}
}

// Remote is where the request came from: the one answer for access records'
// "from where" and for per-address limits. It is a copy, safe to keep.
func Remote(c *fiber.Ctx) string {
	if r, ok := c.Locals(remoteKey).(string); ok {
		return r
	}
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	return Proxies{}.ClientAddress(peer, nil)
}
