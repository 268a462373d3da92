package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/nabij/nabij/records"
)

// apiCall sends one JSON API request with a bearer token from the page harness.
func (h *pageHarness) apiCall(tb testing.TB, token, method, path string, body any) (int, []byte, http.Header) {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.URL+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw, res.Header
}

func (h *pageHarness) apiToken(tb testing.TB, username string) string {
	tb.Helper()
	st, raw, _ := h.apiCall(tb, "", http.MethodPost, "/api/v1/auth/login", map[string]string{"username": username, "password": pagePassword})
	if st != http.StatusOK {
		tb.Fatalf("API sign-in %s: %d %s", username, st, raw)
	}
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		tb.Fatal(err)
	}
	return t.AccessToken
}

// withdrawForm finds the withdraw form of the consent whose card mentions what.
var consentCard = regexp.MustCompile(`(?s)<li class="card" id="consent-([^"]+)">(.*?)</li>`)

func withdrawAction(tb testing.TB, page, what string) (string, string) {
	tb.Helper()
	for _, m := range consentCard.FindAllStringSubmatch(page, -1) {
		if strings.Contains(m[2], what) {
			a := regexp.MustCompile(`action="([^"]+/withdraw)"`).FindStringSubmatch(m[2])
			if a == nil {
				tb.Fatalf("consent %q has no withdraw form", what)
			}
			return m[1], a[1]
		}
	}
	tb.Fatalf("no consent card mentions %q", what)
	return "", ""
}

// TestPageWithdrawConsentBlocksNextDisclosure: the client withdraws a consent
// on the page, in one step; the very next disclosure through the API is refused
// with a problem that names the missing consent.
func TestPageWithdrawConsentBlocksNextDisclosure(t *testing.T) {
	h := newPageHarness(t, true)
	noor := h.user("noor").ClientID
	sam := h.apiToken(t, "sam")
	st, raw, _ := h.apiCall(t, sam, http.MethodGet, "/api/v1/clients/"+noor+"/file", nil)
	if st != http.StatusOK {
		t.Fatalf("file: %d %s", st, raw)
	}
	var f struct {
		Trajectories []struct{ ID string } `json:"trajectories"`
	}
	if err := json.Unmarshal(raw, &f); err != nil || len(f.Trajectories) == 0 {
		t.Fatalf("no trajectory in %s (%v)", raw, err)
	}
	disclose := map[string]any{"recipient": "OCMW Gent", "purpose": "budgetbegeleiding", "record_ids": []string{f.Trajectories[0].ID}}

	// Before: allowed.
	if st, raw, _ := h.apiCall(t, sam, http.MethodPost, "/api/v1/clients/"+noor+"/disclosures", disclose); st != http.StatusCreated {
		t.Fatalf("disclosure before withdrawal: %d %s", st, raw)
	}

	b := h.browser("en")
	b.login("noor")
	page := b.get("/my/consents")
	page.want(t, http.StatusOK, "My consents", "Sharing with OCMW Gent for budgetbegeleiding", "Withdraw")
	if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("/my/consents Cache-Control %q", cc)
	}
	id, action := withdrawAction(t, page.body, "OCMW Gent")
	r := b.post("/my/consents", action, url.Values{})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/my/consents" {
		t.Fatalf("withdraw: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	after := b.get("/my/consents")
	after.want(t, http.StatusOK, "Your consent is withdrawn.", "Withdrawn on")
	for _, m := range consentCard.FindAllStringSubmatch(after.body, -1) {
		if m[1] == id && (!strings.Contains(m[2], "Withdrawn") || strings.Contains(m[2], "/withdraw")) {
			t.Errorf("the withdrawn consent still shows as valid: %s", m[2])
		}
	}

	// The very next disclosure through the API is refused, naming the consent.
	st, raw, hdr := h.apiCall(t, sam, http.MethodPost, "/api/v1/clients/"+noor+"/disclosures", disclose)
	if st != http.StatusForbidden || !strings.Contains(hdr.Get("Content-Type"), "problem+json") ||
		!strings.Contains(string(raw), "consent-missing") || !strings.Contains(string(raw), "OCMW Gent") {
		t.Fatalf("disclosure after withdrawal: %d %s %s", st, hdr.Get("Content-Type"), raw)
	}

	// The same refusal on the professional's page names the missing consent next to the field.
	pb := h.browser("en")
	pb.login("sam")
	form := "/clients/" + noor + "/disclosures/new"
	pr := pb.post(form, form, url.Values{"recipient": {"OCMW Gent"}, "purpose": {"budgetbegeleiding"}, "record_ids": {f.Trajectories[0].ID}})
	pr.want(t, http.StatusForbidden, `id="f-recipient-error"`, "There is no valid consent for this recipient and purpose.",
		"Missing consent: the client has no valid consent for sharing with “OCMW Gent” for “budgetbegeleiding”.",
		`value="OCMW Gent"`, `value="budgetbegeleiding"`, `value="`+f.Trajectories[0].ID+`" checked`)

	// A second click on a stale page changes nothing and says so.
	b.post("/my/consents", action, url.Values{}).want(t, http.StatusSeeOther)
	b.get("/my/consents").want(t, http.StatusOK, "This consent was withdrawn already.")
}

