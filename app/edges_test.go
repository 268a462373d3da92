package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
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

// metricLabels parses the label sets of one metric family from a scrape.
func metricLabels(tb testing.TB, body, family string) []map[string]string {
	tb.Helper()
	var out []map[string]string
	for _, line := range strings.Split(body, "\n") {
		rest, ok := strings.CutPrefix(line, family+"{")
		if !ok {
			continue
		}
		end := strings.LastIndex(rest, "}")
		if end < 0 {
			tb.Fatalf("unparsable metric line %q", line)
		}
		labels := map[string]string{}
		for _, kv := range strings.Split(rest[:end], ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				tb.Fatalf("unparsable label %q in %q", kv, line)
			}
			uq, err := strconv.Unquote(v)
			if err != nil {
				tb.Fatalf("unparsable label value %q in %q", v, line)
			}
			labels[k] = uq
		}
		out = append(out, labels)
	}
	return out
}

// TestMetricsLabelsAreCopies: Fiber's method and path strings are views of
// the connection's buffer; kept as label values they change under the next
// request ("GET" became "GETT", then scrapes failed). After many requests of
// different methods and paths on kept-alive connections, every label value is
// a real method and a real route template, and the scrape succeeds.
func TestMetricsLabelsAreCopies(t *testing.T) {
	e := newEnv(t)
	st := e.token(t, sam)
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND", "GETT"}
	paths := []string{"/healthz", "/api/v1/clients", "/api/v1/clients/" + e.noorID, "/api/v1/me",
		"/api/v1/no-such-route-with-a-long-name-" + strings.Repeat("x", 200), "/no/such/page", "/login", "/static/none.css"}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 30 * time.Second} // one keep-alive connection per worker
			for i := range 120 {
				m, p := methods[(i+w)%len(methods)], paths[(i*7+w)%len(paths)]
				hr, _ := http.NewRequest(m, e.base+p, strings.NewReader(`{"x":1}`))
				hr.Header.Set("Authorization", "Bearer "+st)
				hr.Header.Set("Content-Type", "application/json")
				res, err := client.Do(hr)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}()
	}
	wg.Wait()
	known := map[string]bool{"unmatched": true}
	for _, r := range e.srv.App.GetRoutes() {
		known[r.Path] = true
	}
	realMethods := map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
		"DELETE": true, "OPTIONS": true, "OTHER": true}
	for scrape := range 3 {
		r := e.do(t, req{method: http.MethodGet, path: "/metrics"}).expect(t, 200)
		body := string(r.body)
		sets := metricLabels(t, body, "nabij_http_requests_total")
		if len(sets) < 5 {
			t.Fatalf("scrape %d: only %d request series", scrape, len(sets))
		}
		for _, l := range sets {
			if !realMethods[l["method"]] {
				t.Errorf("method label %q is not a method", l["method"])
			}
			if !known[l["route"]] {
				t.Errorf("route label %q is not a route template", l["route"])
			}
			if l["status"] == "500" {
				t.Errorf("a request got 500: %v", l)
			}
		}
		for _, l := range metricLabels(t, body, "nabij_http_request_duration_seconds_count") {
			if !realMethods[l["method"]] || !known[l["route"]] {
				t.Errorf("duration labels %v are not a method and a route template", l)
			}
		}
	}
}

