package app_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/records"
)

// The callers of the authorization matrix: the demo accounts, and requests
// whose bearer token is missing or bad in each way an attacker might try.
const (
	noToken    = "(no token)"
	expired    = "(expired token)"
	algNone    = "(alg none)"
	hs256PubKy = "(HS256 with the public key)"
	tampered   = "(tampered token)"
)

var callers = []string{sam, lena, noor, dpo, admin, noToken, expired, algNone, hs256PubKy, tampered}

// badTokens makes the hostile tokens for the account (sam): every one must get 401.
func badTokens(t *testing.T, e *env) map[string]string {
	t.Helper()
	u := e.users[sam]
	key := app.TokenKeyForTest(e.srv)
	now := time.Now()
	claims := func(issued, exp time.Time) jwt.MapClaims {
		return jwt.MapClaims{"iss": auth.Issuer, "aud": []string{auth.Audience}, "sub": u.ID, "role": string(u.Role),
			"iat": issued.Unix(), "nbf": issued.Add(-5 * time.Second).Unix(), "exp": exp.Unix(), "jti": "test"}
	}
	// Expired an hour ago, otherwise what the server itself issues.
	exp, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims(now.Add(-2*time.Hour), now.Add(-time.Hour))).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	// A well-formed, unexpired token with no signature at all.
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims(now, now.Add(10*time.Minute))).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	// The classic key-confusion attack: HMAC keyed with the (public) verification key.
	pub := key.Public().(ed25519.PublicKey)
	hs, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(now, now.Add(10*time.Minute))).SignedString([]byte(pub))
	if err != nil {
		t.Fatal(err)
	}
	// A real token of sam's with its role claim raised to admin: the payload changed
	// after signing.
	good := e.login(t, sam).AccessToken
	parts := strings.Split(good, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		t.Fatal(err)
	}
	m["role"] = "admin"
	forged, _ := json.Marshal(m)
	tam := parts[0] + "." + base64.RawURLEncoding.EncodeToString(forged) + "." + parts[2]
	return map[string]string{noToken: "", expired: exp, algNone: none, hs256PubKy: hs, tampered: tam}
}

// matrixRow is one route of the matrix.
type matrixRow struct {
	method, path string
	body         any
	// want is the status per caller; callers not listed get 401 on an
	// authenticated route and want[other] on a public one.
	want map[string]int
	// public routes ignore the token.
	public bool
	// client is the client whose data the route reads or writes (for the access
	// records); "" when it is about none. read marks reads of client data.
	client string
	read   bool
}

func statuses(ok int, okFor []string, other int) map[string]int {
	m := map[string]int{}
	for _, c := range []string{sam, lena, noor, dpo, admin} {
		m[c] = other
	}
	for _, c := range okFor {
		m[c] = ok
	}
	return m
}

