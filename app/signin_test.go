package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nabij/nabij/app"
)

// withClock runs the server on the test's clock.
func withClock(clk *pageClock) envOption { return func(c *app.Config) { c.Now = clk.now } }

func (e *env) loginFrom(tb testing.TB, addr, username, password string) *resp {
	tb.Helper()
	return e.do(tb, req{method: http.MethodPost, path: "/api/v1/auth/login",
		body:   map[string]string{"username": username, "password": password},
		header: map[string]string{"X-Forwarded-For": addr}})
}

// retryAfter reads a 429's Retry-After: whole seconds, at least one.
func retryAfter(tb testing.TB, r *resp) time.Duration {
	tb.Helper()
	n, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || n < 1 {
		tb.Fatalf("429 with Retry-After %q", r.header.Get("Retry-After"))
	}
	return time.Duration(n) * time.Second
}

// A stranger who types wrong passwords for someone's account slows down only
// themself: the owner, from another address, signs in at once. There is no
// lock-out; the guesser waits longer after each failure, up to a cap, and may
// try again once the wait has passed.
func TestWrongPasswordsDoNotLockTheOwnerOut(t *testing.T) {
	clk := &pageClock{}
	e := newEnv(t, keepLoginLimit, behindProxy, withClock(clk))
	const guesser, owner = "203.0.113.66", "198.51.100.7"
	free, _ := app.LoginLimitsForTest(e.srv)
	var waits []time.Duration
	for i := 1; i <= 6; i++ {
		r := e.loginFrom(t, guesser, sam, "not the password at all")
		if i <= free+1 { // the failure after the free ones sets the first wait
			if p := r.expect(t, 401).problem(t); p.Type != "urn:nabij:problem:invalid-credentials" {
				t.Fatalf("failure %d: %+v", i, p)
			}
			continue
		}
		// Past the free failures: told to wait, and the wait is honoured.
		p := r.expect(t, 429).problem(t)
		if p.Type != "urn:nabij:problem:rate-limited" {
			t.Fatalf("attempt %d: %+v", i, p)
		}
		wait := retryAfter(t, r)
		waits = append(waits, wait)
		e.loginFrom(t, guesser, sam, "not the password at all").expect(t, 429)
		clk.advance(wait)
		e.loginFrom(t, guesser, sam, "not the password at all").expect(t, 401)
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] <= waits[i-1] {
			t.Errorf("waits %v do not grow", waits)
		}
	}
	// The owner, elsewhere, is not refused because of the guesser.
	r := e.loginFrom(t, owner, sam, demoPassword).expect(t, 200)
	var tk tokens
	r.decode(t, &tk)
	e.get(t, tk.AccessToken, "/api/v1/me").expect(t, 200)

	// The wait is capped: many more failures never make it longer than half a minute.
	for range 12 {
		if r := e.loginFrom(t, guesser, sam, "still not it"); r.status == 429 {
			w := retryAfter(t, r)
			if w > 30*time.Second {
				t.Fatalf("wait %v, above the cap", w)
			}
			clk.advance(w)
		}
	}
	// Even the guesser's address gets in with the right password once it has waited.
	if r := e.loginFrom(t, guesser, sam, demoPassword); r.status == 429 {
		clk.advance(retryAfter(t, r))
	}
	e.loginFrom(t, guesser, sam, demoPassword).expect(t, 200)
}

// Guesses sent all at once do not slip past the delay: each attempt counts
// as soon as it starts, so of a parallel burst for one account from one
// address only the free failures and the one that sets the first wait are
// checked; the rest are told to wait.
func TestParallelGuessesAreDelayedToo(t *testing.T) {
	e := newEnv(t, keepLoginLimit, behindProxy)
	const burst = 16
	free, _ := app.LoginLimitsForTest(e.srv)
	statuses := make([]int, burst)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = e.loginFrom(t, "203.0.113.77", lena, fmt.Sprintf("guess number %d", i)).status
		}()
	}
	close(start)
	wg.Wait()
	checked := 0
	for _, s := range statuses {
		switch s {
		case 401:
			checked++
		case 429:
		default:
			t.Fatalf("statuses %v", statuses)
		}
	}
	if checked > free+1 {
		t.Errorf("%d of %d parallel guesses were checked, want at most %d: %v", checked, burst, free+1, statuses)
	}
}