// TestMetricsOnlyForThisHostOrToken: request counts are not for everyone.
func TestMetricsOnlyForThisHostOrToken(t *testing.T) {
	const token = "a-long-random-metrics-token-for-the-test"
	e := newEnv(t, behindProxy, func(c *app.Config) { c.MetricsToken = token })
	outside := map[string]string{"X-Forwarded-For": "198.51.100.7"}
	tests := []struct {
		name   string
		header map[string]string
		token  string
		want   int
	}{
		{"OKLoopback", nil, "", 200},
		{"OKTokenFromOutside", outside, token, 200},
		{"ErrOutsideNoToken", outside, "", 403},
		{"ErrOutsideWrongToken", outside, token + "x", 403},
		{"ErrOutsideAccessTokenIsNotMetricsToken", outside, e.token(t, admin), 403},
		{"ErrForwardedFromLoopback", map[string]string{"X-Forwarded-For": "127.0.0.1"}, "", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, req{method: http.MethodGet, path: "/metrics", header: tt.header, token: tt.token}).expect(t, tt.want)
			if tt.want == 403 {
				r.problem(t)
				if strings.Contains(string(r.body), "nabij_http_requests_total") {
					t.Error("a refused scrape carries metrics")
				}
			}
		})
	}
	// Without trusted proxies, a local reverse proxy's forwarded request is
	// still not this host.
	e2 := newEnv(t)
	e2.do(t, req{method: http.MethodGet, path: "/metrics", header: outside}).expect(t, 403).problem(t)
	e2.do(t, req{method: http.MethodGet, path: "/metrics"}).expect(t, 200)
}

