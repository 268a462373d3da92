package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/app/demo"
	"github.com/nabij/nabij/consent/fhirtest"
	"github.com/nabij/nabij/records"
)

const consentDemoPassword = "consent-test-password"

// consentHarness is the seeded demo served on a loopback port, with a clock
// that tests can move (time travel).
type consentHarness struct {
	t      *testing.T
	srv    *app.Server
	base   string
	clock  *atomic.Int64
	tokens map[string]string
	ids    map[string]string // client ids by username (noor, milan)
}

func newConsentHarness(t *testing.T) *consentHarness {
	t.Helper()
	clk := &atomic.Int64{}
	clk.Store(time.Now().UnixMilli())
	now := func() time.Time { return time.UnixMilli(clk.Load()).UTC() }
	srv, err := app.New(app.Config{DataDir: t.TempDir(), Now: now, Logf: func(string, ...any) {}})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(context.Background(), srv.Store, consentDemoPassword, now()); err != nil {
		t.Fatal(err)
	}
	app.SetLoginLimitForTest(srv, 1000, time.Minute)
	h := &consentHarness{t: t, srv: srv, base: serveForTest(t, srv), clock: clk, tokens: map[string]string{}, ids: map[string]string{}}
	for _, u := range []string{"noor", "milan"} {
		var me struct {
			ClientID string `json:"client_id"`
		}
		h.json(h.call(u, "GET", "/api/v1/me", nil).want(200), &me)
		h.ids[u] = me.ClientID
	}
	return h
}

// advance moves the server's clock; tokens issued before may expire, so the
// harness signs in again on the next call.
func (h *consentHarness) advance(d time.Duration) {
	h.clock.Add(d.Milliseconds())
	h.tokens = map[string]string{}
}

type consentResp struct {
	t      *testing.T
	status int
	ctype  string
	body   []byte
	what   string
}

func (r consentResp) want(status int) consentResp {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("%s: status %d, want %d: %s", r.what, r.status, status, r.body)
	}
	return r
}

func (h *consentHarness) token(user string) string {
	h.t.Helper()
	if tok, ok := h.tokens[user]; ok {
		return tok
	}
	r := h.raw("", "POST", "/api/v1/auth/login", map[string]string{"username": user, "password": consentDemoPassword}).want(200)
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	h.json(r, &tr)
	h.tokens[user] = tr.AccessToken
	return tr.AccessToken
}

func (h *consentHarness) call(user, method, path string, body any) consentResp {
	h.t.Helper()
	return h.raw(h.token(user), method, path, body)
}

func (h *consentHarness) raw(token, method, path string, body any) consentResp {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.base+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if strings.HasPrefix(path, "/api/v1/") && path != "/api/v1/auth/login" {
		consentCheckResponse(h.t, req, res, b)
	}
	return consentResp{t: h.t, status: res.StatusCode, ctype: res.Header.Get("Content-Type"), body: b, what: method + " " + path}
}

var (
	consentSpecOnce   sync.Once
	consentSpecRouter routers.Router
	consentSpecErr    error
)

// consentCheckResponse checks a response against the merged OpenAPI document
// (status documented, body matching its schema).
func consentCheckResponse(t *testing.T, req *http.Request, res *http.Response, body []byte) {
	t.Helper()
	consentSpecOnce.Do(func() {
		openapi3filter.RegisterBodyDecoder("application/fhir+json", openapi3filter.JSONBodyDecoder)
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(app.OpenAPI())
		if err == nil {
			err = doc.Validate(loader.Context)
		}
		if err == nil {
			consentSpecRouter, err = gorillamux.NewRouter(doc)
		}
		consentSpecErr = err
	})
	if consentSpecErr != nil {
		t.Fatalf("OpenAPI document: %v", consentSpecErr)
	}
	vr := &http.Request{Method: req.Method, URL: &url.URL{Path: req.URL.Path, RawQuery: req.URL.RawQuery}, Header: req.Header}
	route, params, err := consentSpecRouter.FindRoute(vr)
	if err != nil {
		t.Fatalf("%s %s is not in the OpenAPI document: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	rv := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), rv); err != nil {
		t.Errorf("%s %s -> %d does not match the OpenAPI document: %v", req.Method, req.URL.Path, res.StatusCode, err)
	}
}

func (h *consentHarness) json(r consentResp, v any) {
	h.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		h.t.Fatalf("%s: %v: %s", r.what, err, r.body)
	}
}

