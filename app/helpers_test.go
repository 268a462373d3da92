package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/app/demo"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

const demoPassword = "correct horse battery staple"

// The demo's accounts, by username.
const (
	sam   = "sam"
	lena  = "lena"
	noor  = "noor"
	milan = "milan"
	dpo   = "dpo"
	admin = "admin"
)

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// spec loads and validates the merged OpenAPI document once, and builds the
// router that maps requests to its operations.
func spec(tb testing.TB) (*openapi3.T, routers.Router) {
	tb.Helper()
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromData(app.OpenAPI())
		if specErr != nil {
			specErr = fmt.Errorf("load: %w", specErr)
			return
		}
		if specErr = specDoc.Validate(loader.Context); specErr != nil {
			specErr = fmt.Errorf("validate: %w", specErr)
			return
		}
		specRouter, specErr = gorillamux.NewRouter(specDoc)
	})
	if specErr != nil {
		tb.Fatalf("OpenAPI document: %v", specErr)
	}
	return specDoc, specRouter
}

// logSink keeps every line the server logs, for tests that look for leaks.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) add(s string) {
	l.mu.Lock()
	l.lines = append(l.lines, s)
	l.mu.Unlock()
}

func (l *logSink) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// env is a real nabij server on loopback with the demo seeded, and a client
// that validates every response against the OpenAPI document.
type env struct {
	tb      testing.TB
	srv     *app.Server
	base    string
	http    *http.Client
	logs    *logSink
	users   map[string]*records.User // demo accounts by username
	noorID  string                   // client ids of the demo clients with accounts
	milanID string
	tokens  map[string]string // access tokens by username, from login
}

type envOption func(*app.Config)

// newEnv starts a server on 127.0.0.1:0 on a fresh data dir, seeds the demo and
// stops it when the test ends. The sign-in rate limit is raised so that tests
// may sign in freely; tests of the limit itself pass keepLoginLimit.
func newEnv(tb testing.TB, opts ...envOption) *env {
	tb.Helper()
	spec(tb)
	logs := &logSink{}
	cfg := app.Config{DataDir: tb.TempDir(), Logf: func(format string, args ...any) {
		line := fmt.Sprintf(format, args...)
		logs.add(line)
		if testing.Verbose() {
			tb.Logf("server: %s", line)
		}
	}}
	keepLimit := false
	for _, o := range opts {
		if o == nil {
			keepLimit = true
			continue
		}
		o(&cfg)
	}
	srv, err := app.New(cfg)
	if err != nil {
		tb.Fatalf("app.New: %v", err)
	}
	if !keepLimit {
		app.SetLoginLimitForTest(srv, 10_000, time.Minute)
	}
	ctx := context.Background()
	if err := demo.Seed(ctx, srv.Store, demoPassword, time.Now()); err != nil {
		srv.Shutdown(time.Second)
		tb.Fatalf("seed: %v", err)
	}
	return envFor(tb, srv, serveForTest(tb, srv), logs)
}

// envFor is the test client of a seeded server that serves at base.
func envFor(tb testing.TB, srv *app.Server, base string, logs *logSink) *env {
	tb.Helper()
	ctx := context.Background()
	e := &env{tb: tb, srv: srv, base: base, logs: logs,
		http:  &http.Client{Timeout: 30 * time.Second},
		users: map[string]*records.User{}, tokens: map[string]string{}}
	for _, d := range demo.DemoLogins {
		u, err := srv.Store.UserByUsername(ctx, d.Username)
		if err != nil {
			tb.Fatalf("demo user %s: %v", d.Username, err)
		}
		e.users[d.Username] = u
	}
	e.noorID, e.milanID = e.users[noor].ClientID, e.users[milan].ClientID
	return e
}

// keepLoginLimit leaves the server's real sign-in rate limit in place.
var keepLoginLimit envOption