// TestSecureCookiesAndHSTS: served over TLS (NABIJ_SECURE_COOKIES=1), every
// response asks browsers to stay on https, and the session, refresh and CSRF
// cookies carry the __Host- prefix (Secure, Path=/, no Domain), so no
// plain-http page or sibling subdomain can plant them; the plain names are no
// longer read. Without the setting, nothing of this (local http demo).
func TestSecureCookiesAndHSTS(t *testing.T) {
	const hsts = "max-age=63072000; includeSubDomains"
	h := newPageHarness(t, true, func(c *app.Config) { c.SecureCookies = true })
	// A client without a jar: Go's jar would not send Secure cookies over the
	// test's plain http, so the cookies travel by hand.
	client := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method, path, cookie string, form url.Values) (*http.Response, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		hr, _ := http.NewRequest(method, h.URL+path, body)
		if form != nil {
			hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if cookie != "" {
			hr.Header.Set("Cookie", cookie)
		}
		res, err := client.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if got := res.Header.Get("Strict-Transport-Security"); got != hsts {
			t.Errorf("%s %s: Strict-Transport-Security %q, want %q", method, path, got, hsts)
		}
		return res, string(b)
	}
	wantHostCookies := func(res *http.Response, names ...string) map[string]string {
		t.Helper()
		got := map[string]string{}
		for _, c := range res.Cookies() {
			got[c.Name] = c.Value
			if strings.HasPrefix(c.Name, "__Host-") && (!c.Secure || c.Path != "/" || c.Domain != "" || !c.HttpOnly) {
				t.Errorf("cookie %s: Secure %v Path %q Domain %q HttpOnly %v", c.Name, c.Secure, c.Path, c.Domain, c.HttpOnly)
			}
		}
		for _, n := range names {
			if _, ok := got["__Host-"+n]; !ok {
				t.Errorf("no cookie __Host-%s among %v", n, got)
			}
			if _, ok := got[n]; ok {
				t.Errorf("cookie %s set without the __Host- prefix", n)
			}
		}
		return got
	}
	res, page := send(http.MethodGet, "/login", "", nil)
	seed := wantHostCookies(res, "nabij_csrf")["__Host-nabij_csrf"]
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	res, _ = send(http.MethodPost, "/login", "__Host-nabij_csrf="+seed,
		url.Values{"username": {"noor"}, "password": {pagePassword}, "_csrf": {m[1]}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with the __Host- CSRF cookie: status %d", res.StatusCode)
	}
	got := wantHostCookies(res, "nabij_access", "nabij_refresh")
	access, refresh := got["__Host-nabij_access"], got["__Host-nabij_refresh"]
	if res, _ := send(http.MethodGet, "/my/file", "__Host-nabij_access="+access, nil); res.StatusCode != http.StatusOK {
		t.Errorf("/my/file with the __Host- access cookie: status %d", res.StatusCode)
	}
	// A cookie planted under the plain name (from http, or a sibling
	// subdomain) is not a session.
	if res, _ := send(http.MethodGet, "/my/file", "nabij_access="+access+"; nabij_refresh="+refresh, nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("/my/file with plain-named cookies: status %d, want 303 to sign in", res.StatusCode)
	}
	send(http.MethodGet, "/healthz", "", nil)
	send(http.MethodGet, "/api/v1/clients", "", nil) // a problem+json 401 carries it too

	t.Run("NotOverPlainHTTP", func(t *testing.T) {
		hp := newPageHarness(t, false)
		r := hp.browser("en").get("/login")
		if v := r.Header.Get("Strict-Transport-Security"); v != "" {
			t.Errorf("Strict-Transport-Security %q without NABIJ_SECURE_COOKIES", v)
		}
		for _, c := range r.Cookies() {
			if strings.HasPrefix(c.Name, "__Host-") {
				t.Errorf("cookie %s has the __Host- prefix over plain http", c.Name)
			}
		}
	})
}

// TestClientSeesNoAddresses: the client's access log (API and page) says
// who, when and why, never where staff worked from; the data officer still
// sees the address.
func TestClientSeesNoAddresses(t *testing.T) {
	e := newEnv(t, behindProxy)
	const staffAddr = "198.51.100.23"
	e.do(t, req{method: http.MethodGet, path: "/api/v1/clients/" + e.noorID + "/file", token: e.token(t, sam),
		header: map[string]string{"X-Forwarded-For": staffAddr}}).expect(t, 200)
	nt := e.token(t, noor)
	r := e.get(t, nt, "/api/v1/me/access-log").expect(t, 200)
	var page struct {
		Records []map[string]any `json:"records"`
	}
	r.decode(t, &page)
	if len(page.Records) == 0 {
		t.Fatal("noor's access log is empty")
	}
	sawSam := false
	for _, rec := range page.Records {
		if _, ok := rec["remote"]; ok {
			t.Errorf("client's access record carries remote: %v", rec)
		}
		sawSam = sawSam || rec["actor_username"] == sam
	}
	if !sawSam {
		t.Error("noor's access log does not show sam's read")
	}
	if strings.Contains(string(r.body), staffAddr) || strings.Contains(string(r.body), "127.0.0.1") {
		t.Errorf("client's access log carries an address: %s", clip(r.body))
	}
	for _, path := range []string{"/api/v1/me/export", "/api/v1/me/export?format=fhir"} {
		ex := e.get(t, nt, path).expect(t, 200)
		if strings.Contains(string(ex.body), staffAddr) || strings.Contains(string(ex.body), "127.0.0.1") {
			t.Errorf("the client's export %s carries an address", path)
		}
	}
	var dpoPage struct {
		Records []records.AccessView `json:"records"`
	}
	e.get(t, e.token(t, dpo), "/api/v1/access-log?client_id="+e.noorID).expect(t, 200).decode(t, &dpoPage)
	found := false
	for _, rec := range dpoPage.Records {
		found = found || rec.Remote == staffAddr
	}
	if !found {
		t.Errorf("the data officer does not see where sam read from")
	}

	t.Run("Page", func(t *testing.T) {
		h := newPageHarness(t, true, behindProxy)
		sb := h.browser("en")
		sb.login("sam")
		noorID := h.user("noor").ClientID
		sb.get("/clients/"+noorID).want(t, http.StatusOK)
		nb := h.browser("nl")
		nb.login("noor")
		p := nb.get("/my/access")
		p.want(t, http.StatusOK)
		if strings.Contains(p.body, "127.0.0.1") {
			t.Error("the client's access page shows an address")
		}
	})
}

// TestReadyzNeedsWritesAndDisk: /readyz says ready only when a write would
// succeed now. A database whose write lock another process holds, or a disk
// with less free space than the margin, is not ready (503), however well
// reads still work; ready again once the cause is gone.
func TestReadyzNeedsWritesAndDisk(t *testing.T) {
	var dir string
	e := newEnv(t, func(c *app.Config) { dir = c.DataDir })
	e.do(t, req{method: http.MethodGet, path: "/readyz"}).expect(t, 200)

	t.Run("ErrWriteLockHeldElsewhere", func(t *testing.T) {
		db, err := sql.Open("sqlite3", "file:"+sqlite.DBPath(dir)+"?_busy_timeout=10000")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			t.Fatal(err)
		}
		r := e.do(t, req{method: http.MethodGet, path: "/readyz"}).expect(t, 503)
		if r.header.Get("Cache-Control") != "no-store" {
			t.Error("readyz is cacheable")
		}
		e.do(t, req{method: http.MethodGet, path: "/healthz"}).expect(t, 200) // alive, not ready
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		e.do(t, req{method: http.MethodGet, path: "/readyz"}).expect(t, 200)
	})
	t.Run("ErrFreeDiskBelowMargin", func(t *testing.T) {
		full := newEnv(t, func(c *app.Config) { c.MinFreeDisk = 1 << 62 })
		r := full.do(t, req{method: http.MethodGet, path: "/readyz"}).expect(t, 503)
		if !strings.Contains(string(r.body), "storage full") {
			t.Errorf("readyz with a full disk says %q", r.body)
		}
	})
}