// Many failures from one address for many accounts slow that address down,
// whatever names it tries; other addresses are not slowed.
func TestSignInDelayPerAddress(t *testing.T) {
	clk := &pageClock{}
	e := newEnv(t, keepLoginLimit, behindProxy, withClock(clk))
	const sprayer, office = "203.0.113.99", "198.51.100.20"
	_, perAddr := app.LoginLimitsForTest(e.srv)
	limited := 0
	for i := 0; i < perAddr+2; i++ {
		// A different unknown account each time: only the per-address delay applies.
		r := e.loginFrom(t, sprayer, fmt.Sprintf("nobody%d", i), "whatever it is")
		switch r.status {
		case http.StatusUnauthorized:
			if limited > 0 {
				t.Fatalf("attempt %d allowed while the address must wait", i+1)
			}
		case http.StatusTooManyRequests:
			limited++
			if p := r.problem(t); p.Type != "urn:nabij:problem:rate-limited" {
				t.Errorf("problem %+v", p)
			}
			retryAfter(t, r)
		default:
			t.Fatalf("attempt %d: status %d", i+1, r.status)
		}
	}
	if limited != 1 {
		t.Errorf("%d of %d attempts limited, want the one after %d free failures and the first wait", limited, perAddr+2, perAddr)
	}
	// Correct credentials from that address wait too; from another they do not.
	e.loginFrom(t, sprayer, sam, demoPassword).expect(t, 429)
	e.loginFrom(t, office, sam, demoPassword).expect(t, 200)
}

// An unknown username gets exactly the answer a known one with a wrong
// password gets, attempt after attempt, and costs as much: whether an account
// exists is not told.
func TestUnknownUsernameAnsweredAsWrongPassword(t *testing.T) {
	e := newEnv(t, keepLoginLimit, behindProxy)
	var known, unknown []time.Duration
	for i := 1; i <= 7; i++ {
		t0 := time.Now()
		k := e.loginFrom(t, "203.0.113.1", lena, "a wrong password for lena")
		dk := time.Since(t0)
		hashes := app.HashesRunForTest(e.srv)
		t0 = time.Now()
		u := e.loginFrom(t, "203.0.113.2", "no-such-person", "a wrong password for lena")
		du := time.Since(t0)
		if ran := app.HashesRunForTest(e.srv) - hashes; u.status == 401 && ran != 1 {
			t.Errorf("attempt %d: the unknown username ran %d password hashes, want 1 as for a known one", i, ran)
		}
		if k.status != u.status || !bytes.Equal(k.body, u.body) || k.header.Get("Retry-After") != u.header.Get("Retry-After") {
			t.Fatalf("attempt %d: known %d %s (Retry-After %q), unknown %d %s (Retry-After %q)", i,
				k.status, k.body, k.header.Get("Retry-After"), u.status, u.body, u.header.Get("Retry-After"))
		}
		if k.status == 401 {
			known, unknown = append(known, dk), append(unknown, du)
		}
	}
	// Both run one Argon2id verification and wait for a commit (or as long):
	// the fastest unknown attempt is not much quicker than the fastest known
	// one. Loose, as the machine may be busy.
	if mk, mu := minDuration(known), minDuration(unknown); mu < mk/4 {
		t.Errorf("unknown username answered in %v, known in %v: the difference tells who exists", mu, mk)
	}
}

func minDuration(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds[1:] {
		m = min(m, d)
	}
	return m
}

// Signing out refuses the session's access token at once, not when it expires.
func TestAccessTokenRefusedRightAfterSignOut(t *testing.T) {
	e := newEnv(t)
	tk := e.login(t, noor)
	other := e.login(t, noor) // another device of the same person
	e.get(t, tk.AccessToken, "/api/v1/me").expect(t, 200)
	e.post(t, "", "/api/v1/auth/logout", map[string]string{"refresh_token": tk.RefreshToken}).expect(t, 204)
	p := e.get(t, tk.AccessToken, "/api/v1/me").expect(t, 401).problem(t)
	if p.Type != "urn:nabij:problem:unauthorized" {
		t.Errorf("after sign-out: %+v", p)
	}
	e.get(t, tk.AccessToken, "/api/v1/me/file").expect(t, 401)
	// The other device's session goes on.
	e.get(t, other.AccessToken, "/api/v1/me").expect(t, 200)
}

// A token reused after rotation (theft) ends the session: the thief's access
// token stops at once too.
func TestRefreshReuseEndsTheSession(t *testing.T) {
	e := newEnv(t)
	first := e.login(t, sam)
	var second tokens
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken}).expect(t, 200).decode(t, &second)
	e.get(t, second.AccessToken, "/api/v1/clients").expect(t, 200)
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken}).expect(t, 401)
	e.get(t, second.AccessToken, "/api/v1/clients").expect(t, 401)
}

