package app_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/records"
)

// newClientWithAccount has sam register a client and make their account; it
// returns the client's id and the account as created (with its code).
func (e *env) newClientWithAccount(t *testing.T, username string) (string, createdAccount) {
	t.Helper()
	st := e.token(t, sam)
	var client struct{ ID string }
	e.post(t, st, "/api/v1/clients", map[string]any{"name": "Test " + username}).expect(t, 201).decode(t, &client)
	var acc createdAccount
	e.post(t, st, "/api/v1/clients/"+client.ID+"/account", map[string]any{"username": username}).expect(t, 201).decode(t, &acc)
	return client.ID, acc
}

// A professional who could choose the client's password could sign in as the
// client for good. The old body with a password is refused as an unknown
// field, and no account is made.
func TestProfessionalCannotChooseAClientsPassword(t *testing.T) {
	e := newEnv(t)
	st := e.token(t, sam)
	var client struct{ ID string }
	e.post(t, st, "/api/v1/clients", map[string]any{"name": "Stand In"}).expect(t, 201).decode(t, &client)
	path := "/api/v1/clients/" + client.ID + "/account"
	e.do(t, req{method: http.MethodPost, path: path, token: st, badInput: true,
		body: map[string]any{"username": "standin", "password": "a password sam knows"}}).expect(t, 400)
	if _, err := e.srv.Store.UserByUsername(context.Background(), "standin"); records.ErrorCode(err) != records.ENOTFOUND {
		t.Fatalf("an account was made from a refused request: %v", err)
	}
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": "standin", "password": "a password sam knows"}).expect(t, 401)

	// The same for the admin making a staff account.
	e.do(t, req{method: http.MethodPost, path: "/api/v1/users", token: e.token(t, admin), badInput: true,
		body: map[string]any{"username": "standin-pro", "role": "professional", "password": "a password the admin knows"}}).expect(t, 400)

	// Without a password: an account waiting for activation, and a one-time code.
	var acc createdAccount
	e.post(t, st, path, map[string]any{"username": "standin"}).expect(t, 201).decode(t, &acc)
	if !acc.Pending || !activationCodeShape(acc.Activation.Code) {
		t.Fatalf("created %+v", acc)
	}
	if d := time.Until(acc.Activation.ExpiresAt); d < 13*24*time.Hour || d > 14*24*time.Hour+time.Minute {
		t.Errorf("code valid for %v, want 14 days", d)
	}
	// No password signs in to an account that was never activated.
	for _, pw := range []string{"", "a password sam knows", demoPassword} {
		if pw == "" {
			continue
		}
		e.post(t, "", "/api/v1/auth/login", map[string]string{"username": "standin", "password": pw}).expect(t, 401)
	}
	// The client sets their own password, signs in, and sees who made the account.
	e.activate(t, "standin", acc.Activation.Code, "my own secret for my file")
	var tk tokens
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": "standin", "password": "my own secret for my file"}).expect(t, 200).decode(t, &tk)
	var page struct{ Records []records.AccessView }
	e.get(t, tk.AccessToken, "/api/v1/me/access-log").expect(t, 200).decode(t, &page)
	var madeBySam, activatedBySelf bool
	for _, r := range page.Records {
		madeBySam = madeBySam || (r.RecordKind == records.KindAccount && r.Action == records.ActionCreate && r.ActorUsername == sam)
		activatedBySelf = activatedBySelf || (r.RecordKind == records.KindPassword && r.Action == records.ActionCreate &&
			r.ActorUsername == "standin" && r.Rule == records.RuleOwnAccount && r.Purpose == records.PurposeSecurity)
	}
	if !madeBySam || !activatedBySelf {
		t.Errorf("client's access log lacks account creation by sam (%v) or own activation (%v): %+v", madeBySam, activatedBySelf, page.Records)
	}
}