func TestEdgeConfigFromEnv(t *testing.T) {
	t.Setenv("NABIJ_METRICS_TOKEN", "tok")
	t.Setenv("NABIJ_MIN_FREE_DISK_MB", "128")
	t.Setenv("NABIJ_TRUSTED_PROXIES", "10.0.0.1,10.1.0.0/16")
	var c app.Config
	if err := c.ConfigFromEnv(); err != nil {
		t.Fatal(err)
	}
	if c.MetricsToken != "tok" || c.MinFreeDisk != 128<<20 || len(c.TrustedProxies) != 2 || c.Reads != "" {
		t.Errorf("config %+v", c)
	}
	t.Setenv("NABIJ_READS", "snapshot")
	c = app.Config{}
	if err := c.ConfigFromEnv(); err != nil || c.Reads != sqlite.ReadsInSnapshots {
		t.Errorf("NABIJ_READS=snapshot: reads %q, err %v", c.Reads, err)
	}
	// A choice on the command line, auto included, wins over the variable.
	c = app.Config{Reads: sqlite.ReadsAuto}
	if err := c.ConfigFromEnv(); err != nil || c.Reads != sqlite.ReadsAuto {
		t.Errorf("--reads auto with NABIJ_READS=snapshot: reads %q, err %v", c.Reads, err)
	}
	t.Setenv("NABIJ_READS", "fast")
	c = app.Config{}
	if err := c.ConfigFromEnv(); err == nil {
		t.Error("NABIJ_READS=fast accepted")
	}
	t.Setenv("NABIJ_READS", "")
	t.Setenv("NABIJ_MIN_FREE_DISK_MB", "0")
	c = app.Config{}
	if err := c.ConfigFromEnv(); err != nil || c.MinFreeDisk >= 0 {
		t.Errorf("NABIJ_MIN_FREE_DISK_MB=0: margin %d, err %v; want the check off", c.MinFreeDisk, err)
	}
	t.Setenv("NABIJ_MIN_FREE_DISK_MB", "lots")
	c = app.Config{}
	if err := c.ConfigFromEnv(); err == nil {
		t.Error("NABIJ_MIN_FREE_DISK_MB=lots accepted")
	}
	// A proxy list with a typo stops the server before it opens anything.
	dir := t.TempDir()
	if _, err := app.New(app.Config{DataDir: dir, TrustedProxies: []string{"proxy.internal"}}); err == nil {
		t.Error("a trusted proxy that is not an IP or range was accepted")
	}
}
