package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// TestStandInAccountIsSeen is the stand-in path: an admin makes a
// professional, keeps its activation code and activates it with a password of
// its choosing, puts noor on its caseload,
// signs in as it and reads noor's file. None of that may look like ordinary
// caseload work: noor sees (API and page) that the new account was given
// access by the admin, and when, without anyone's address; the data officer
// finds the account's creation, the assignment and the sign-in by kind; and
// the anomalies name the new account.
func TestStandInAccountIsSeen(t *testing.T) {
	e := newEnv(t)
	adm := e.token(t, admin)
	var created createdAccount
	e.post(t, adm, "/api/v1/users", map[string]any{"username": "stand-in", "role": "professional",
		"display_name": "Stan Inval"}).expect(t, 201).decode(t, &created)
	u := created.User
	// The admin keeps the activation code and activates the account itself.
	e.activate(t, "stand-in", created.Activation.Code, "a long enough password")
	var as records.Assignment
	e.post(t, adm, "/api/v1/caseload-assignments", map[string]any{"client_id": e.noorID, "user_id": u.ID}).expect(t, 201).decode(t, &as)
	var tok tokens
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": "stand-in", "password": "a long enough password"}).expect(t, 200).decode(t, &tok)
	e.get(t, tok.AccessToken, "/api/v1/clients/"+e.noorID+"/file").expect(t, 200)

	// Noor, through the API.
	r := e.get(t, e.token(t, noor), "/api/v1/me/access-log").expect(t, 200)
	if strings.Contains(string(r.body), `"remote"`) {
		t.Errorf("the client's access log shows addresses: %s", clip(r.body))
	}
	var page struct {
		Records []records.AccessView `json:"records"`
	}
	r.decode(t, &page)
	var grant *records.AccessView
	for i, v := range page.Records {
		if v.RecordKind == records.KindCaseload && v.Action == records.ActionGrant && len(v.RecordIDs) == 2 && v.RecordIDs[0] == as.ID {
			grant = &page.Records[i]
		}
	}
	if grant == nil {
		t.Fatalf("noor does not see who was given access to her file: %s", clip(r.body))
	}
	if grant.ActorUsername != admin || grant.SubjectUsername != "stand-in" || grant.SubjectName != "Stan Inval" ||
		time.Since(grant.At) > time.Minute {
		t.Errorf("the assignment as noor sees it: %+v", grant)
	}

	// Noor, on her page: a sentence in plain Dutch.
	h := &pageHarness{tb: t, srv: e.srv, URL: e.base, clock: &pageClock{}}
	b := h.browser("nl")
	if res := b.post("/login", "/login", url.Values{"username": {noor}, "password": {demoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in noor: %d", res.StatusCode)
	}
	b.get("/my/access").want(t, http.StatusOK, "Beheerder Ari Admin gaf Stan Inval toegang tot je dossier.",
		"Iemand meldde zich aan met je account.")

	// The data officer, by kind.
	d := e.token(t, dpo)
	for _, tc := range []struct {
		kind   string
		action records.Action
		actor  string
	}{
		{records.KindAccount, records.ActionCreate, admin},
		{records.KindCaseload, records.ActionGrant, admin},
		{records.KindSession, records.ActionSignIn, "stand-in"},
	} {
		var got struct {
			Records []records.AccessView `json:"records"`
		}
		e.get(t, d, "/api/v1/access-log?kind="+tc.kind).expect(t, 200).decode(t, &got)
		found := false
		for _, v := range got.Records {
			if v.RecordKind != tc.kind {
				t.Errorf("?kind=%s returned a %s record", tc.kind, v.RecordKind)
			}
			if v.Action == tc.action && v.ActorUsername == tc.actor && strings.Contains(strings.Join(v.RecordIDs, ","), u.ID) {
				found = true
			}
		}
		if !found {
			t.Errorf("the data officer finds no %s %s record by %s about the new account", tc.kind, tc.action, tc.actor)
		}
	}
	e.get(t, d, "/api/v1/access-log?kind=caseload&action=grant").expect(t, 200)
	e.do(t, req{method: http.MethodGet, path: "/api/v1/access-log?kind=no%20such%27kind", token: d, badInput: true}).expect(t, 422)
	db := h.browser("en")
	if res := db.post("/login", "/login", url.Values{"username": {dpo}, "password": {demoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in dpo: %d", res.StatusCode)
	}
	db.get("/dpo/access-log?kind=caseload").want(t, http.StatusOK, "access given: caseload — Stan Inval")
	db.get("/dpo/access-log?kind=nonsense").want(t, http.StatusUnprocessableEntity)
	db.get("/dpo/anomalies").want(t, http.StatusOK, "New account given a file, then read it", "stand-in")

	// The anomaly, through the API.
	var an struct {
		Anomalies []records.Anomaly `json:"anomalies"`
	}
	e.get(t, d, "/api/v1/anomalies").expect(t, 200).decode(t, &an)
	flagged := false
	for _, a := range an.Anomalies {
		if a.Kind == "new_account_access" && a.ActorID == u.ID && a.ActorUsername == "stand-in" && a.ClientID == e.noorID && !a.At.IsZero() {
			flagged = true
		}
	}
	if !flagged {
		b, _ := json.Marshal(an)
		t.Errorf("no new_account_access anomaly for the stand-in: %s", b)
	}
	// And the log with all these records still verifies.
	var rep records.VerifyReport
	e.get(t, d, "/api/v1/access-log/verify").expect(t, 200).decode(t, &rep)
	if !rep.OK {
		t.Errorf("verify: %+v", rep)
	}
}
