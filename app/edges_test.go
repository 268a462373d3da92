package app_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/records"
)

// behindProxy trusts the loopback address the test client connects from, as
// a reverse proxy on the same host would be trusted.
func behindProxy(c *app.Config) { c.TrustedProxies = []string{"127.0.0.1", "::1"} }

// TestForwardedForIsNotBelieved: a client behind a trusted proxy cannot write
// what it likes into the access log's "from where": only the address the
// proxy appended (the right-most untrusted one) is kept, and text that is not
// an IP address gives the connection's address.
func TestForwardedForIsNotBelieved(t *testing.T) {
	e := newEnv(t, behindProxy)
	nt := e.token(t, noor)
	tests := []struct {
		name, xff, want string
	}{
		{"SpoofedHopLeftOfProxy", "6.6.6.6, 198.51.100.7", "198.51.100.7"},
		{"Garbage", "nobody'; DROP TABLE access_log;--", "127.0.0.1"},
		{"ForgedTrustedLooking", "198.51.100.8, 127.0.0.1", "198.51.100.8"},
		{"IPv6", "2001:db8::7", "2001:db8::7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := e.headSeq(t)
			e.do(t, req{method: http.MethodGet, path: "/api/v1/me/file", token: nt,
				header: map[string]string{"X-Forwarded-For": tt.xff}}).expect(t, 200)
			r := e.wantRecord(t, noor, seq, e.noorID, records.OutcomeOK, "")
			if r.Remote != tt.want {
				t.Errorf("X-Forwarded-For %q gave remote %q in the access log, want %q", tt.xff, r.Remote, tt.want)
			}
		})
	}
}

// TestForwardedForCannotDodgeTheAddressLimit: a client that invents a new
// left-most X-Forwarded-For hop for each attempt is still one address to the
// per-address sign-in limit.
func TestForwardedForCannotDodgeTheAddressLimit(t *testing.T) {
	e := newEnv(t, behindProxy, keepLoginLimit)
	app.SetLoginLimitForTest(e.srv, 3, time.Minute)
	last := 0
	for i := range 6 {
		r := e.do(t, req{method: http.MethodPost, path: "/api/v1/auth/login",
			body:   map[string]string{"username": fmt.Sprintf("nobody%d", i), "password": "wrong password here"},
			header: map[string]string{"X-Forwarded-For": fmt.Sprintf("10.9.%d.1, 198.51.100.7", i)}})
		last = r.status
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("6 sign-ins from one address with invented forwarded hops: last status %d, want 429", last)
	}
}