func activationCodeShape(code string) bool {
	if len(code) != 14 || code[4] != '-' || code[9] != '-' {
		return false
	}
	for _, r := range strings.ReplaceAll(code, "-", "") {
		if !strings.ContainsRune("23456789ABCDEFGHJKMNPQRSTUVWXYZ", r) {
			return false
		}
	}
	return true
}

// A wrong, used or expired code, or an unknown username, all give the same
// problem, and none of them sets a password.
func TestActivationRefusalsLookAlike(t *testing.T) {
	var skew atomic.Int64 // how far the server's clock is ahead
	e := newEnv(t, func(c *app.Config) {
		c.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	})
	_, used := e.newClientWithAccount(t, "used-code")
	e.activate(t, "used-code", used.Activation.Code, "the first password I chose")
	_, wrong := e.newClientWithAccount(t, "wrong-code")
	_, expired := e.newClientWithAccount(t, "expired-code")
	_, replaced := e.newClientWithAccount(t, "replaced-code")
	var fresh struct {
		Code string `json:"code"`
	}
	e.post(t, e.token(t, sam), "/api/v1/users/"+replaced.ID+"/activation-code", nil).expect(t, 201).decode(t, &fresh)

	const pw = "a password of my own choosing"
	attempts := []struct{ name, username, code string }{
		{"used code", "used-code", used.Activation.Code},
		{"wrong code", "wrong-code", otherCode(wrong.Activation.Code)},
		{"code of another account", "wrong-code", expired.Activation.Code},
		{"replaced code", "replaced-code", replaced.Activation.Code},
		{"unknown username", "nobody-at-all", wrong.Activation.Code},
		{"empty code", "wrong-code", "----"},
	}
	var first []byte
	check := func(name, username, code string, activated bool) {
		t.Helper()
		r := e.post(t, "", "/api/v1/auth/activate", map[string]string{"username": username, "code": code, "password": pw}).expect(t, 400)
		p := r.problem(t)
		if p.Type != "urn:nabij:problem:activation-failed" {
			t.Errorf("%s: problem %+v", name, p)
		}
		body := []byte(strings.ReplaceAll(string(r.body), username, ""))
		if first == nil {
			first = body
		} else if string(body) != string(first) {
			t.Errorf("%s: body %s differs from %s", name, body, first)
		}
		if !activated {
			e.post(t, "", "/api/v1/auth/login", map[string]string{"username": username, "password": pw}).expect(t, 401)
		}
	}
	for _, a := range attempts {
		check(a.name, a.username, a.code, false)
	}

	// Fifteen days on, the code is expired.
	skew.Store(int64(15 * 24 * time.Hour))
	check("expired code", "expired-code", expired.Activation.Code, false)
	// A code typed in lower case with spaces is the same code, while it lasts.
	skew.Store(0)
	lower := strings.ToLower(strings.ReplaceAll(fresh.Code, "-", " "))
	e.activate(t, "replaced-code", lower, pw)
	// Used once, never again.
	check("code used just now", "replaced-code", fresh.Code, true)
}

// otherCode is code with its first symbol changed.
func otherCode(code string) string {
	if code[0] == '2' {
		return "3" + code[1:]
	}
	return "2" + code[1:]
}

// Passwords from the common-password list are refused wherever a person
// chooses one, case aside; so is one that is too short.
func TestCommonPasswordsAreRefused(t *testing.T) {
	e := newEnv(t)
	_, acc := e.newClientWithAccount(t, "picky")
	for _, pw := range []string{"password1234", "PASSWORD1234", "qwertyuiopas", "123456789012", "short pw"} {
		p := e.do(t, req{method: http.MethodPost, path: "/api/v1/auth/activate", badInput: true,
			body: map[string]string{"username": "picky", "code": acc.Activation.Code, "password": pw}}).expect(t, 422).problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "password" {
			t.Errorf("%q: problem %+v", pw, p)
		}
	}
	// The code was not used up by the refusals.
	e.activate(t, "picky", acc.Activation.Code, demoPassword)
	tk := e.login(t, "picky")
	for _, pw := range []string{"password1234", "Qwertyuiopas"} {
		p := e.do(t, req{method: http.MethodPost, path: "/api/v1/me/password", token: tk.AccessToken, badInput: true,
			body: map[string]string{"current_password": demoPassword, "new_password": pw}}).expect(t, 422).problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "new_password" {
			t.Errorf("%q: problem %+v", pw, p)
		}
	}
	e.login(t, "picky") // the old password still works
}