// req is one API call.
type req struct {
	method string
	path   string // with query string
	token  string // bearer token; "" sends none
	body   any    // marshalled to JSON unless raw is set
	raw    []byte // sent as is
	ctype  string // Content-Type; default application/json when there is a body, "-" for none
	header map[string]string
	// badInput marks a request that is meant to break the document's request
	// rules (the test checks the server refuses it): its request is not
	// validated against the document, its response still is.
	badInput bool
	// undocumented marks a request to a path the document cannot list (an
	// unknown route): nothing is validated.
	undocumented bool
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r *resp) decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r *resp) problem(tb testing.TB) edge.Problem {
	tb.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		tb.Fatalf("status %d with Content-Type %q, want application/problem+json: %s", r.status, ct, r.body)
	}
	var p edge.Problem
	r.decode(tb, &p)
	if p.Status != r.status {
		tb.Fatalf("problem status %d, HTTP status %d", p.Status, r.status)
	}
	return p
}

// do sends the request and checks the request (unless badInput) and the
// response against the OpenAPI document: a route or status the document does
// not list, or a body or header that does not match it, fails the test.
func (e *env) do(tb testing.TB, r req) *resp {
	tb.Helper()
	var body []byte
	switch {
	case r.raw != nil:
		body = r.raw
	case r.body != nil:
		b, err := json.Marshal(r.body)
		if err != nil {
			tb.Fatal(err)
		}
		body = b
	}
	build := func() *http.Request {
		hr, err := http.NewRequest(r.method, e.base+r.path, bytes.NewReader(body))
		if err != nil {
			tb.Fatal(err)
		}
		if body != nil && r.ctype == "" {
			hr.Header.Set("Content-Type", "application/json")
		} else if r.ctype != "" && r.ctype != "-" {
			hr.Header.Set("Content-Type", r.ctype)
		}
		if r.token != "" {
			hr.Header.Set("Authorization", "Bearer "+r.token)
		}
		for k, v := range r.header {
			hr.Header.Set(k, v)
		}
		return hr
	}
	hr := build()
	hres, err := e.http.Do(hr)
	if err != nil {
		tb.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer hres.Body.Close()
	rb, err := io.ReadAll(hres.Body)
	if err != nil {
		tb.Fatalf("%s %s: read: %v", r.method, r.path, err)
	}
	out := &resp{status: hres.StatusCode, header: hres.Header, body: rb}
	if !r.undocumented {
		e.validate(tb, build(), body, r.badInput, out)
	}
	return out
}

// validate checks one exchange against the OpenAPI document.
func (e *env) validate(tb testing.TB, hr *http.Request, body []byte, badInput bool, out *resp) {
	tb.Helper()
	_, router := spec(tb)
	// The router matches on the document's server ("/"), so hand it the path only.
	vr := hr.Clone(context.Background())
	vr.URL = &url.URL{Path: hr.URL.Path, RawQuery: hr.URL.RawQuery}
	vr.Host = ""
	if body != nil {
		vr.Body = io.NopCloser(bytes.NewReader(body))
	}
	route, params, err := router.FindRoute(vr)
	if err != nil {
		tb.Fatalf("%s %s is not in the OpenAPI document: %v", hr.Method, hr.URL.Path, err)
	}
	ctx := context.Background()
	in := &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if !badInput {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			tb.Errorf("%s %s: request does not match the OpenAPI document: %v", hr.Method, hr.URL.Path, err)
		}
	}
	rv := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: out.status, Header: out.header,
		Body: io.NopCloser(bytes.NewReader(out.body)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(ctx, rv); err != nil {
		tb.Errorf("%s %s → %d: response does not match the OpenAPI document: %v\nbody: %s", hr.Method, hr.URL.Path, out.status, err, clip(out.body))
	}
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// expect fails the test unless the response has the status.
func (r *resp) expect(tb testing.TB, status int) *resp {
	tb.Helper()
	if r.status != status {
		tb.Fatalf("status %d, want %d: %s", r.status, status, clip(r.body))
	}
	return r
}

func (e *env) get(tb testing.TB, token, path string) *resp {
	tb.Helper()
	return e.do(tb, req{method: http.MethodGet, path: path, token: token})
}

func (e *env) post(tb testing.TB, token, path string, body any) *resp {
	tb.Helper()
	return e.do(tb, req{method: http.MethodPost, path: path, token: token, body: body})
}

type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	Role         string `json:"role"`
	TOTPPending  bool   `json:"totp_pending"`
}

// login signs in with the demo password and returns the tokens.
func (e *env) login(tb testing.TB, username string) tokens {
	tb.Helper()
	var t tokens
	e.post(tb, "", "/api/v1/auth/login", map[string]string{"username": username, "password": demoPassword}).expect(tb, 200).decode(tb, &t)
	return t
}

// token is a (cached) access token for a demo account.
func (e *env) token(tb testing.TB, username string) string {
	tb.Helper()
	if t, ok := e.tokens[username]; ok {
		return t
	}
	t := e.login(tb, username).AccessToken
	e.tokens[username] = t
	return t
}

// accessLog searches the access log as the data officer, through the store
// (so the search needs no HTTP round trip), newest first.
func (e *env) accessLog(tb testing.TB, f records.AccessFilter) []records.AccessView {
	tb.Helper()
	u := e.users[dpo]
	if f.Limit == 0 {
		f.Limit = 500
	}
	list, err := e.srv.Store.AccessLog(context.Background(), records.Actor{UserID: u.ID, Role: u.Role}, f)
	if err != nil {
		tb.Fatalf("access log: %v", err)
	}
	return list
}

// headSeq is the newest access record's seq.
func (e *env) headSeq(tb testing.TB) int64 {
	tb.Helper()
	list := e.accessLog(tb, records.AccessFilter{Limit: 1})
	if len(list) == 0 {
		return 0
	}
	return list[0].Seq
}

// recordsSince lists the actor's access records after seq, oldest first.
func (e *env) recordsSince(tb testing.TB, username string, seq int64) []records.AccessView {
	tb.Helper()
	list := e.accessLog(tb, records.AccessFilter{Actor: username})
	var out []records.AccessView
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Seq > seq {
			out = append(out, list[i])
		}
	}
	return out
}