// TestAuthorizationMatrix calls every route as every role and with every kind
// of bad token, checks the status, and checks that each allowed read of client
// data and each refusal (by role or by caseload) left its access record.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t)
	bad := badTokens(t, e)
	tok := map[string]string{}
	for _, c := range []string{sam, lena, noor, dpo, admin} {
		tok[c] = e.token(t, c)
	}
	for k, v := range bad {
		tok[k] = v
	}

	// Fixtures the rows act on, made through the API as the owners would.
	samTok := tok[sam]
	var traj, contact, note struct{ ID string }
	e.post(t, samTok, "/api/v1/clients/"+e.noorID+"/trajectories", map[string]any{"goal": "Matrix trajectory"}).expect(t, 201).decode(t, &traj)
	e.post(t, samTok, "/api/v1/clients/"+e.noorID+"/contacts", map[string]any{"trajectory_id": traj.ID, "channel": "office",
		"occurred_at": time.Now().Add(-time.Hour), "duration_minutes": 30}).expect(t, 201).decode(t, &contact)
	e.post(t, samTok, "/api/v1/clients/"+e.noorID+"/notes", map[string]any{"contact_id": contact.ID, "body": "Matrix note", "visibility": "shared"}).
		expect(t, 201).decode(t, &note)
	var other, target, team, asg struct{ ID string }
	e.post(t, samTok, "/api/v1/clients", map[string]any{"name": "Matrix Client"}).expect(t, 201).decode(t, &other)
	var targetAccount createdAccount
	e.post(t, tok[admin], "/api/v1/users", map[string]any{"username": "matrix-target", "role": "professional"}).
		expect(t, 201).decode(t, &targetAccount)
	target.ID = targetAccount.ID
	e.activate(t, "matrix-target", targetAccount.Activation.Code, "a long enough password")
	e.post(t, tok[admin], "/api/v1/teams", map[string]any{"name": "Matrix team"}).expect(t, 201).decode(t, &team)
	e.post(t, tok[admin], "/api/v1/caseload-assignments", map[string]any{"client_id": other.ID, "team_id": team.ID}).expect(t, 201).decode(t, &asg)

	noorC, milanC := "/api/v1/clients/"+e.noorID, "/api/v1/clients/"+e.milanID
	pro := []string{sam}
	rows := []matrixRow{
		{method: "GET", path: "/healthz", public: true, want: statuses(200, nil, 200)},
		{method: "GET", path: "/readyz", public: true, want: statuses(200, nil, 200)},
		{method: "GET", path: "/metrics", public: true, want: statuses(200, nil, 200)},
		{method: "GET", path: "/api/openapi.json", public: true, want: statuses(200, nil, 200)},
		{method: "POST", path: "/api/v1/auth/login", public: true, body: map[string]string{"username": "matrix-target", "password": "a long enough password"}, want: statuses(200, nil, 200)},
		{method: "POST", path: "/api/v1/auth/refresh", public: true, body: map[string]string{"refresh_token": "not-a-real-token"}, want: statuses(401, nil, 401)},
		{method: "POST", path: "/api/v1/auth/logout", public: true, body: map[string]string{}, want: statuses(204, nil, 204)},
		{method: "POST", path: "/api/v1/auth/activate", public: true, body: map[string]string{"username": "matrix-target", "code": "AAAA-BBBB-CCCC", "password": "a long enough password"},
			want: statuses(400, nil, 400)},
		{method: "GET", path: "/api/v1/me", want: statuses(200, nil, 200)},
		{method: "POST", path: "/api/v1/auth/totp/enrol", want: statuses(200, nil, 200)},
		{method: "POST", path: "/api/v1/auth/totp/confirm", body: map[string]string{"code": "000000"}, want: statuses(422, nil, 422)},
		{method: "POST", path: "/api/v1/me/password", body: map[string]string{"current_password": "not my password at all", "new_password": "a long enough password"},
			want: statuses(422, nil, 422)},

		{method: "GET", path: "/api/v1/clients", want: statuses(200, []string{sam, lena}, 403)},
		{method: "POST", path: "/api/v1/clients", body: map[string]any{"name": "New Client"}, want: statuses(201, []string{sam, lena}, 403)},
		{method: "GET", path: noorC, want: statuses(200, pro, 403), client: e.noorID, read: true},
		{method: "GET", path: noorC + "/file", want: statuses(200, pro, 403), client: e.noorID, read: true},
		{method: "GET", path: milanC, want: statuses(200, []string{lena}, 403), client: e.milanID, read: true},
		{method: "GET", path: milanC + "/file", want: statuses(200, []string{lena}, 403), client: e.milanID, read: true},
		{method: "POST", path: noorC + "/trajectories", body: map[string]any{"goal": "Another goal"}, want: statuses(201, pro, 403), client: e.noorID},
		{method: "POST", path: noorC + "/contacts", body: map[string]any{"trajectory_id": traj.ID, "channel": "phone",
			"occurred_at": time.Now().Add(-time.Minute), "duration_minutes": 10}, want: statuses(201, pro, 403), client: e.noorID},
		{method: "POST", path: noorC + "/notes", body: map[string]any{"trajectory_id": traj.ID, "body": "Another note", "visibility": "shared"},
			want: statuses(201, pro, 403), client: e.noorID},
		{method: "POST", path: "/api/v1/notes/" + note.ID + "/corrections", body: map[string]any{"body": "Corrected", "visibility": "shared"},
			want: statuses(201, pro, 403), client: e.noorID},

		// A client account is a key to the file: only the client's professional makes it.
		{method: "POST", path: "/api/v1/clients/" + other.ID + "/account", body: map[string]any{"username": "matrix-client"},
			want: statuses(201, pro, 403), client: other.ID},
		{method: "POST", path: "/api/v1/users", body: map[string]any{"username": "matrix-shadow", "role": "client", "client_id": e.noorID},
			want: statuses(403, nil, 403), client: e.noorID},

		{method: "GET", path: "/api/v1/me/file", want: statuses(200, []string{noor}, 403), client: e.noorID, read: true},
		{method: "GET", path: "/api/v1/me/access-log", want: statuses(200, []string{noor}, 403), client: e.noorID, read: true},
		{method: "POST", path: "/api/v1/me/entries", body: map[string]any{"body": "My entry"}, want: statuses(201, []string{noor}, 403), client: e.noorID},

		{method: "GET", path: "/api/v1/access-log", want: statuses(200, []string{dpo}, 403)},
		{method: "GET", path: "/api/v1/access-log/verify", want: statuses(200, []string{dpo}, 403)},
		{method: "GET", path: "/api/v1/anomalies", want: statuses(200, []string{dpo}, 403)},

		{method: "GET", path: "/api/v1/users", want: statuses(200, []string{admin}, 403)},
		{method: "POST", path: "/api/v1/users", body: map[string]any{"username": "matrix-new", "role": "data_officer"},
			want: statuses(201, []string{admin}, 403)},
		{method: "POST", path: "/api/v1/users/" + target.ID + "/disable", want: statuses(200, []string{admin}, 403)},
		{method: "POST", path: "/api/v1/users/" + target.ID + "/enable", want: statuses(200, []string{admin}, 403)},
		// matrix-target is activated: no new code, not even from the admin.
		{method: "POST", path: "/api/v1/users/" + target.ID + "/activation-code", want: statuses(409, []string{admin}, 403)},
		{method: "GET", path: "/api/v1/teams", want: statuses(200, []string{admin}, 403)},
		{method: "POST", path: "/api/v1/teams", body: map[string]any{"name": "Another team"}, want: statuses(201, []string{admin}, 403)},
		{method: "POST", path: "/api/v1/teams/" + team.ID + "/members", body: map[string]any{"user_id": e.users[sam].ID}, want: statuses(204, []string{admin}, 403)},
		{method: "GET", path: "/api/v1/caseload-assignments", want: statuses(200, []string{admin}, 403)},
		{method: "POST", path: "/api/v1/caseload-assignments", body: map[string]any{"client_id": other.ID, "user_id": e.users[sam].ID},
			want: statuses(201, []string{admin}, 403)},
		{method: "POST", path: "/api/v1/caseload-assignments/" + asg.ID + "/end", want: statuses(204, []string{admin}, 403)},

		// Last, because a grant changes what sam may read: sam breaks the glass on
		// lena's client milan; for lena milan is on the caseload already.
		{method: "POST", path: milanC + "/break-glass", body: map[string]any{"reason": "Matrix: crisis call at night"},
			want: map[string]int{sam: 201, lena: 409, noor: 403, dpo: 403, admin: 403}, client: e.milanID},
	}
	routeSeen := map[string]bool{}
	for _, row := range rows {
		routeSeen[row.method+" "+row.path] = true
		for _, caller := range callers {
			want, ok := row.want[caller]
			if !ok {
				want = http.StatusUnauthorized
				if row.public {
					want = row.want[sam]
				}
			}
			name := row.method + " " + row.path + " as " + caller
			before := e.headSeq(t)
			r := e.do(t, req{method: row.method, path: row.path, token: tok[caller], body: row.body})
			if r.status != want {
				t.Errorf("%s: status %d, want %d: %s", name, r.status, want, clip(r.body))
				continue
			}
			if r.status >= 400 {
				r.problem(t)
			}
			u := e.users[caller]
			switch {
			case u == nil:
				// A bad token: no account, nothing to record.
			case r.status == http.StatusForbidden:
				// Every refusal by role or caseload is in the log, naming the client when the route does.
				// A route without a client in its path cannot name one when it
				// refuses a role at the edge (/me/*, /notes/{nid}/…).
				client := row.client
				if !strings.HasPrefix(row.path, "/api/v1/clients/") {
					client = ""
				}
				rec := e.wantRecord(t, caller, before, client, records.OutcomeDenied, records.RuleNone)
				if rec.ID != "" && rec.ActorRole != u.Role {
					t.Errorf("%s: denied record has role %q", name, rec.ActorRole)
				}
			case r.status < 300 && row.client != "":
				rec := e.wantRecord(t, caller, before, row.client, records.OutcomeOK, "")
				if row.read && rec.Action != records.ActionRead {
					t.Errorf("%s: record action %q, want read", name, rec.Action)
				}
			}
		}
	}
	if len(routeSeen) < 36 {
		t.Errorf("matrix covers %d route instances", len(routeSeen))
	}
}