// After a change the new password works and the old one does not; other
// sessions' refresh tokens are revoked; the change is an access record the
// client sees; a wrong current password changes nothing.
func TestChangeOwnPassword(t *testing.T) {
	e := newEnv(t)
	other := e.login(t, noor) // another browser or phone
	mine := e.login(t, noor)
	const next = "a new password only noor knows"
	p := e.do(t, req{method: http.MethodPost, path: "/api/v1/me/password", token: mine.AccessToken, badInput: true,
		body: map[string]string{"current_password": "not the password", "new_password": next}}).expect(t, 422).problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Field != "current_password" {
		t.Errorf("wrong current password: %+v", p)
	}
	e.login(t, noor)

	before := e.headSeq(t)
	var fresh tokens
	e.post(t, mine.AccessToken, "/api/v1/me/password", map[string]string{"current_password": demoPassword, "new_password": next}).
		expect(t, 200).decode(t, &fresh)
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": noor, "password": demoPassword}).expect(t, 401)
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": noor, "password": next}).expect(t, 200)
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": other.RefreshToken}).expect(t, 401)
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": mine.RefreshToken}).expect(t, 401)
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": fresh.RefreshToken}).expect(t, 200)

	rec := e.wantRecord(t, noor, before, e.noorID, records.OutcomeOK, records.RuleOwnAccount)
	if rec.RecordKind != records.KindPassword || rec.Action != records.ActionChange || rec.Purpose != records.PurposeSecurity {
		t.Errorf("record %+v", rec)
	}
}

// A staff account made by the admin is a record the data officer sees.
func TestStaffAccountCreationIsRecorded(t *testing.T) {
	e := newEnv(t)
	before := e.headSeq(t)
	u := e.newUser(t, "new-pro", records.RoleProfessional, "")
	rec := e.wantRecord(t, admin, before, "", records.OutcomeOK, records.RuleAdmin)
	if rec.RecordKind != records.KindAccount || rec.Action != records.ActionCreate || len(rec.RecordIDs) != 1 || rec.RecordIDs[0] != u.ID ||
		rec.Purpose != records.PurposeAdministration {
		t.Errorf("record %+v", rec)
	}
	e.wantRecord(t, "new-pro", before, "", records.OutcomeOK, records.RuleOwnAccount)
}

// Wrong activation codes slow down the address they come from, as sign-in
// does, and that address is the client's (behind a trusted proxy, the
// forwarded one): a person activating from another address is not slowed by
// someone else's guesses.
func TestActivationGuessesSlowTheirOwnAddress(t *testing.T) {
	e := newEnv(t, behindProxy, keepLoginLimit)
	_, acc := e.newClientWithAccount(t, "slow-guesses")
	guess := func(from, code string) *resp {
		return e.do(t, req{method: http.MethodPost, path: "/api/v1/auth/activate",
			body:   map[string]string{"username": "slow-guesses", "code": code, "password": "a password of my own choosing"},
			header: map[string]string{"X-Forwarded-For": from}})
	}
	limited := false
	for i := 0; i < 10 && !limited; i++ {
		r := guess("203.0.113.50", otherCode(acc.Activation.Code))
		switch r.status {
		case http.StatusTooManyRequests:
			limited = true
		case http.StatusBadRequest:
		default:
			t.Fatalf("guess %d: status %d", i, r.status)
		}
	}
	if !limited {
		t.Fatal("ten wrong codes from one address were never slowed down")
	}
	guess("198.51.100.60", acc.Activation.Code).expect(t, http.StatusNoContent)
}