// wantRecord fails unless one of the actor's records after seq is about the
// client (when clientID is not "") with the outcome (and the rule, when not "").
func (e *env) wantRecord(tb testing.TB, username string, seq int64, clientID string, outcome records.Outcome, rule records.Rule) records.AccessView {
	tb.Helper()
	got := e.recordsSince(tb, username, seq)
	for _, r := range got {
		if (clientID == "" || r.ClientID == clientID) && r.Outcome == outcome && (rule == "" || r.Rule == rule) {
			return r
		}
	}
	tb.Errorf("no access record by %s (client %q, outcome %s, rule %q) after seq %d; have %+v", username, clientID, outcome, rule, seq, got)
	return records.AccessView{}
}

// serveForTest serves srv on a free loopback port until the test ends and
// returns its base URL. Every harness starts its server here.
func serveForTest(tb testing.TB, srv *app.Server) string {
	tb.Helper()
	base, _ := serveUntilStopped(tb, srv)
	return base
}

// serveUntilStopped serves srv on 127.0.0.1:0 until stop is called (at the
// latest when the test ends), as a second instance's test stops the first.
func serveUntilStopped(tb testing.TB, srv *app.Server) (base string, stop func()) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			// The test clients share Go's default transport, which may have dialled
			// a connection it then never used; the server waits for a first request
			// on such a connection until its read timeout, longer than the shutdown
			// allows. Closing the idle ones first makes the server see them end.
			http.DefaultTransport.(*http.Transport).CloseIdleConnections()
			if err := srv.Shutdown(5 * time.Second); err != nil {
				tb.Errorf("shutdown: %v", err)
			}
			if err := <-done; err != nil {
				tb.Errorf("serve: %v", err)
			}
		})
	}
	tb.Cleanup(stop)
	return "http://" + ln.Addr().String(), stop
}

// createdAccount is the answer to account creation: the account and its
// one-time activation code.
type createdAccount struct {
	records.User
	Pending    bool `json:"activation_pending"`
	Activation struct {
		Code      string    `json:"code"`
		ExpiresAt time.Time `json:"expires_at"`
	} `json:"activation"`
}

// activate sets the first password of an account with its activation code,
// as the account's holder does.
func (e *env) activate(tb testing.TB, username, code, password string) {
	tb.Helper()
	e.post(tb, "", "/api/v1/auth/activate", map[string]string{"username": username, "code": code, "password": password}).expect(tb, 204)
}
