package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/app/demo"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// pagePassword is every demo account's password in the page tests.
const pagePassword = "page-tests-correct-horse"

// pageHarness is a real nabij server on 127.0.0.1:0 with the demo seeded,
// for the web-page tests (plain HTTP and browser).
type pageHarness struct {
	tb    testing.TB
	srv   *app.Server
	URL   string
	clock *pageClock
}

// pageClock is a clock the test can move forward (idle time-out).
type pageClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *pageClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *pageClock) advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// newPageHarness starts the server; seed false leaves the store empty
// (for tests that need no accounts).
func newPageHarness(tb testing.TB, seed bool, opts ...func(*app.Config)) *pageHarness {
	tb.Helper()
	clock := &pageClock{}
	cfg := app.Config{DataDir: tb.TempDir(), Now: clock.now, Logf: func(format string, args ...any) {
		if testing.Verbose() {
			tb.Logf("server: "+format, args...)
		}
	}}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := app.New(cfg)
	if err != nil {
		tb.Fatalf("app.New: %v", err)
	}
	if seed {
		if err := demo.Seed(context.Background(), srv.Store, pagePassword, time.Now()); err != nil {
			srv.Shutdown(time.Second)
			tb.Fatalf("seed: %v", err)
		}
	}
	base := serveForTest(tb, srv)
	return &pageHarness{tb: tb, srv: srv, URL: base, clock: clock}
}

func (h *pageHarness) user(username string) *records.User {
	h.tb.Helper()
	u, err := h.srv.Store.UserByUsername(context.Background(), username)
	if err != nil {
		h.tb.Fatalf("user %s: %v", username, err)
	}
	return u
}

// pageBrowser is a plain HTTP client with a cookie jar: a browser without
// JavaScript, that does not follow redirects by itself.
type pageBrowser struct {
	h    *pageHarness
	c    *http.Client
	lang string
}