// A session ends 12 hours after sign-in, however busy: refreshed every ten
// minutes, it still stops, and so do its access tokens.
func TestSessionEndsTwelveHoursAfterSignIn(t *testing.T) {
	clk := &pageClock{}
	e := newEnv(t, withClock(clk))
	tk := e.login(t, sam)
	for elapsed := time.Duration(0); ; {
		clk.advance(10 * time.Minute)
		elapsed += 10 * time.Minute
		r := e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": tk.RefreshToken})
		if elapsed < 12*time.Hour {
			r.expect(t, 200).decode(t, &tk)
			continue
		}
		if p := r.expect(t, 401).problem(t); !strings.Contains(p.Detail, "12 hours") {
			t.Errorf("refresh at %v: %+v", elapsed, p)
		}
		break
	}
	// The last access token, minutes old, is refused as well.
	e.get(t, tk.AccessToken, "/api/v1/clients").expect(t, 401)
	// Signing in again starts a new session.
	e.get(t, e.login(t, sam).AccessToken, "/api/v1/clients").expect(t, 200)
}

// At most MaxHashing Argon2id verifications run at once, however many
// sign-ins arrive together; the others wait their turn or get 429.
func TestSignInHashingIsBounded(t *testing.T) {
	const limit, burst = 2, 24
	e := newEnv(t, func(c *app.Config) { c.MaxHashing = limit })
	var wg sync.WaitGroup
	statuses := make([]int, burst)
	start := make(chan struct{})
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := e.do(t, req{method: http.MethodPost, path: "/api/v1/auth/login", body: map[string]string{"username": sam, "password": demoPassword}})
			statuses[i] = r.status
			if r.status == 429 {
				retryAfter(t, r)
			}
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for i, s := range statuses {
		switch s {
		case 200:
			ok++
		case 429:
		default:
			t.Errorf("sign-in %d: status %d", i, s)
		}
	}
	if ok == 0 {
		t.Error("no sign-in succeeded")
	}
	if peak := app.HashingPeakForTest(e.srv); peak > limit || peak < 1 {
		t.Errorf("%d password hashes ran at once, want at most %d", peak, limit)
	}
}

// The page session: signing out refuses the access cookie's token at once,
// even if a copy of it is replayed without the refresh cookie.
func TestPageAccessTokenRefusedAfterSignOut(t *testing.T) {
	h := newPageHarness(t, true)
	b := h.browser("en")
	b.login("sam")
	b.get("/caseload").want(t, http.StatusOK)
	var access string
	for _, c := range b.c.Jar.Cookies(mustURL(t, h.URL)) {
		if c.Name == "nabij_access" {
			access = c.Value
		}
	}
	if access == "" {
		t.Fatal("no access cookie")
	}
	b.post("/caseload", "/logout", url.Values{}).want(t, http.StatusSeeOther)

	// A copy of the access cookie alone, as someone who took it would replay it.
	replay := h.browser("en")
	replay.c.Jar.SetCookies(mustURL(t, h.URL), []*http.Cookie{{Name: "nabij_access", Value: access, Path: "/"}})
	if r := replay.get("/caseload"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("the signed-out access cookie still opens /caseload: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	req, _ := http.NewRequest(http.MethodGet, h.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the signed-out access token on the API: %d", res.StatusCode)
	}
}

// A page session ends 12 hours after sign-in, however busy, with a message
// that says why, in the reader's language.
func TestPageSessionEndsTwelveHoursAfterSignIn(t *testing.T) {
	for _, tc := range []struct{ lang, msg string }{
		{"en", "You were signed in for 12 hours"},
		{"nl", "Je was 12 uur aangemeld"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newPageHarness(t, true)
			b := h.browser(tc.lang)
			b.login("sam")
			for elapsed := time.Duration(0); elapsed < 12*time.Hour-20*time.Minute; elapsed += 20 * time.Minute {
				h.clock.advance(20 * time.Minute) // the access token expires, the refresh cookie rotates
				b.get("/caseload").want(t, http.StatusOK)
			}
			h.clock.advance(25 * time.Minute)
			r := b.get("/caseload")
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Fcaseload" {
				t.Fatalf("after 12 hours: %d %q", r.StatusCode, r.Header.Get("Location"))
			}
			b.get("/login").want(t, http.StatusOK, tc.msg)
		})
	}
}