type consentFile struct {
	Trajectories []struct {
		ID       string  `json:"id"`
		ClosedAt *string `json:"closed_at"`
	} `json:"trajectories"`
	Contacts []struct {
		ID string `json:"id"`
	} `json:"contacts"`
	Notes []struct {
		ID               string `json:"id"`
		Visibility       string `json:"visibility"`
		Body             string `json:"body"`
		Withheld         bool   `json:"withheld"`
		RestrictedReason string `json:"restricted_reason"`
	} `json:"notes"`
}

func (h *consentHarness) file(user, clientID string) consentFile {
	h.t.Helper()
	var f consentFile
	h.json(h.call(user, "GET", "/api/v1/clients/"+clientID+"/file", nil).want(200), &f)
	return f
}

type consentView struct {
	ID        string `json:"id"`
	Purpose   string `json:"purpose"`
	Channel   string `json:"channel"`
	Recipient string `json:"recipient"`
	Valid     bool   `json:"valid"`
	Status    string `json:"status"`
}

type consentProblem struct {
	Type   string `json:"type"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field  string `json:"field"`
		Detail string `json:"detail"`
	} `json:"errors"`
}

// TestConsentAPIWithdrawBlocksNextDisclosure: through the API, a disclosure
// under the client's consent is produced and accounted; once the client
// withdraws, the very next disclosure is refused with a problem naming the
// missing consent; client and data officer read the accounting; roles hold.
func TestConsentAPIWithdrawBlocksNextDisclosure(t *testing.T) {
	h := newConsentHarness(t)
	noor := h.ids["noor"]
	f := h.file("sam", noor)
	var shared string
	for _, n := range f.Notes {
		if n.Visibility == "shared" {
			shared = n.ID
		}
	}
	body := map[string]any{"recipient": "OCMW Gent", "purpose": "budgetbegeleiding", "record_ids": []string{f.Trajectories[0].ID, shared}}
	var pkg struct {
		Disclosure struct {
			ID        string `json:"id"`
			ConsentID string `json:"consent_id"`
		} `json:"disclosure"`
		Notes []struct {
			Body string `json:"body"`
		} `json:"notes"`
	}
	h.json(h.call("sam", "POST", "/api/v1/clients/"+noor+"/disclosures", body).want(201), &pkg)
	if len(pkg.Notes) != 1 || pkg.Notes[0].Body == "" {
		t.Fatalf("package: %+v", pkg)
	}
	// Another recipient: refused, and the problem names the missing consent.
	other := map[string]any{"recipient": "CAW Oost", "purpose": "housing", "record_ids": []string{shared}}
	var p consentProblem
	r := h.call("sam", "POST", "/api/v1/clients/"+noor+"/disclosures", other).want(403)
	h.json(r, &p)
	if p.Type != "urn:nabij:problem:consent-missing" || !strings.HasPrefix(r.ctype, "application/problem+json") ||
		len(p.Errors) != 1 || p.Errors[0].Field != "consent" || !strings.Contains(p.Detail, "CAW Oost") {
		t.Errorf("problem: %s", r.body)
	}
	// noor withdraws in one step…
	var list struct {
		Consents []consentView `json:"consents"`
	}
	h.json(h.call("noor", "GET", "/api/v1/me/consents", nil).want(200), &list)
	var v consentView
	h.json(h.call("noor", "POST", "/api/v1/me/consents/"+pkg.Disclosure.ConsentID+"/withdraw", nil).want(200), &v)
	if v.Valid || v.Status != "withdrawn" {
		t.Errorf("withdrawn consent: %+v", v)
	}
	// …and the very next disclosure is refused.
	r = h.call("sam", "POST", "/api/v1/clients/"+noor+"/disclosures", body).want(403)
	h.json(r, &p)
	if p.Type != "urn:nabij:problem:consent-missing" || !strings.Contains(p.Detail, "OCMW Gent") {
		t.Errorf("after withdrawal: %s", r.body)
	}
	var acc struct {
		Disclosures []struct {
			Recipient string `json:"recipient"`
		} `json:"disclosures"`
	}
	h.json(h.call("noor", "GET", "/api/v1/me/disclosures", nil).want(200), &acc)
	if len(acc.Disclosures) != 2 || acc.Disclosures[0].Recipient != "OCMW Gent" {
		t.Errorf("client's accounting: %+v", acc)
	}
	h.json(h.call("dpo", "GET", "/api/v1/disclosures?client_id="+noor, nil).want(200), &acc)
	if len(acc.Disclosures) != 2 {
		t.Errorf("data officer's accounting: %+v", acc)
	}
	// Consents by professionals; validation; roles.
	h.call("sam", "POST", "/api/v1/clients/"+noor+"/consents", map[string]any{"purpose": "contact_channel", "channel": "office", "evidence": "verbal"}).want(422)
	h.call("sam", "POST", "/api/v1/clients/"+noor+"/consents", map[string]any{"purpose": "contact_channel", "channel": "phone", "evidence": "written"}).want(201)
	h.call("lena", "GET", "/api/v1/clients/"+noor+"/consents", nil).want(403)
	h.call("noor", "GET", "/api/v1/clients/"+noor+"/consents", nil).want(403)
	h.call("dpo", "POST", "/api/v1/clients/"+noor+"/disclosures", body).want(403)
	h.call("milan", "POST", "/api/v1/me/consents/"+list.Consents[0].ID+"/withdraw", nil).want(403)
	h.call("noor", "POST", "/api/v1/me/consents", map[string]any{"purpose": "contact_channel", "channel": "video"}).want(201)
	// Enforcement on contacts: e-mail consent was withdrawn in the demo, chat stands.
	for ch, missing := range map[string]bool{"email": true, "chat": false, "phone": false} {
		var k struct {
			ConsentMissing bool `json:"consent_missing"`
		}
		h.json(h.call("sam", "POST", "/api/v1/clients/"+noor+"/contacts", map[string]any{"trajectory_id": f.Trajectories[0].ID, "channel": ch,
			"occurred_at": time.UnixMilli(h.clock.Load()).UTC().Add(time.Minute).Format(time.RFC3339), "duration_minutes": 10}).want(201), &k)
		if k.ConsentMissing != missing {
			t.Errorf("%s contact: consent_missing %v, want %v", ch, k.ConsentMissing, missing)
		}
	}
}

// TestRetentionAPIHoldAndPurge: closing a trajectory destroys its personal
// notes at once; after the period (time travel) a dry run changes nothing, a
// real run destroys and shreds, a legal hold stops the purge of its client,
// and the purge reports hold no content.
func TestRetentionAPIHoldAndPurge(t *testing.T) {
	h := newConsentHarness(t)
	noor, milan := h.ids["noor"], h.ids["milan"]
	var rules struct {
		Rules []records.RetentionRule `json:"rules"`
	}
	h.json(h.call("dpo", "GET", "/api/v1/retention-rules", nil).want(200), &rules)
	if len(rules.Rules) != len(records.RetentionKinds) || rules.Rules[0].Source == "" {
		t.Fatalf("rules: %+v", rules)
	}
	h.call("dpo", "PUT", "/api/v1/retention-rules", map[string]any{"rules": []map[string]any{{"kind": "note_shared", "basis": "after_close", "action": "anonymise"}}}).want(422)
	h.call("dpo", "PUT", "/api/v1/retention-rules", map[string]any{"rules": []map[string]any{{"kind": "contact", "basis": "after_close", "years": 15, "action": "anonymise"}}}).want(200)
	h.call("sam", "GET", "/api/v1/retention-rules", nil).want(403)
	// Until a birthday: an age from 1 to 120, and only with that basis.
	for _, bad := range []map[string]any{
		{"kind": "entry", "basis": "until_age", "age": 0, "action": "destroy"},
		{"kind": "entry", "basis": "until_age", "age": 121, "action": "destroy"},
		{"kind": "entry", "basis": "after_close", "age": 35, "action": "destroy"},
	} {
		h.call("dpo", "PUT", "/api/v1/retention-rules", map[string]any{"rules": []map[string]any{bad}}).want(422)
	}
	h.json(h.call("dpo", "PUT", "/api/v1/retention-rules", map[string]any{"rules": []map[string]any{
		{"kind": "entry", "basis": "until_age", "age": 35, "years": 15, "action": "destroy"}}}).want(200), &rules)
	for _, r := range rules.Rules {
		if r.Kind == records.KindEntry && (r.Basis != records.BasisUntilAge || r.Age != 35 || r.Years != 15) {
			t.Errorf("entry rule after PUT: %+v", r)
		}
	}
	// sam closes noor's trajectory: her personal working note goes at once.
	f := h.file("sam", noor)
	var closed struct {
		Purge records.PurgeReport `json:"purge"`
	}
	h.json(h.call("sam", "POST", "/api/v1/trajectories/"+f.Trajectories[0].ID+"/close", nil).want(200), &closed)
	if len(closed.Purge.Items) != 1 || closed.Purge.Items[0].Kind != records.KindNotePersonal || closed.Purge.Items[0].Action != "destroy" {
		t.Fatalf("close purge: %+v", closed.Purge)
	}
	h.call("sam", "POST", "/api/v1/trajectories/"+f.Trajectories[0].ID+"/close", nil).want(409)
	h.call("lena", "POST", "/api/v1/trajectories/"+f.Trajectories[0].ID+"/close", nil).want(403)
	for _, n := range h.file("sam", noor).Notes {
		if n.Visibility == "personal" {
			t.Errorf("personal note %s survived the close", n.ID)
		}
	}
	// milan's trajectory closes too, but the data officer puts noor on hold.
	mf := h.file("lena", milan)
	h.call("lena", "POST", "/api/v1/trajectories/"+mf.Trajectories[0].ID+"/close", nil).want(200)
	var hold struct {
		ID string `json:"id"`
	}
	h.json(h.call("dpo", "POST", "/api/v1/legal-holds", map[string]any{"client_id": noor, "reason": "Court case pending"}).want(201), &hold)
	h.call("dpo", "POST", "/api/v1/legal-holds", map[string]any{"client_id": noor}).want(422)
	h.call("sam", "POST", "/api/v1/legal-holds", map[string]any{"client_id": noor, "reason": "Court case pending"}).want(403)

	h.advance(16 * 365 * 24 * time.Hour)
	var dry records.PurgeReport
	h.json(h.call("dpo", "POST", "/api/v1/retention-runs", map[string]any{"dry_run": true}).want(200), &dry)
	byClient := func(rep records.PurgeReport, id, action string) map[string]int {
		out := map[string]int{}
		for _, it := range rep.Items {
			if it.ClientID == id && it.Action == action {
				out[it.Kind] += it.Count
			}
		}
		return out
	}
	if !dry.DryRun || byClient(dry, milan, "destroy")["client_key"] != 1 || byClient(dry, milan, "anonymise")[records.KindContact] == 0 ||
		len(byClient(dry, noor, "destroy")) != 0 || byClient(dry, noor, "held")[records.KindNoteShared] == 0 {
		t.Fatalf("dry run: %+v", dry)
	}
	h.call("lena", "GET", "/api/v1/clients/"+milan+"/file", nil).want(200) // the dry run destroyed nothing
	milanToken := h.token("milan")                                         // signed in before the purge
	var run records.PurgeReport
	h.json(h.call("dpo", "POST", "/api/v1/retention-runs", nil).want(200), &run)
	if run.DryRun || run.KeysDestroyed < 1 || byClient(run, milan, "destroy")["client_key"] != 1 || len(byClient(run, noor, "destroy")) != 0 {
		t.Fatalf("run: %+v", run)
	}
	// Nothing of milan is left: his caseload ended (lena is refused) and his
	// account is disabled (his token no longer works).
	h.call("lena", "GET", "/api/v1/clients/"+milan+"/file", nil).want(403)
	h.raw(milanToken, "GET", "/api/v1/me/file", nil).want(401)
	h.call("noor", "GET", "/api/v1/me/file", nil).want(200)
	var reps struct {
		PurgeReports []records.PurgeReport `json:"purge_reports"`
	}
	r := h.call("dpo", "GET", "/api/v1/purge-reports", nil).want(200)
	h.json(r, &reps)
	if len(reps.PurgeReports) < 2 || strings.Contains(string(r.body), "Werkaantekening") || strings.Contains(string(r.body), "Milan") {
		t.Errorf("purge reports: %d, %s", len(reps.PurgeReports), r.body)
	}
	h.call("noor", "GET", "/api/v1/purge-reports", nil).want(403)
	// Releasing the hold lets the next run purge noor.
	h.call("dpo", "DELETE", "/api/v1/legal-holds/"+hold.ID, nil).want(204)
	h.call("dpo", "DELETE", "/api/v1/legal-holds/"+hold.ID, nil).want(409)
	h.json(h.call("dpo", "POST", "/api/v1/retention-runs", map[string]any{}).want(200), &run)
	if byClient(run, noor, "destroy")["client_key"] != 1 {
		t.Errorf("after release: %+v", run)
	}
}

// TestExportAPIFHIR: the client's export as JSON follows the file's visibility
// (no personal working notes in NL, restricted notes withheld) and as FHIR R4
// validates with the npm fhir package.
func TestExportAPIFHIR(t *testing.T) {
	h := newConsentHarness(t)
	r := h.call("noor", "GET", "/api/v1/me/export", nil).want(200)
	var ex struct {
		File        consentFile       `json:"file"`
		Consents    []json.RawMessage `json:"consents"`
		Disclosures []json.RawMessage `json:"disclosures"`
		AccessLog   []json.RawMessage `json:"access_log"`
	}
	h.json(r, &ex)
	if strings.Contains(string(r.body), "Werkaantekening") || strings.Contains(string(r.body), "schoolbegeleider") {
		t.Error("the export holds a personal note or a restricted note's content")
	}
	withheld := 0
	for _, n := range ex.File.Notes {
		if n.Withheld && n.Body == "" && n.RestrictedReason != "" {
			withheld++
		}
	}
	if withheld != 1 || len(ex.Consents) != 6 || len(ex.Disclosures) != 1 || len(ex.AccessLog) == 0 {
		t.Errorf("export: %d withheld, %d consents, %d disclosures, %d access records", withheld, len(ex.Consents), len(ex.Disclosures), len(ex.AccessLog))
	}
	r = h.call("noor", "GET", "/api/v1/me/export?format=fhir", nil).want(200)
	if !strings.HasPrefix(r.ctype, "application/fhir+json") {
		t.Errorf("content type %q", r.ctype)
	}
	if strings.Contains(string(r.body), "Werkaantekening") {
		t.Error("the FHIR export holds a personal note")
	}
	fhirtest.Validate(t, r.body)
	h.call("noor", "GET", "/api/v1/me/export?format=pdf", nil).want(422)
	h.call("sam", "GET", "/api/v1/me/export", nil).want(403)
	// The export is in the client's access log as an export.
	var log struct {
		Records []records.AccessView `json:"records"`
	}
	h.json(h.call("noor", "GET", "/api/v1/me/access-log?limit=5", nil).want(200), &log)
	exports := 0
	for _, a := range log.Records {
		if a.Action == records.ActionExport && a.Purpose == records.PurposeExport {
			exports++
		}
	}
	if exports != 2 {
		t.Errorf("%d export records, want 2", exports)
	}
}

// TestErasureAPI: the client asks, the data officer refuses with a reason or
// approves; approval crypto-shreds, leaves a purge report, and the client sees
// the outcome.
func TestErasureAPI(t *testing.T) {
	h := newConsentHarness(t)
	var req struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Reason string `json:"reason"`
	}
	h.json(h.call("milan", "POST", "/api/v1/me/erasure-requests", nil).want(201), &req)
	h.call("milan", "POST", "/api/v1/me/erasure-requests", map[string]any{}).want(409)
	h.call("sam", "POST", "/api/v1/me/erasure-requests", nil).want(403)
	h.call("milan", "GET", "/api/v1/erasure-requests", nil).want(403)
	h.call("dpo", "POST", "/api/v1/erasure-requests/"+req.ID+"/refuse", map[string]any{}).want(422)
	h.call("dpo", "POST", "/api/v1/erasure-requests/"+req.ID+"/refuse", map[string]any{"reason": "Jeugdwet: 20-year retention duty"}).want(200)
	var mine struct {
		ErasureRequests []struct {
			Status string `json:"status"`
			Reason string `json:"reason"`
		} `json:"erasure_requests"`
	}
	h.json(h.call("milan", "GET", "/api/v1/me/erasure-requests", nil).want(200), &mine)
	if len(mine.ErasureRequests) != 1 || mine.ErasureRequests[0].Status != "refused" || mine.ErasureRequests[0].Reason != "Jeugdwet: 20-year retention duty" {
		t.Fatalf("client sees %+v", mine)
	}
	h.json(h.call("milan", "POST", "/api/v1/me/erasure-requests", nil).want(201), &req)
	var all struct {
		ErasureRequests []struct {
			ID string `json:"id"`
		} `json:"erasure_requests"`
	}
	h.json(h.call("dpo", "GET", "/api/v1/erasure-requests", nil).want(200), &all)
	if len(all.ErasureRequests) != 2 {
		t.Errorf("data officer sees %+v", all)
	}
	var dec struct {
		Purge records.PurgeReport `json:"purge"`
	}
	h.json(h.call("dpo", "POST", "/api/v1/erasure-requests/"+req.ID+"/approve", nil).want(200), &dec)
	if dec.Purge.Trigger != "erasure" || dec.Purge.KeysDestroyed != 1 {
		t.Errorf("purge: %+v", dec.Purge)
	}
	h.call("dpo", "POST", "/api/v1/erasure-requests/"+req.ID+"/approve", nil).want(409)
	h.call("milan", "GET", "/api/v1/me/file", nil).want(410)
	h.json(h.call("milan", "GET", "/api/v1/me/erasure-requests", nil).want(200), &mine)
	if mine.ErasureRequests[0].Status != "approved" {
		t.Errorf("client sees %+v", mine)
	}
	var log struct {
		Records []records.AccessView `json:"records"`
	}
	h.json(h.call("milan", "GET", "/api/v1/me/access-log?limit=100", nil).want(200), &log)
	destroyed := 0
	for _, a := range log.Records {
		if a.Action == records.ActionDestroy && a.Purpose == records.PurposeErasure {
			destroyed++
		}
	}
	if destroyed == 0 {
		t.Error("the client's access log does not show the erasure")
	}
}

// TestStatisticsAPI: the data officer's statistics show no cell under 5 clients.
func TestStatisticsAPI(t *testing.T) {
	h := newConsentHarness(t)
	r := h.call("dpo", "GET", "/api/v1/statistics", nil).want(200)
	var st struct {
		K     int `json:"k"`
		Cells []struct {
			Clients    *int `json:"clients"`
			Contacts   *int `json:"contacts"`
			Suppressed bool `json:"suppressed"`
		} `json:"contacts_per_channel_month"`
		Bands []struct {
			Clients    *int `json:"clients"`
			Suppressed bool `json:"suppressed"`
		} `json:"online_share_per_trajectory"`
	}
	h.json(r, &st)
	shown, suppressed := 0, 0
	for _, c := range st.Cells {
		switch {
		case c.Suppressed && (c.Clients != nil || c.Contacts != nil):
			t.Errorf("suppressed cell with numbers: %+v", c)
		case !c.Suppressed && (c.Clients == nil || *c.Clients < 5):
			t.Errorf("cell of fewer than 5 clients shown: %+v", c)
		case c.Suppressed:
			suppressed++
		default:
			shown++
		}
	}
	for _, b := range st.Bands {
		if !b.Suppressed && (b.Clients == nil || *b.Clients < 5) {
			t.Errorf("band of fewer than 5 clients shown: %+v", b)
		}
	}
	if st.K != 5 || suppressed == 0 || shown == 0 {
		t.Errorf("k %d, %d cells shown, %d suppressed", st.K, shown, suppressed)
	}
	h.call("sam", "GET", "/api/v1/statistics", nil).want(403)
	h.call("noor", "GET", "/api/v1/statistics", nil).want(403)
}
