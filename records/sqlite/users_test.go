package sqlite_test

import (
	"testing"

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
