package sqlite_test

import (
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// A client account is a key to the client's file: only a professional who
// follows the client makes one (and that is recorded), never the admin, never
// under break the glass, and never a second one.
func TestCreateClientAccount(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	// Client D already has an account (daan); a new client E has none.
	e, err := w.s.CreateClient(w.ctx, w.sam, records.NewClient{Name: "Eva Peeters"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		actor    records.Actor
		clientID string
		code     string
		outcome  string // the access record written, "" for none
	}{
		{"AdminRefused", w.adm, e.ID, records.EFORBIDDEN, "denied"},
		{"DataOfficerRefused", w.dpo, e.ID, records.EFORBIDDEN, "denied"},
		{"OtherProfessionalDenied", w.olga, e.ID, records.EFORBIDDEN, "denied"},
		{"BreakGlassDenied", w.bram, w.c.ID, records.EFORBIDDEN, "denied"},
		{"SecondAccountRefused", w.olga, w.d.ID, records.ECONFLICT, ""},
		{"CaseloadProfessional", w.sam, e.ID, "", "ok"},
		{"ThenNoSecond", w.sam, e.ID, records.ECONFLICT, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := maxSeq(t, db)
			users := countRows(t, db, "users")
			u, err := w.s.CreateUser(w.ctx, tt.actor, records.NewUser{Username: "acct" + string(rune('a'+i)),
				Role: records.RoleClient, ActivationCodeHash: []byte("code hash"), ClientID: tt.clientID})
			if records.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want %q", err, tt.code)
			}
			wantUsers := users
			if tt.code == "" {
				wantUsers++
				if u == nil || u.ClientID != tt.clientID {
					t.Fatalf("user %+v", u)
				}
			}
			if got := countRows(t, db, "users"); got != wantUsers {
				t.Errorf("users %d, want %d", got, wantUsers)
			}
			recs := accessRowsAfter(t, db, before)
			switch {
			case tt.outcome == "" && len(recs) != 0:
				t.Errorf("records %+v, want none", recs)
			case tt.outcome != "" && (len(recs) != 1 || recs[0].Outcome != tt.outcome || recs[0].RecordKind != "account" ||
				recs[0].ClientID != tt.clientID || recs[0].ActorID != tt.actor.UserID):
				t.Errorf("records %+v, want one %s account record", recs, tt.outcome)
			}
		})
	}
}

// Nobody but nabij itself chooses a password for another person's account:
// the store refuses a password hash from anyone else, even the client's own
// professional, and makes no account.
func TestOnlyNabijSetsAnotherPersonsPassword(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	e, err := w.s.CreateClient(w.ctx, w.sam, records.NewClient{Name: "Eva Peeters"})
	if err != nil {
		t.Fatal(err)
	}
	users := countRows(t, db, "users")
	for _, in := range []records.NewUser{
		{Username: "eva", Role: records.RoleClient, ClientID: e.ID, PasswordHash: "$argon2id$chosen-by-sam"},
		{Username: "eva", Role: records.RoleClient, ClientID: e.ID, PasswordHash: "$argon2id$x", ActivationCodeHash: []byte("h")},
	} {
		if _, err := w.s.CreateUser(w.ctx, w.sam, in); err == nil {
			t.Errorf("%+v: accepted", in)
		}
	}
	if _, err := w.s.CreateUser(w.ctx, w.adm, records.NewUser{Username: "kim", Role: records.RoleProfessional, PasswordHash: "$argon2id$chosen"}); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("admin with a password: %v", err)
	}
	if got := countRows(t, db, "users"); got != users {
		t.Errorf("users %d, want %d", got, users)
	}
}

// A new code for a client's account is a new key to the client's file: only
// the client's own professional gives one, and every refusal is recorded. A
// code works once, before it expires, and only while the account has no
// password; an activated account gets no new code.
func TestActivationCodes(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	e, err := w.s.CreateClient(w.ctx, w.sam, records.NewClient{Name: "Eva Peeters"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := w.s.CreateUser(w.ctx, w.sam, records.NewUser{Username: "eva", Role: records.RoleClient, ClientID: e.ID, ActivationCodeHash: []byte("first")})
	if err != nil || !u.ActivationPending {
		t.Fatalf("create: %+v %v", u, err)
	}
	for _, a := range []records.Actor{w.adm, w.olga, w.dpo} {
		before := maxSeq(t, db)
		if err := w.s.IssueActivationCode(w.ctx, a, u.ID, []byte("stolen")); records.ErrorCode(err) != records.EFORBIDDEN {
			t.Errorf("%s: %v", a.Role, err)
		}
		if recs := accessRowsAfter(t, db, before); len(recs) != 1 || recs[0].Outcome != "denied" || recs[0].ClientID != e.ID {
			t.Errorf("%s: records %+v", a.Role, recs)
		}
		if _, err := w.s.ActivateAccount(w.ctx, "test", "eva", []byte("stolen"), "$argon2id$x"); err != records.ErrBadActivation {
			t.Errorf("%s's code works: %v", a.Role, err)
		}
	}
	if err := w.s.IssueActivationCode(w.ctx, w.sam, u.ID, []byte("second")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ActivateAccount(w.ctx, "test", "eva", []byte("first"), "$argon2id$x"); err != records.ErrBadActivation {
		t.Errorf("the replaced code works: %v", err)
	}
	w.clock.Advance(records.ActivationTTL + time.Second)
	if _, err := w.s.ActivateAccount(w.ctx, "test", "eva", []byte("second"), "$argon2id$x"); err != records.ErrBadActivation {
		t.Errorf("the expired code works: %v", err)
	}
	if err := w.s.IssueActivationCode(w.ctx, w.sam, u.ID, []byte("third")); err != nil {
		t.Fatal(err)
	}
	got, err := w.s.ActivateAccount(w.ctx, "test", "EVA", []byte("third"), "$argon2id$evas-own")
	if err != nil || got.PasswordHash != "$argon2id$evas-own" || got.ActivationPending {
		t.Fatalf("activate: %+v %v", got, err)
	}
	if _, err := w.s.ActivateAccount(w.ctx, "test", "eva", []byte("third"), "$argon2id$again"); err != records.ErrBadActivation {
		t.Errorf("the used code works again: %v", err)
	}
	if err := w.s.IssueActivationCode(w.ctx, w.sam, u.ID, []byte("fourth")); records.ErrorCode(err) != records.ECONFLICT {
		t.Errorf("a code for an activated account: %v", err)
	}
	if n := countRows(t, db, "activation_codes"); n != 0 {
		t.Errorf("%d codes kept after activation", n)
	}
}