// TestPageExportDownload: the download is an attachment, no-store, and the
// export is recorded in the client's access log like the API's.
func TestPageExportDownload(t *testing.T) {
	h := newPageHarness(t, true)
	b := h.browser("nl")
	b.login("noor")
	b.get("/my/export").want(t, http.StatusOK, `href="/my/export/json"`, `href="/my/export/fhir"`, "Mijn gegevens downloaden")
	for _, tc := range []struct{ path, file, ctype, want string }{
		{"/my/export/json", "nabij-export.json", "application/json", `"access_log"`},
		{"/my/export/fhir", "nabij-export-fhir.json", "application/fhir+json", `"resourceType":"Bundle"`},
	} {
		r := b.get(tc.path)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", tc.path, r.StatusCode)
		}
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="`+tc.file+`"` {
			t.Errorf("GET %s: Content-Disposition %q", tc.path, cd)
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q", tc.path, cc)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
			t.Errorf("GET %s: Content-Type %q", tc.path, ct)
		}
		if !strings.Contains(r.body, tc.want) || !json.Valid([]byte(r.body)) {
			t.Errorf("GET %s: body is not the export: %.200s", tc.path, r.body)
		}
	}
	if r := b.get("/my/export/xml"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown format: %d", r.StatusCode)
	}
	dpo := h.user("dpo")
	list, err := h.srv.Store.AccessLog(context.Background(), records.Actor{UserID: dpo.ID, Role: dpo.Role},
		records.AccessFilter{ClientID: h.user("noor").ClientID, Actor: "noor", Action: records.ActionExport, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 2 {
		t.Errorf("%d export records for noor's two downloads", len(list))
	}
	// Not for anyone else: a professional is refused (and recorded).
	pb := h.browser("en")
	pb.login("sam")
	if r := pb.get("/my/export/json"); r.StatusCode != http.StatusForbidden || strings.Contains(r.body, "access_log") {
		t.Errorf("a professional downloading: %d", r.StatusCode)
	}
}

// TestPageConsentAndRightsForms: refused forms keep what was typed and show
// the error next to the field; the data officer's forms work.
func TestPageConsentAndRightsForms(t *testing.T) {
	h := newPageHarness(t, true)
	noor := h.user("noor").ClientID
	t.Run("ProfessionalRecordsConsent", func(t *testing.T) {
		b := h.browser("nl")
		b.login("sam")
		page := "/clients/" + noor + "/consents/new"
		r := b.post(page, page, url.Values{"purpose": {"disclosure"}, "recipient": {"CAW Oost"}, "reason": {""}, "evidence": {"written"}})
		r.want(t, http.StatusUnprocessableEntity, `id="f-reason-error"`, "Vul in waarvoor de gegevens gedeeld mogen worden",
			`value="CAW Oost"`, `value="disclosure" aria-describedby="purpose-disclosure-hint" checked`, `value="written" checked`)
		r = b.post(page, page, url.Values{"purpose": {"disclosure"}, "recipient": {"CAW Oost"}, "reason": {"woonbegeleiding"}, "evidence": {"written"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("record consent: %d\n%s", r.StatusCode, r.body)
		}
		b.get("/clients/"+noor).want(t, http.StatusOK, "De toestemming is geregistreerd.", "Delen met CAW Oost voor woonbegeleiding")
	})
	t.Run("ClientGivesConsent", func(t *testing.T) {
		b := h.browser("en")
		b.login("noor")
		r := b.post("/my/consents", "/my/consents", url.Values{"purpose": {"contact_channel"}, "channel": {""}})
		r.want(t, http.StatusUnprocessableEntity, `id="f-channel-error"`, "Choose an online channel.")
		b.post("/my/consents", "/my/consents", url.Values{"purpose": {"contact_channel"}, "channel": {"phone"}}).want(t, http.StatusSeeOther)
		b.get("/my/consents").want(t, http.StatusOK, "Thank you. Your consent is saved.", "Contact through Phone", "online, in nabij")
	})
	t.Run("ErasureRefusedWithReason", func(t *testing.T) {
		b := h.browser("en")
		b.login("noor")
		b.get("/my/erasure").want(t, http.StatusOK, "the law says we must keep your file", "Ask to erase my data")
		b.post("/my/erasure", "/my/erasure", url.Values{}).want(t, http.StatusSeeOther)
		b.get("/my/erasure").want(t, http.StatusOK, "Your request is sent.", "Waiting for an answer", "You have asked already.")
		d := h.browser("en")
		d.login("dpo")
		list := d.get("/dpo/erasure-requests")
		list.want(t, http.StatusOK, "Request from client", h.caseCode(noor), "pending")
		rid := regexp.MustCompile(`action="/dpo/erasure-requests/([^/"]+)/refuse"`).FindStringSubmatch(list.body)
		if rid == nil {
			t.Fatal("no refuse form")
		}
		base := "/dpo/erasure-requests/" + rid[1]
		d.post("/dpo/erasure-requests", base+"/approve", url.Values{}).want(t, http.StatusUnprocessableEntity,
			`id="f-confirm-`+rid[1]+`-error"`, "Tick the box")
		d.post("/dpo/erasure-requests", base+"/refuse", url.Values{"reason": {"no"}}).want(t, http.StatusUnprocessableEntity,
			`id="f-reason-`+rid[1]+`-error"`, ">no</textarea>")
		d.post("/dpo/erasure-requests", base+"/refuse", url.Values{"reason": {"Legal duty to keep youth care files for 20 years"}}).want(t, http.StatusSeeOther)
		b.get("/my/erasure").want(t, http.StatusOK, "No: your data was not erased", "Legal duty to keep youth care files")
	})
	t.Run("DataOfficerPages", func(t *testing.T) {
		d := h.browser("en")
		d.login("dpo")
		for _, p := range []string{"/dpo/retention", "/dpo/legal-holds", "/dpo/purge-reports", "/dpo/statistics"} {
			r := d.get(p)
			r.want(t, http.StatusOK)
			if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("GET %s: Cache-Control %q", p, cc)
			}
		}
		d.get("/dpo/statistics").want(t, http.StatusOK, "fewer than 5", "&lt; 5")
		reports := d.get("/dpo/purge-reports")
		run := regexp.MustCompile(`href="(/dpo/purge-reports/[^"]+)"`).FindStringSubmatch(reports.body)
		if run == nil {
			t.Fatal("no purge report in the demo")
		}
		d.get(run[1]).want(t, http.StatusOK, "Personal working notes", "note_personal")
		r := d.post("/dpo/retention", "/dpo/retention", url.Values{"note_shared.basis": {"after_close"}, "note_shared.years": {"many"}})
		r.want(t, http.StatusUnprocessableEntity, `id="f-note_shared.years-error"`, `value="many"`)
		// The demo's file rules: 15 years after the help stops, and at least
		// until the 35th birthday. An age outside 1–120 is refused at its
		// field; a new age is saved.
		rules := retentionFormValues(t, d.get("/dpo/retention").body)
		if rules.Get("entry.basis") != "until_age" || rules.Get("entry.age") != "35" || rules.Get("entry.years") != "15" {
			t.Fatalf("the demo's entry rule on the page: basis %q age %q years %q", rules.Get("entry.basis"), rules.Get("entry.age"), rules.Get("entry.years"))
		}
		rules.Set("entry.age", "121")
		d.post("/dpo/retention", "/dpo/retention", rules).want(t, http.StatusUnprocessableEntity, `id="f-entry.age-error"`, "Enter an age from 1 to 120")
		rules.Set("entry.age", "30")
		d.post("/dpo/retention", "/dpo/retention", rules).want(t, http.StatusSeeOther)
		if got := retentionFormValues(t, d.get("/dpo/retention").body).Get("entry.age"); got != "30" {
			t.Errorf("entry age after saving: %q, want 30", got)
		}
		code := h.caseCode(noor)
		r = d.post("/dpo/legal-holds", "/dpo/legal-holds", url.Values{"client": {code}, "reason": {"x"}})
		r.want(t, http.StatusUnprocessableEntity, `id="f-reason-error"`, `value="`+code+`" selected`)
		r = d.post("/dpo/legal-holds", "/dpo/legal-holds", url.Values{"client": {"K-0000"}, "reason": {"Pending court case"}})
		r.want(t, http.StatusUnprocessableEntity, `id="f-client-error"`, "There is no client with this case code")
		d.post("/dpo/legal-holds", "/dpo/legal-holds", url.Values{"client": {code}, "reason": {"Pending court case"}}).want(t, http.StatusSeeOther)
		d.get("/dpo/legal-holds").want(t, http.StatusOK, "The legal hold was placed.", "Pending court case", code)
	})
	t.Run("KeptUntilBirthday", func(t *testing.T) {
		// milan (born 30 September 2006) reads the demo's youth-care rule in plain words.
		for lang, want := range map[string][]string{
			"nl": {"minstens tot je 35ste verjaardag (30 september 2041)", "jeugdhulp"},
			"en": {"at least until your 35th birthday (30 September 2041)", "youth care"},
		} {
			m := h.browser(lang)
			m.login("milan")
			m.get("/my/privacy").want(t, http.StatusOK, want...)
		}
	})
	t.Run("CloseTrajectory", func(t *testing.T) {
		b := h.browser("en")
		b.login("sam")
		file := b.get("/clients/" + noor)
		cl := regexp.MustCompile(`href="(/clients/[^"]+/trajectories/[^"]+/close)"`).FindStringSubmatch(file.body)
		if cl == nil {
			t.Fatal("no close link on an open trajectory")
		}
		b.get(cl[1]).want(t, http.StatusOK, "Personal working notes about this trajectory are destroyed when you close it.")
		b.post(cl[1], cl[1], url.Values{}).want(t, http.StatusSeeOther)
		b.get("/clients/"+noor).want(t, http.StatusOK, "The trajectory was closed. Its personal working notes were destroyed.")
	})
}

// retentionFormValues reads the retention page's form as a browser would
// send it: every input's value and every select's selected option.
func retentionFormValues(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	attr := func(tag, name string) string {
		m := regexp.MustCompile(`\b` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	for _, in := range regexp.MustCompile(`<input[^>]*>`).FindAllString(body, -1) {
		if n := attr(in, "name"); n != "" {
			v.Set(n, attr(in, "value"))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(body, -1) {
		if o := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); o != nil {
			v.Set(m[1], o[1])
		}
	}
	if len(v) < 10 {
		t.Fatalf("no retention form on the page:\n%s", body)
	}
	return v
}