// TestCaseloadDenialAndBreakGlass: lena cannot read noor (sam's client) and the
// refusal is recorded; after breaking the glass with a reason she can, under
// rule break_glass, and the record, the anomalies and noor's own access log
// all show it.
func TestCaseloadDenialAndBreakGlass(t *testing.T) {
	e := newEnv(t)
	lt := e.token(t, lena)
	path := "/api/v1/clients/" + e.noorID + "/file"

	before := e.headSeq(t)
	p := e.get(t, lt, path).expect(t, 403).problem(t)
	if p.Type != "urn:nabij:problem:forbidden" {
		t.Errorf("problem type %q", p.Type)
	}
	rec := e.wantRecord(t, lena, before, e.noorID, records.OutcomeDenied, records.RuleNone)
	if rec.RecordKind == "" || rec.ActorUsername != lena {
		t.Errorf("denied record %+v", rec)
	}

	// Without a reason: refused, nothing granted.
	e.do(t, req{method: "POST", path: "/api/v1/clients/" + e.noorID + "/break-glass", token: lt, body: map[string]string{"reason": ""}, badInput: true}).expect(t, 422)
	e.get(t, lt, path).expect(t, 403)

	var g records.Grant
	e.post(t, lt, "/api/v1/clients/"+e.noorID+"/break-glass", map[string]string{"reason": "Noor called the crisis line; sam is off duty"}).
		expect(t, 201).decode(t, &g)
	if g.ClientID != e.noorID || g.UserID != e.users[lena].ID || !g.ExpiresAt.After(time.Now()) || g.ExpiresAt.After(time.Now().Add(records.BreakGlassDuration+time.Minute)) {
		t.Errorf("grant %+v", g)
	}
	before = e.headSeq(t)
	var f records.File
	e.get(t, lt, path).expect(t, 200).decode(t, &f)
	if f.Rule != records.RuleBreakGlass {
		t.Errorf("file rule %q, want break_glass", f.Rule)
	}
	rec = e.wantRecord(t, lena, before, e.noorID, records.OutcomeOK, records.RuleBreakGlass)
	if rec.GrantID != g.ID || rec.Purpose != records.PurposeBreakGlass {
		t.Errorf("break-glass read record %+v, want grant %s and purpose break_glass", rec, g.ID)
	}

	// The client sees it in her own access log.
	var page struct{ Records []records.AccessView }
	e.get(t, e.token(t, noor), "/api/v1/me/access-log").expect(t, 200).decode(t, &page)
	found := false
	for _, r := range page.Records {
		if r.ActorUsername == lena && r.Rule == records.RuleBreakGlass && r.Outcome == records.OutcomeOK {
			found = true
		}
	}
	if !found {
		t.Errorf("noor's access log does not show lena's break-glass read: %+v", page.Records)
	}
}

