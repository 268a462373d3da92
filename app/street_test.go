package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/app/demo"
	"github.com/nabij/nabij/records"
)

// flaggedContact is the demo's open consent flag: Fatima's video call.
func flaggedContact(tb testing.TB, st records.Store, pro *records.User) (clientID, contactID string) {
	tb.Helper()
	a := records.Actor{UserID: pro.ID, Role: pro.Role}
	list, err := st.Caseload(context.Background(), a)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range list {
		if e.Name != demo.FlaggedClient {
			continue
		}
		f, err := st.ClientFile(context.Background(), a, records.PurposeCare, e.ClientID)
		if err != nil {
			tb.Fatal(err)
		}
		for _, k := range f.Contacts {
			if k.ConsentMissing && k.FlagResolution == nil {
				return e.ClientID, k.ID
			}
		}
	}
	tb.Fatalf("the demo has no open consent flag on %s", demo.FlaggedClient)
	return "", ""
}

// TestStreetAPI: the quick log, anonymous contacts, given_at and resolving a
// consent flag over the API, every exchange checked against the document.
func TestStreetAPI(t *testing.T) {
	e := newEnv(t)
	pt, nt, dt := e.token(t, sam), e.token(t, noor), e.token(t, dpo)
	caseload := func() int {
		var out struct{ Clients []records.CaseloadEntry }
		e.get(t, pt, "/api/v1/clients").expect(t, 200).decode(t, &out)
		return len(out.Clients)
	}
	before := caseload()

	t.Run("QuickLogNewClient", func(t *testing.T) {
		var res records.QuickLogResult
		e.post(t, pt, "/api/v1/quick-log", map[string]any{"client_name": "Rooie", "channel": "outreach", "duration_minutes": 10,
			"body": "Rooie aangesproken aan de kaai; wil volgende week langskomen.", "visibility": "shared"}).expect(t, 201).decode(t, &res)
		if !res.ClientCreated || !res.TrajectoryCreated || res.Contact == nil || res.Note == nil || res.Contact.Channel != records.ChannelOutreach {
			t.Fatalf("result %+v", res)
		}
		if n := caseload(); n != before+1 {
			t.Fatalf("caseload %d, want %d", n, before+1)
		}
	})
	t.Run("QuickLogRefused", func(t *testing.T) {
		for _, tc := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"client_name": "Rooie", "client_id": e.noorID, "channel": "outreach", "duration_minutes": 5}, "client_id"},
			{map[string]any{"client_name": "Rooie", "channel": "outreach", "duration_minutes": 5, "body": "x", "visibility": "restricted"}, "restricted_reason"},
			{map[string]any{"client_name": strings.Repeat("n", 101), "channel": "outreach", "duration_minutes": 5}, "new_client_name"},
		} {
			p := e.do(t, req{method: http.MethodPost, path: "/api/v1/quick-log", token: pt, body: tc.body, badInput: true}).expect(t, 422).problem(t)
			if len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
				t.Errorf("problem %+v, want field %s", p, tc.field)
			}
		}
		if n := caseload(); n != before+1 {
			t.Fatalf("a refused quick log changed the caseload: %d", n)
		}
		e.post(t, pt, "/api/v1/quick-log", map[string]any{"client_id": e.milanID, "channel": "outreach", "duration_minutes": 5}).expect(t, 403)
		e.post(t, nt, "/api/v1/quick-log", map[string]any{"client_name": "X", "channel": "outreach", "duration_minutes": 5}).expect(t, 403)
	})
	t.Run("AnonymousContact", func(t *testing.T) {
		var k records.AnonymousContact
		e.post(t, pt, "/api/v1/anonymous-contacts", map[string]any{"channel": "outreach", "place": "Korenmarkt",
			"duration_minutes": 7, "topics": []string{"housing"}}).expect(t, 201).decode(t, &k)
		if k.Place != "Korenmarkt" || len(k.Topics) != 1 {
			t.Fatalf("%+v", k)
		}
		p := e.do(t, req{method: http.MethodPost, path: "/api/v1/anonymous-contacts", token: pt, badInput: true,
			body: map[string]any{"channel": "outreach", "place": "bij Jef\nzijn zus", "duration_minutes": 7}}).expect(t, 422).problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "place" {
			t.Errorf("problem %+v", p)
		}
		e.post(t, nt, "/api/v1/anonymous-contacts", map[string]any{"channel": "outreach", "place": "Korenmarkt", "duration_minutes": 7}).expect(t, 403)
		var stats struct {
			Anonymous []records.AnonymousCount `json:"anonymous_contacts"`
		}
		e.get(t, dt, "/api/v1/statistics").expect(t, 200).decode(t, &stats)
		var n int
		for _, c := range stats.Anonymous {
			n += c.Contacts
		}
		if n != 4 { // three from the demo, one above
			t.Errorf("anonymous contacts counted %d, want 4: %+v", n, stats.Anonymous)
		}
	})
	t.Run("ConsentGivenAt", func(t *testing.T) {
		future := time.Now().Add(time.Hour)
		p := e.post(t, pt, "/api/v1/clients/"+e.noorID+"/consents", map[string]any{"purpose": "contact_channel", "channel": "messaging",
			"evidence": "verbal", "given_at": future}).expect(t, 422).problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "given_at" {
			t.Errorf("problem %+v", p)
		}
		past := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Millisecond)
		var c records.Consent
		e.post(t, pt, "/api/v1/clients/"+e.noorID+"/consents", map[string]any{"purpose": "contact_channel", "channel": "messaging",
			"evidence": "verbal", "given_at": past}).expect(t, 201).decode(t, &c)
		if !c.GivenAt.Equal(past) || !c.GrantedAt.After(past) {
			t.Errorf("given %v, granted %v", c.GivenAt, c.GrantedAt)
		}
	})
	t.Run("ResolveFlag", func(t *testing.T) {
		clientID, contactID := flaggedContact(t, e.srv.Store, e.users[sam])
		path := "/api/v1/contacts/" + contactID + "/consent-flag/resolve"
		e.do(t, req{method: http.MethodPost, path: path, token: pt, body: map[string]string{"reason": ""}, badInput: true}).expect(t, 422)
		e.post(t, e.token(t, lena), path, map[string]string{"reason": "Gevraagd bij het begin."}).expect(t, 403)
		var out struct {
			ContactID      string                 `json:"contact_id"`
			ClientID       string                 `json:"client_id"`
			FlagResolution records.FlagResolution `json:"flag_resolution"`
		}
		seq := e.headSeq(t)
		e.post(t, pt, path, map[string]string{"reason": "Toestemming gevraagd bij het begin van het gesprek."}).expect(t, 200).decode(t, &out)
		if out.ClientID != clientID || out.FlagResolution.Reason != "Toestemming gevraagd bij het begin van het gesprek." {
			t.Fatalf("%+v", out)
		}
		if r := e.wantRecord(t, sam, seq, clientID, records.OutcomeOK, records.RuleCaseload); r.RecordKind != "consent_flag" {
			t.Errorf("record kind %q", r.RecordKind)
		}
		e.post(t, pt, path, map[string]string{"reason": "Nog eens."}).expect(t, 409)
		var an struct{ Anomalies []records.Anomaly }
		e.get(t, dt, "/api/v1/anomalies").expect(t, 200).decode(t, &an)
		kinds := map[string]bool{}
		for _, a := range an.Anomalies {
			if len(a.RecordIDs) == 1 && a.RecordIDs[0] == contactID {
				kinds[a.Kind] = true
			}
		}
		if kinds["consent_missing"] || !kinds["consent_flag_resolved"] {
			t.Errorf("anomalies for the resolved contact: %v", kinds)
		}
		// noor sees the demo's resolved flag on her phone call, with its reason.
		var f records.File
		e.get(t, nt, "/api/v1/me/file").expect(t, 200).decode(t, &f)
		var seen bool
		for _, k := range f.Contacts {
			seen = seen || (k.FlagResolution != nil && k.FlagResolution.Reason == demo.ResolvedFlagReason)
		}
		if !seen {
			t.Error("noor does not see the resolved flag in her file")
		}
	})
}