func (h *pageHarness) browser(lang string) *pageBrowser {
	jar, _ := cookiejar.New(nil)
	return &pageBrowser{h: h, lang: lang, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type pageResp struct {
	*http.Response
	body string
}

func (b *pageBrowser) do(method, path string, form url.Values) *pageResp {
	b.h.tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.h.URL+path, body)
	if err != nil {
		b.h.tb.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", b.lang)
	res, err := b.c.Do(req)
	if err != nil {
		b.h.tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return &pageResp{Response: res, body: string(raw)}
}

func (b *pageBrowser) get(path string) *pageResp { return b.do(http.MethodGet, path, nil) }

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf fetches a page and returns the CSRF token of its forms.
func (b *pageBrowser) csrf(path string) string {
	b.h.tb.Helper()
	r := b.get(path)
	m := csrfField.FindStringSubmatch(r.body)
	if m == nil {
		b.h.tb.Fatalf("GET %s (%d): no CSRF token in the page", path, r.StatusCode)
	}
	return m[1]
}

// post submits a form from the page at from, with that page's CSRF token.
func (b *pageBrowser) post(from, path string, form url.Values) *pageResp {
	b.h.tb.Helper()
	form.Set("_csrf", b.csrf(from))
	return b.do(http.MethodPost, path, form)
}

func (b *pageBrowser) login(username string) *pageResp {
	b.h.tb.Helper()
	r := b.post("/login", "/login", url.Values{"username": {username}, "password": {pagePassword}})
	if r.StatusCode != http.StatusSeeOther {
		b.h.tb.Fatalf("sign in %s: status %d\n%s", username, r.StatusCode, r.body)
	}
	return r
}

func (r *pageResp) want(tb testing.TB, status int, subs ...string) {
	tb.Helper()
	if r.StatusCode != status {
		tb.Errorf("%s %s: status %d, want %d", r.Request.Method, r.Request.URL.Path, r.StatusCode, status)
	}
	for _, s := range subs {
		if !strings.Contains(r.body, s) {
			tb.Errorf("%s %s: page lacks %q", r.Request.Method, r.Request.URL.Path, s)
		}
	}
}

func TestPageCSRFRefused(t *testing.T) {
	h := newPageHarness(t, true)
	t.Run("WrongToken", func(t *testing.T) {
		b := h.browser("en")
		b.get("/login")
		r := b.do(http.MethodPost, "/login", url.Values{"_csrf": {"forged"}, "username": {"sam"}, "password": {pagePassword}})
		r.want(t, http.StatusForbidden, "This form has expired", "Nothing was changed", `<html lang="en">`)
		if strings.Contains(strings.Join(r.Header.Values("Set-Cookie"), ";"), "nabij_access=ey") {
			t.Error("a refused sign-in set a session")
		}
	})
	t.Run("NoCookie", func(t *testing.T) {
		b := h.browser("nl")
		token := b.csrf("/login")
		fresh := h.browser("nl") // another browser: has no seed cookie, copies the token
		r := fresh.do(http.MethodPost, "/login", url.Values{"_csrf": {token}, "username": {"sam"}, "password": {pagePassword}})
		r.want(t, http.StatusForbidden, "Dit formulier is verlopen")
	})
	t.Run("SignedInFormChangesNothing", func(t *testing.T) {
		b := h.browser("en")
		b.login("noor")
		before := len(h.myEntries(t, "noor"))
		r := b.do(http.MethodPost, "/my/entries/new", url.Values{"_csrf": {"x"}, "body": {"forged entry"}})
		r.want(t, http.StatusForbidden, "This form has expired")
		if after := len(h.myEntries(t, "noor")); after != before {
			t.Errorf("entries %d → %d after a refused CSRF token", before, after)
		}
		// The same form with the page's token works.
		b.post("/my/entries/new", "/my/entries/new", url.Values{"body": {"real entry"}}).want(t, http.StatusSeeOther)
		if after := len(h.myEntries(t, "noor")); after != before+1 {
			t.Errorf("entries %d → %d after a good post", before, after)
		}
	})
}

func (h *pageHarness) myEntries(tb testing.TB, client string) []records.Entry {
	u := h.user(client)
	f, err := h.srv.Store.ClientFile(context.Background(), records.Actor{UserID: u.ID, Role: u.Role, ClientID: u.ClientID},
		records.PurposeOwnFile, u.ClientID)
	if err != nil {
		tb.Fatal(err)
	}
	return f.Entries
}

func TestPageNoStoreAndCookieFlags(t *testing.T) {
	h := newPageHarness(t, true)
	b := h.browser("en")
	r := b.login("sam")
	if loc := r.Header.Get("Location"); loc != "/caseload" {
		t.Errorf("sign-in redirects to %q", loc)
	}
	names := map[string]bool{}
	for _, c := range r.Cookies() {
		names[c.Name] = true
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Secure {
			t.Errorf("cookie %s: HttpOnly %v SameSite %v Path %q Secure %v", c.Name, c.HttpOnly, c.SameSite, c.Path, c.Secure)
		}
	}
	if !names["nabij_access"] || !names["nabij_refresh"] {
		t.Errorf("sign-in set cookies %v, want nabij_access and nabij_refresh", names)
	}
	noor := h.user("noor").ClientID
	for _, p := range []string{"/caseload", "/clients/" + noor, "/clients/" + noor + "/contacts/new", "/clients/" + noor + "/notes/new", "/clients/new"} {
		r := b.get(p)
		r.want(t, http.StatusOK)
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", p, cc)
		}
	}
	r = b.get("/clients/" + noor)
	r.want(t, http.StatusOK, "Noor El Amrani", "Follows up", "Followed up by")
	nb := h.browser("nl")
	nb.login("noor")
	for _, p := range []string{"/my/file", "/my/access"} {
		r := nb.get(p)
		r.want(t, http.StatusOK)
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", p, cc)
		}
	}
	t.Run("SecureWhenTLS", func(t *testing.T) {
		hs := newPageHarness(t, false, func(c *app.Config) { c.SecureCookies = true })
		r := hs.browser("en").get("/login")
		if len(r.Cookies()) == 0 {
			t.Fatal("no cookie set")
		}
		for _, c := range r.Cookies() {
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("cookie %s: Secure %v HttpOnly %v SameSite %v", c.Name, c.Secure, c.HttpOnly, c.SameSite)
			}
		}
	})
	t.Run("Logout", func(t *testing.T) {
		var refresh string
		for _, c := range b.c.Jar.Cookies(mustURL(t, h.URL)) {
			if c.Name == "nabij_refresh" {
				refresh = c.Value
			}
		}
		b.post("/caseload", "/logout", url.Values{}).want(t, http.StatusSeeOther)
		if r := b.get("/caseload"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("after sign-out /caseload gives %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if _, err := h.srv.Store.RotateRefreshToken(context.Background(), refresh, "x-next-token-for-test", time.Minute); err == nil {
			t.Error("the refresh token still works after sign-out")
		}
	})
}

func mustURL(tb testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func TestPageIdleTimeout(t *testing.T) {
	h := newPageHarness(t, true)
	b := h.browser("en")
	b.login("sam")
	b.get("/caseload").want(t, http.StatusOK)
	// The access token (15 minutes) expires; the refresh cookie rotates.
	h.clock.advance(20 * time.Minute)
	r := b.get("/caseload")
	r.want(t, http.StatusOK, "My caseload")
	rotated := false
	for _, c := range r.Cookies() {
		rotated = rotated || (c.Name == "nabij_refresh" && c.Value != "")
	}
	if !rotated {
		t.Error("expired access token: the refresh cookie was not rotated")
	}
	// 20 minutes later: within 30 minutes of the rotation, still signed in.
	h.clock.advance(20 * time.Minute)
	b.get("/caseload").want(t, http.StatusOK)
	// Idle for 31 minutes: signed out.
	h.clock.advance(31 * time.Minute)
	r = b.get("/caseload")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Fcaseload" {
		t.Fatalf("after 31 idle minutes: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	b.get("/login").want(t, http.StatusOK, "You were signed out because you were away")
}

func TestPageRefusedFormKeepsValues(t *testing.T) {
	h := newPageHarness(t, true)
	noor := h.user("noor").ClientID
	t.Run("ContactLocalCheck", func(t *testing.T) {
		b := h.browser("en")
		b.login("sam")
		r := b.post("/clients/"+noor+"/contacts/new", "/clients/"+noor+"/contacts/new", url.Values{
			"channel": {"home_visit"}, "occurred_at": {"2026-11-20T10:30"}, "duration_minutes": {"an hour"}, "synchronous": {"no"}})
		r.want(t, http.StatusUnprocessableEntity,
			`<p class="field__error" id="f-duration_minutes-error"><span class="visually-hidden">Error: </span>Enter the duration in whole minutes, from 0 to 1440.</p>`,
			`aria-invalid="true"`, `value="an hour"`, `<option value="home_visit" selected>`, `value="2026-11-20T10:30"`,
			`value="no" checked`, `<a href="#f-duration_minutes">`, `<title>Error: Log a contact · nabij</title>`)
	})
	t.Run("NoteRecordsCheckDutch", func(t *testing.T) {
		b := h.browser("nl")
		b.login("sam")
		page := "/clients/" + noor + "/notes/new"
		about := regexp.MustCompile(`<option value="(contact:[^"]+)"`).FindStringSubmatch(b.get(page).body)
		if about == nil {
			t.Fatal("no contact to write about")
		}
		// A restricted note without a reason: records refuses it (field restricted_reason).
		r := b.post(page, page, url.Values{"about": {about[1]}, "body": {"Gesprek met de school <b>vertrouwelijk</b>."},
			"visibility": {"restricted"}, "restricted_reason": {""}})
		r.want(t, http.StatusUnprocessableEntity,
			`id="f-restricted_reason-error"`, "Zeg waarom deze notitie afgeschermd is voor de cliënt.",
			"Gesprek met de school &lt;b&gt;vertrouwelijk&lt;/b&gt;.", `value="restricted" aria-describedby="visibility-restricted-hint" checked`,
			fmt.Sprintf(`<option value="%s" selected>`, about[1]))
	})
	t.Run("AdminUser", func(t *testing.T) {
		b := h.browser("en")
		b.login("admin")
		r := b.post("/admin/users", "/admin/users", url.Values{"username": {"Not Valid!"}, "display_name": {"Kim Jansen"},
			"role": {"professional"}, "password": {"a-long-enough-password"}})
		r.want(t, http.StatusUnprocessableEntity, `id="f-username-error"`, "Use 2 to 32 lower-case letters",
			`value="Not Valid!"`, `value="Kim Jansen"`, `<option value="professional" selected>`)
		if strings.Contains(r.body, "a-long-enough-password") {
			t.Error("the password was sent back")
		}
	})
}

func TestPageForbiddenClientFile(t *testing.T) {
	h := newPageHarness(t, true)
	noor := h.user("noor").ClientID
	dpo := h.user("dpo")
	denied := func() int {
		list, err := h.srv.Store.AccessLog(context.Background(), records.Actor{UserID: dpo.ID, Role: dpo.Role},
			records.AccessFilter{ClientID: noor, Actor: "lena", Outcome: records.OutcomeDenied, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before := denied()
	b := h.browser("en")
	b.login("lena")
	r := b.get("/clients/" + noor)
	r.want(t, http.StatusForbidden, "No access", "not on your caseload", `href="/clients/`+noor+`/break-glass"`)
	if strings.Contains(r.body, "Noor") {
		t.Error("the 403 page shows the client's name")
	}
	if got := denied(); got != before+1 {
		t.Errorf("denied records for lena on noor: %d → %d, want one more", before, got)
	}
	// A client reaching a professional's page is refused and recorded too.
	nb := h.browser("en")
	nb.login("noor")
	nb.get("/caseload").want(t, http.StatusForbidden, "No access")
	// Break the glass from the 403 page, then the file opens.
	bg := "/clients/" + noor + "/break-glass"
	b.post(bg, bg, url.Values{"reason": {"short"}}).want(t, http.StatusUnprocessableEntity, "at least 10 characters")
	b.post(bg, bg, url.Values{"reason": {"Crisis call at night, sam is not on duty"}}).want(t, http.StatusSeeOther)
	b.get("/clients/"+noor).want(t, http.StatusOK, "Noor El Amrani", "You opened this file with emergency access")
	// Noor sees who used emergency access on her file, why and until when; so
	// does the data officer among the anomalies.
	nb.get("/my/access").want(t, http.StatusOK, "Reason for emergency access", "Crisis call at night, sam is not on duty", "Emergency access until")
	db := h.browser("en")
	db.login("dpo")
	db.get("/dpo/anomalies").want(t, http.StatusOK, "Reason for emergency access", "Crisis call at night, sam is not on duty")
}

func TestPageTOTPPendingOnlyEnrolment(t *testing.T) {
	h := newPageHarness(t, true, func(c *app.Config) { c.RequireTOTP = map[records.Role]bool{records.RoleAdmin: true} })
	b := h.browser("en")
	if loc := b.login("admin").Header.Get("Location"); loc != "/totp" {
		t.Errorf("pending sign-in goes to %q, want /totp", loc)
	}
	for _, p := range []string{"/admin/users", "/admin/teams", "/"} {
		r := b.get(p)
		if p == "/" {
			r = b.get("/admin/users")
		}
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/totp" {
			t.Errorf("GET %s with a pending session: %d %q, want redirect to /totp", p, r.StatusCode, r.Header.Get("Location"))
		}
	}
	r := b.get("/totp")
	r.want(t, http.StatusOK, "Set up two-step verification", `<img class="qr" src="data:image/png;base64,`)
	b.post("/totp", "/totp", url.Values{"code": {"000000"}}).want(t, http.StatusUnprocessableEntity, "This code is not correct")
}

func TestPageLanguageSwitch(t *testing.T) {
	h := newPageHarness(t, false)
	b := h.browser("en-GB,en;q=0.9")
	b.get("/login").want(t, http.StatusOK, `<html lang="en">`, `href="/lang/nl?next=%2Flogin"`)
	r := b.get("/lang/nl?next=/login")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("/lang/nl: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	b.get("/login").want(t, http.StatusOK, `<html lang="nl">`, "Aanmelden")
	if r := b.get("/lang/nl?next=//evil.example"); r.Header.Get("Location") != "/" {
		t.Errorf("open redirect: %q", r.Header.Get("Location"))
	}
	b.get("/no-such-page").want(t, http.StatusNotFound, "Pagina niet gevonden")
	r = b.get("/static/nabij.css")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("/static/nabij.css: %d %q", r.StatusCode, r.Header.Get("Cache-Control"))
	}
}

// A client's login is made by their professional from the file page (and the
// store records it); the admin's form offers staff roles only and refuses "client".
func TestPageClientAccount(t *testing.T) {
	h := newPageHarness(t, true)
	sam := h.browser("en")
	sam.login("sam")
	su := h.user("sam")
	cl, err := h.srv.Store.CreateClient(context.Background(), records.Actor{UserID: su.ID, Role: su.Role}, records.NewClient{Name: "Eva Peeters"})
	if err != nil {
		t.Fatal(err)
	}
	c := cl.ID
	path := "/clients/" + c + "/account"
	sam.get("/clients/"+c).want(t, http.StatusOK, `href="`+path+`"`)
	// The professional chooses no password: the form has no such field, and
	// the page answers with a one-time activation code to print.
	r0 := sam.post(path, path, url.Values{"username": {"eva"}})
	r0.want(t, http.StatusOK, "login was made", "Activation code", "/activate")
	m := regexp.MustCompile(`activation__code">([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})<`).FindStringSubmatch(r0.body)
	if m == nil {
		t.Fatalf("no activation code on the page:\n%s", r0.body)
	}
	code := m[1]
	sam.post(path, path, url.Values{"username": {"eva2"}}).want(t, http.StatusConflict, "has a login already")
	eva := h.browser("en")
	eva.get("/login").want(t, http.StatusOK, `href="/activate"`)
	eva.post("/activate", "/activate", url.Values{"username": {"eva"}, "code": {"2222-3333-4444"}, "password": {pagePassword}}).
		want(t, http.StatusBadRequest, "code is not right", `value="eva"`)
	eva.post("/activate", "/activate", url.Values{"username": {"eva"}, "code": {code}, "password": {"password1234"}}).
		want(t, http.StatusUnprocessableEntity, "easy to guess")
	eva.post("/activate", "/activate", url.Values{"username": {"eva"}, "code": {code}, "password": {pagePassword}}).want(t, http.StatusSeeOther)
	eva.post("/activate", "/activate", url.Values{"username": {"eva"}, "code": {code}, "password": {pagePassword}}).want(t, http.StatusBadRequest)
	eva.login("eva")
	eva.get("/my/file").want(t, http.StatusOK, "Eva Peeters")

	adm := h.browser("en")
	adm.login("admin")
	r := adm.get("/admin/users")
	r.want(t, http.StatusOK, "Staff accounts only")
	if strings.Contains(r.body, `value="client"`) {
		t.Error("the admin's form offers the client role")
	}
	adm.post("/admin/users", "/admin/users", url.Values{"username": {"shadow"}, "role": {"client"}}).
		want(t, http.StatusUnprocessableEntity, "Choose a staff role")
	adm.post("/admin/users", "/admin/users", url.Values{"username": {"kim"}, "role": {"professional"}}).
		want(t, http.StatusOK, "The account was added.", "activation__code")
	kim := h.user("kim")
	again := "/admin/users/" + kim.ID + "/activation-code"
	adm.get("/admin/users").want(t, http.StatusOK, "Waiting for activation", `action="`+again+`"`)
	adm.post("/admin/users", again, url.Values{}).want(t, http.StatusOK, "The old code no longer works", "activation__code")
	// No new code for eva's client account from the admin, nor for an account with a password.
	adm.post("/admin/users", "/admin/users/"+h.user("eva").ID+"/activation-code", url.Values{}).want(t, http.StatusForbidden)
	adm.post("/admin/users", "/admin/users/"+h.user("sam").ID+"/activation-code", url.Values{}).want(t, http.StatusConflict)
}

// Everyone changes their own password from the menu; the old one stops
// working, and the other sessions of the account end.
func TestPageChangePassword(t *testing.T) {
	h := newPageHarness(t, true)
	noor := h.browser("en")
	noor.login("noor")
	other := h.browser("en")
	other.login("noor")
	noor.get("/my/file").want(t, http.StatusOK, `href="/account/password"`)
	const next = "a new secret only noor knows"
	noor.post("/account/password", "/account/password", url.Values{"current_password": {"wrong one"}, "new_password": {next}}).
		want(t, http.StatusUnprocessableEntity, "current password is not right")
	noor.post("/account/password", "/account/password", url.Values{"current_password": {pagePassword}, "new_password": {"qwertyuiopas"}}).
		want(t, http.StatusUnprocessableEntity, "easy to guess")
	noor.post("/account/password", "/account/password", url.Values{"current_password": {pagePassword}, "new_password": {next}}).
		want(t, http.StatusSeeOther)
	noor.get("/my/file").want(t, http.StatusOK, "You are signed out everywhere else")
	fresh := h.browser("en")
	fresh.post("/login", "/login", url.Values{"username": {"noor"}, "password": {pagePassword}}).want(t, http.StatusUnauthorized)
	fresh.post("/login", "/login", url.Values{"username": {"noor"}, "password": {next}}).want(t, http.StatusSeeOther)
	// The other browser's session cannot be renewed once its access token ends.
	rt := ""
	for _, ck := range other.c.Jar.Cookies(mustURL(t, h.URL)) {
		if ck.Name == "nabij_refresh" {
			rt = ck.Value
		}
	}
	if _, err := h.srv.Store.ActiveRefreshToken(context.Background(), rt); records.ErrorCode(err) != records.ENOTFOUND {
		t.Errorf("the other session's refresh token is still active: %v", err)
	}
}

// clone is a second browser holding this one's cookies as they are now (as two
// tabs share them).
func (b *pageBrowser) clone() *pageBrowser {
	u, _ := url.Parse(b.h.URL)
	nb := b.h.browser(b.lang)
	nb.c.Jar.SetCookies(u, b.c.Jar.Cookies(u))
	return nb
}

// Two page loads that find the same expired access token both present the same
// refresh token: the second, within seconds, carries on with the first one's
// rotation instead of ending the session; later, the old token is reuse, and
// after sign-out it opens nothing.
func TestPageParallelRefresh(t *testing.T) {
	h := newPageHarness(t, true)
	a := h.browser("en")
	a.login("sam")
	h.clock.advance(20 * time.Minute) // the access token has expired
	late := a.clone()                 // a tab that will present the old refresh token later
	b := a.clone()
	a.get("/caseload").want(t, http.StatusOK, "My caseload")
	b.get("/caseload").want(t, http.StatusOK, "My caseload")

	h.clock.advance(web.RotationGrace + time.Second)
	r := late.get("/caseload")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("old refresh token after the grace window: %d %q, want a redirect to sign in", r.StatusCode, r.Header.Get("Location"))
	}

	// Sign-out ends the session even for a tab inside the grace window.
	c := h.browser("en")
	c.login("lena")
	h.clock.advance(20 * time.Minute)
	other := c.clone()
	c.get("/caseload").want(t, http.StatusOK)
	c.post("/caseload", "/logout", url.Values{}).want(t, http.StatusSeeOther)
	r = other.get("/caseload")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("a tab after sign-out: %d %q, want a redirect to sign in", r.StatusCode, r.Header.Get("Location"))
	}
}

// The contact, note and consent forms read the client's outline, not the
// whole file: the access record says a form was opened (kind "outline") and
// names no note, so the client does not see "read every note".
func TestPageFormsReadTheOutline(t *testing.T) {
	h := newPageHarness(t, true)
	noor := h.user("noor").ClientID
	dpo := h.user("dpo")
	sam := h.user("sam")
	file, err := h.srv.Store.ClientFile(context.Background(), records.Actor{UserID: sam.ID, Role: sam.Role}, records.PurposeCare, noor)
	if err != nil || len(file.Notes) == 0 {
		t.Fatalf("noor's file as sam: %v (%d notes)", err, len(file.Notes))
	}
	notes := map[string]bool{}
	for _, n := range file.Notes {
		notes[n.ID] = true
	}
	b := h.browser("en")
	b.login("sam")
	for _, form := range []string{"/contacts/new", "/notes/new", "/consents/new"} {
		t.Run(form, func(t *testing.T) {
			b.get("/clients/"+noor+form).want(t, http.StatusOK, "Noor El Amrani")
			list, err := h.srv.Store.AccessLog(context.Background(), records.Actor{UserID: dpo.ID, Role: dpo.Role},
				records.AccessFilter{ClientID: noor, Actor: "sam", Action: records.ActionRead, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 {
				t.Fatalf("no read of noor's file by sam recorded")
			}
			r := list[0].AccessRecord
			if r.RecordKind != "outline" || r.Outcome != records.OutcomeOK {
				t.Errorf("opening %s recorded kind %q outcome %q, want outline ok", form, r.RecordKind, r.Outcome)
			}
			for _, id := range r.RecordIDs {
				if notes[id] {
					t.Errorf("the outline read names a note: %v", r.RecordIDs)
					break
				}
			}
		})
	}
}

// caseCode is the case code of a client, as staff pick it.
func (h *pageHarness) caseCode(clientID string) string {
	h.tb.Helper()
	codes, err := h.srv.Store.ClientCodes(context.Background(), records.System())
	if err != nil {
		h.tb.Fatal(err)
	}
	for _, c := range codes {
		if c.ClientID == clientID {
			return c.CaseCode
		}
	}
	h.tb.Fatalf("client %s has no case code", clientID)
	return ""
}