// TestClientSeesOwnFileOnly: noor's own file has shared notes in full,
// restricted ones withheld (with their reason), no personal notes; she cannot
// read milan's file through the professional routes.
func TestClientSeesOwnFileOnly(t *testing.T) {
	e := newEnv(t)
	st := e.token(t, sam)
	var tr struct{ ID string }
	e.post(t, st, "/api/v1/clients/"+e.noorID+"/trajectories", map[string]any{"goal": "Own-file test"}).expect(t, 201).decode(t, &tr)
	for _, n := range []map[string]any{
		{"trajectory_id": tr.ID, "body": "SHARED-BODY-7", "visibility": "shared"},
		{"trajectory_id": tr.ID, "body": "RESTRICTED-BODY-7", "visibility": "restricted", "restricted_reason": "About a third party"},
		{"trajectory_id": tr.ID, "body": "PERSONAL-BODY-7", "visibility": "personal"},
	} {
		e.post(t, st, "/api/v1/clients/"+e.noorID+"/notes", n).expect(t, 201)
	}
	nt := e.token(t, noor)
	before := e.headSeq(t)
	r := e.get(t, nt, "/api/v1/me/file").expect(t, 200)
	e.wantRecord(t, noor, before, e.noorID, records.OutcomeOK, records.RuleOwnFile)
	var f records.File
	r.decode(t, &f)
	if f.Client.ID != e.noorID || f.Rule != records.RuleOwnFile {
		t.Fatalf("file of %s under rule %s", f.Client.ID, f.Rule)
	}
	raw := string(r.body)
	if !strings.Contains(raw, "SHARED-BODY-7") {
		t.Error("shared note missing from the client's file")
	}
	if strings.Contains(raw, "RESTRICTED-BODY-7") || strings.Contains(raw, "PERSONAL-BODY-7") || strings.Contains(raw, "Werkaantekening:") {
		t.Error("the client's file holds restricted or personal note content")
	}
	var restricted, withheldReasoned int
	for _, n := range f.Notes {
		switch n.Visibility {
		case records.VisibilityPersonal:
			t.Errorf("personal note %s in the client's file", n.ID)
		case records.VisibilityRestricted:
			restricted++
			if n.Withheld && n.Body == "" && n.RestrictedReason != "" {
				withheldReasoned++
			}
		}
	}
	if restricted == 0 || withheldReasoned != restricted {
		t.Errorf("%d restricted notes, %d withheld with a reason", restricted, withheldReasoned)
	}

	// Professional routes are not for clients: refused and recorded.
	before = e.headSeq(t)
	e.get(t, nt, "/api/v1/clients/"+e.milanID).expect(t, 403)
	e.wantRecord(t, noor, before, e.milanID, records.OutcomeDenied, records.RuleNone)
	e.get(t, nt, "/api/v1/clients/"+e.milanID+"/file").expect(t, 403)
}