// TestPageQuickLogAndFlag: the pages without JavaScript: the quick log for a
// new client and its refusals, the note form's preselected contact, and
// resolving a consent flag from the file page.
func TestPageQuickLogAndFlag(t *testing.T) {
	h := newPageHarness(t, true)
	b := h.browser("nl")
	b.login("sam")
	page := b.get("/log")
	page.want(t, http.StatusOK, `<option value="outreach" selected>`, `<option value="new" selected>`, "Niemand in het bijzonder / anoniem")
	// Sam's clients are listed with their case codes, so that two of the
	// same name can be told apart.
	u := h.user("sam")
	cl, err := h.srv.Store.Caseload(t.Context(), records.Actor{UserID: u.ID, Role: u.Role})
	if err != nil || len(cl) == 0 {
		t.Fatalf("sam's caseload: %v", err)
	}
	for _, c := range cl {
		page.want(t, http.StatusOK, fmt.Sprintf(`<option value="%s">%s · %s</option>`, c.ClientID, html.EscapeString(c.Name), c.CaseCode))
	}
	t.Run("NewClient", func(t *testing.T) {
		r := b.post("/log", "/log", url.Values{"client_id": {"new"}, "new_client_name": {"Rooie"}, "channel": {"outreach"},
			"occurred_at": {time.Now().Add(-time.Minute).In(time.FixedZone("", 0)).Format("2006-01-02T15:04")}, "duration_minutes": {"10"},
			"body": {"Rooie aangesproken aan de kaai."}, "visibility": {"shared"}})
		r.want(t, http.StatusSeeOther)
		loc := r.Header.Get("Location")
		if !strings.HasPrefix(loc, "/clients/") || !strings.Contains(loc, "#contact-") {
			t.Fatalf("redirect to %q", loc)
		}
		b.get(strings.Split(loc, "#")[0]).want(t, http.StatusOK, "Rooie", "Rooie aangesproken aan de kaai.", "Het contact is bewaard.")
	})
	t.Run("Refused", func(t *testing.T) {
		base := url.Values{"channel": {"outreach"}, "occurred_at": {"2026-11-20T10:30"}, "duration_minutes": {"10"}, "visibility": {"shared"}}
		with := func(k, v string, kv ...string) url.Values {
			f := url.Values{}
			for key, val := range base {
				f[key] = val
			}
			f.Set(k, v)
			for i := 0; i+1 < len(kv); i += 2 {
				f.Set(kv[i], kv[i+1])
			}
			return f
		}
		b.post("/log", "/log", with("client_id", "anonymous", "new_client_name", "Jef", "place", "station")).
			want(t, http.StatusUnprocessableEntity, "Een anoniem contact heeft geen naam en geen notitie.", `value="Jef"`)
		b.post("/log", "/log", with("client_id", "new")).want(t, http.StatusUnprocessableEntity, "Vul de voornaam of roepnaam van de nieuwe cliënt in")
		b.post("/log", "/log", with("client_id", "anonymous", "place", "")).want(t, http.StatusUnprocessableEntity, "Vul de plaats in", " open>")
		b.post("/log", "/log", with("client_id", "anonymous", "place", "Vrijdagmarkt", "topics", "housing")).want(t, http.StatusSeeOther)
	})
	t.Run("NotePreselectsPastContact", func(t *testing.T) {
		noor := h.user("noor").ClientID
		body := b.get("/clients/" + noor + "/notes/new").body
		sel := regexp.MustCompile(`<option value="contact:([^"]+)" selected>`).FindStringSubmatch(body)
		if sel == nil {
			t.Fatal("no contact preselected")
		}
		f, err := h.srv.Store.ClientFile(context.Background(), records.Actor{UserID: h.user("sam").ID, Role: records.RoleProfessional}, records.PurposeCare, noor)
		if err != nil {
			t.Fatal(err)
		}
		var latest records.Contact
		for _, k := range f.Contacts {
			if !k.OccurredAt.After(time.Now()) && k.OccurredAt.After(latest.OccurredAt) {
				latest = k
			}
		}
		if sel[1] != latest.ID {
			t.Errorf("preselected %s, want the latest past contact %s", sel[1], latest.ID)
		}
	})
	t.Run("ResolutionSeen", func(t *testing.T) {
		// The demo's resolved flag: noor reads it in her file, the data
		// officer among the anomalies, with its reason.
		nb := h.browser("nl")
		nb.login("noor")
		nb.get("/my/file").want(t, http.StatusOK, "Je hulpverlener noteerde over toestemming voor dit contact", demo.ResolvedFlagReason)
		db := h.browser("en")
		db.login("dpo")
		db.get("/dpo/anomalies").want(t, http.StatusOK, "Consent flag resolved", "Why there was consent after all", demo.ResolvedFlagReason)
	})
	t.Run("ResolveFlag", func(t *testing.T) {
		clientID, contactID := flaggedContact(t, h.srv.Store, h.user("sam"))
		file := "/clients/" + clientID
		action := file + "/contacts/" + contactID + "/consent-flag/resolve"
		b.get(file).want(t, http.StatusOK, `action="`+action+`"`, "Melding oplossen")
		b.post(file, action, url.Values{"reason": {" "}}).want(t, http.StatusUnprocessableEntity, "Schrijf waarom dit contact toch toestemming had", `aria-invalid="true"`)
		b.post(file, action, url.Values{"reason": {"Gevraagd bij het begin van het gesprek."}}).want(t, http.StatusSeeOther)
		r := b.get(file)
		r.want(t, http.StatusOK, "Melding over toestemming opgelost op", "Gevraagd bij het begin van het gesprek.")
		if strings.Contains(r.body, `action="`+action+`"`) {
			t.Error("the resolved flag still offers the form")
		}
	})
}
