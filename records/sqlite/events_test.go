package sqlite_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// adminEventCase is one administrative or security change: what it does, the
// one access record it must write, and a snapshot of what it changes, so that
// a change whose record cannot be written is seen to have left nothing.
type adminEventCase struct {
	name string
	// setup runs first (its records are not counted); call makes the change and
	// returns the record ids expected.
	setup  func(t *testing.T, w *world)
	call   func(t *testing.T, w *world) ([]string, error)
	actor  func(w *world) string
	client func(w *world) string
	kind   string
	action records.Action
	rule   records.Rule
	// outcome of the record written; ok unless set.
	outcome records.Outcome
	// state is what the change changes, as text; "" when it changes nothing
	// but the log (a sign-in).
	state func(t *testing.T, db *sql.DB, w *world) string
}

func snapshot(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	return strings.Join(out, "\n")
}

func adminEventCases() []adminEventCase {
	admin := func(w *world) string { return w.adm.UserID }
	dpo := func(w *world) string { return w.dpo.UserID }
	none := func(*world) string { return "" }
	noor := func(w *world) string { return w.c.ID }
	daan := func(w *world) string { return w.d.ID }
	users := func(t *testing.T, db *sql.DB, _ *world) string {
		return snapshot(t, db, `SELECT id, username, role, disabled, password_hash, totp_enabled, totp_sealed IS NULL FROM users ORDER BY id`)
	}
	teams := func(t *testing.T, db *sql.DB, _ *world) string {
		return snapshot(t, db, `SELECT t.id, t.name, m.user_id FROM teams t LEFT JOIN team_members m ON m.team_id = t.id ORDER BY 1, 3`)
	}
	caseload := func(t *testing.T, db *sql.DB, _ *world) string {
		return snapshot(t, db, `SELECT id, client_id, user_id, team_id, to_at FROM caseload ORDER BY id`)
	}
	holds := func(t *testing.T, db *sql.DB, _ *world) string {
		return snapshot(t, db, `SELECT id, released_at FROM legal_holds ORDER BY id`)
	}
	var teamID, assignmentID, holdID string
	return []adminEventCase{
		{name: "CreateStaffAccount", kind: records.KindAccount, action: records.ActionCreate, rule: records.RuleAdmin,
			actor: admin, client: none, state: users,
			call: func(t *testing.T, w *world) ([]string, error) {
				u, err := w.s.CreateUser(w.ctx, w.adm, records.NewUser{Username: "stand-in", Role: records.RoleProfessional, ActivationCodeHash: []byte("code hash")})
				if err != nil {
					return nil, err
				}
				return []string{u.ID}, nil
			}},
		{name: "CreateClientAccountByNabij", kind: records.KindAccount, action: records.ActionCreate, rule: records.RuleSystem,
			actor: func(*world) string { return "system" }, client: func(w *world) string { return w.self.ClientID },
			setup: func(t *testing.T, w *world) {
				if _, err := w.raw(t).Exec(`DELETE FROM users WHERE id = ?`, w.self.UserID); err != nil {
					t.Fatal(err)
				}
			},
			state: users,
			call: func(t *testing.T, w *world) ([]string, error) {
				u, err := w.s.CreateUser(w.ctx, records.System(), records.NewUser{Username: "noor2", Role: records.RoleClient, ClientID: w.c.ID, PasswordHash: "$argon2id$x"})
				if err != nil {
					return nil, err
				}
				return []string{u.ID}, nil
			}},
		{name: "DisableStaffAccount", kind: records.KindAccount, action: records.ActionRevoke, rule: records.RuleAdmin,
			actor: admin, client: none, state: users,
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{w.tess.UserID}, w.s.SetUserDisabled(w.ctx, w.adm, w.tess.UserID, true)
			}},
		{name: "DisableClientAccount", kind: records.KindAccount, action: records.ActionRevoke, rule: records.RuleAdmin,
			actor: admin, client: noor, state: users,
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{w.self.UserID}, w.s.SetUserDisabled(w.ctx, w.adm, w.self.UserID, true)
			}},
		{name: "EnableAccount", kind: records.KindAccount, action: records.ActionChange, rule: records.RuleAdmin,
			actor: admin, client: none, state: users,
			setup: func(t *testing.T, w *world) {
				if err := w.s.SetUserDisabled(w.ctx, w.adm, w.tess.UserID, true); err != nil {
					t.Fatal(err)
				}
			},
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{w.tess.UserID}, w.s.SetUserDisabled(w.ctx, w.adm, w.tess.UserID, false)
			}},
		{name: "SetPasswordOfClient", kind: records.KindPassword, action: records.ActionChange, rule: records.RuleOwnAccount,
			actor: func(w *world) string { return w.self.UserID }, client: noor, state: users,
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{w.self.UserID}, w.s.SetPasswordHash(w.ctx, w.self.UserID, "$argon2id$new")
			}},
		{name: "SignInClient", kind: records.KindSession, action: records.ActionSignIn, rule: records.RuleOwnAccount,
			actor: func(w *world) string { return w.self.UserID }, client: noor,
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{w.self.UserID}, w.s.RecordSignIn(w.ctx, w.self.UserID, true, "192.0.2.7")
			}},
		{name: "SignInFailedStaff", kind: records.KindSession, action: records.ActionSignIn, rule: records.RuleNone, outcome: records.OutcomeDenied,
			actor: func(w *world) string { return w.sam.UserID }, client: none,
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{w.sam.UserID}, w.s.RecordSignIn(w.ctx, w.sam.UserID, false, "192.0.2.7")
			}},
		{name: "EnrolTOTP", kind: records.KindTOTP, action: records.ActionChange, rule: records.RuleOwnAccount,
			actor: func(w *world) string { return w.sam.UserID }, client: none, state: users,
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{w.sam.UserID}, w.s.SetTOTP(w.ctx, w.sam.UserID, "JBSWY3DPEHPK3PXP", true)
			}},
		{name: "CreateTeam", kind: records.KindTeam, action: records.ActionCreate, rule: records.RuleAdmin,
			actor: admin, client: none, state: teams,
			call: func(t *testing.T, w *world) ([]string, error) {
				tm, err := w.s.CreateTeam(w.ctx, w.adm, "Team Zuid")
				if err != nil {
					return nil, err
				}
				return []string{tm.ID}, nil
			}},
		{name: "AddTeamMember", kind: records.KindTeam, action: records.ActionGrant, rule: records.RuleAdmin,
			actor: admin, client: none, state: teams,
			setup: func(t *testing.T, w *world) {
				tm, err := w.s.CreateTeam(w.ctx, w.adm, "Team Zuid")
				if err != nil {
					t.Fatal(err)
				}
				teamID = tm.ID
			},
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{teamID, w.olga.UserID}, w.s.AddTeamMember(w.ctx, w.adm, teamID, w.olga.UserID)
			}},
		{name: "Assign", kind: records.KindCaseload, action: records.ActionGrant, rule: records.RuleAdmin,
			actor: admin, client: daan, state: caseload,
			call: func(t *testing.T, w *world) ([]string, error) {
				as, err := w.s.Assign(w.ctx, w.adm, w.d.ID, w.tess.UserID, "")
				if err != nil {
					return nil, err
				}
				return []string{as.ID, w.tess.UserID}, nil
			}},
		{name: "EndAssignment", kind: records.KindCaseload, action: records.ActionRevoke, rule: records.RuleAdmin,
			actor: admin, client: daan, state: caseload,
			setup: func(t *testing.T, w *world) {
				as, err := w.s.Assign(w.ctx, w.adm, w.d.ID, w.tess.UserID, "")
				if err != nil {
					t.Fatal(err)
				}
				assignmentID = as.ID
			},
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{assignmentID, w.tess.UserID}, w.s.EndAssignment(w.ctx, w.adm, assignmentID)
			}},
		{name: "SetRetentionRules", kind: records.KindRetentionRules, action: records.ActionChange, rule: records.RuleAudit,
			actor: dpo, client: none,
			state: func(t *testing.T, db *sql.DB, _ *world) string {
				return snapshot(t, db, `SELECT kind, years, days FROM retention_rules ORDER BY kind`)
			},
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{records.KindContact}, w.s.SetRetentionRules(w.ctx, w.dpo, []records.RetentionRule{{Kind: records.KindContact,
					Basis: records.BasisAfterClose, Years: 20, Action: records.ActionDestroyRows, Source: "test"}})
			}},
		{name: "PlaceLegalHold", kind: records.KindLegalHold, action: records.ActionCreate, rule: records.RuleAudit,
			actor: dpo, client: noor, state: holds,
			call: func(t *testing.T, w *world) ([]string, error) {
				h, err := w.s.PlaceLegalHold(w.ctx, w.dpo, w.c.ID, "", "court order in a custody case")
				if err != nil {
					return nil, err
				}
				return []string{h.ID}, nil
			}},
		{name: "LiftLegalHold", kind: records.KindLegalHold, action: records.ActionCorrect, rule: records.RuleAudit,
			actor: dpo, client: noor, state: holds,
			setup: func(t *testing.T, w *world) {
				h, err := w.s.PlaceLegalHold(w.ctx, w.dpo, w.c.ID, "", "court order in a custody case")
				if err != nil {
					t.Fatal(err)
				}
				holdID = h.ID
			},
			call: func(t *testing.T, w *world) ([]string, error) {
				return []string{holdID}, w.s.ReleaseLegalHold(w.ctx, w.dpo, holdID)
			}},
	}
}

// TestAdminEventsRecorded: each administrative and security change writes
// exactly one access record, of its kind and action, on the client concerned
// (or none), by its actor, with ids only — and the chain still verifies.
func TestAdminEventsRecorded(t *testing.T) {
	for _, tt := range adminEventCases() {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if tt.setup != nil {
				tt.setup(t, w)
			}
			db := w.raw(t)
			before := maxSeq(t, db)
			ids, err := tt.call(t, w)
			if err != nil {
				t.Fatal(err)
			}
			recs := accessRowsAfter(t, db, before)
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1: %+v", len(recs), recs)
			}
			r := recs[0]
			outcome := tt.outcome
			if outcome == "" {
				outcome = records.OutcomeOK
			}
			want := accessRow{Seq: r.Seq, ActorID: tt.actor(w), ActorRole: r.ActorRole, ClientID: tt.client(w), RecordKind: tt.kind,
				RecordIDs: strings.Join(ids, ","), Action: string(tt.action), Purpose: r.Purpose, Rule: string(tt.rule), Outcome: string(outcome)}
			if r != want {
				t.Errorf("record\n got %+v\nwant %+v", r, want)
			}
			if p := records.Purpose(r.Purpose); p != records.PurposeAdministration && p != records.PurposeSecurity && p != records.PurposeRetention {
				t.Errorf("purpose %q", p)
			}
			mustVerifyOK(t, w.s)
		})
	}
}

// TestAdminEventsFailClosed: when the access record of a change cannot be
// written, the change does not happen and the caller gets an error.
func TestAdminEventsFailClosed(t *testing.T) {
	for _, tt := range adminEventCases() {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if tt.setup != nil {
				tt.setup(t, w)
			}
			db := w.raw(t)
			refuseInserts(t, db, "test_block_access_log", "access_log", "disk says no")
			var state string
			if tt.state != nil {
				state = tt.state(t, db, w)
			}
			logged := countRows(t, db, "access_log")
			if _, err := tt.call(t, w); err == nil {
				t.Fatal("the change succeeded without its record")
			}
			if tt.state != nil {
				if got := tt.state(t, db, w); got != state {
					t.Errorf("changed without its record:\nbefore %s\nafter  %s", state, got)
				}
			}
			if got := countRows(t, db, "access_log"); got != logged {
				t.Errorf("%d records, want %d", got, logged)
			}
		})
	}
}

// TestStandInAccountInStore: an admin makes a professional, puts noor on its
// caseload, and it reads her file. Noor's own view names the new account, the
// admin who gave it access, and when — without where anyone worked from —
// and the team membership that opened her file to tess; the data officer
// finds the events by kind, and the anomaly names the new account.
func TestStandInAccountInStore(t *testing.T) {
	w := newWorld(t)
	u, err := w.s.CreateUser(w.ctx, w.adm, records.NewUser{Username: "stand-in", Role: records.RoleProfessional,
		DisplayName: "Stan Inval", ActivationCodeHash: []byte("code hash")})
	if err != nil {
		t.Fatal(err)
	}
	stand := records.Actor{UserID: u.ID, Role: records.RoleProfessional, Remote: "198.51.100.9"}
	if err := w.s.RecordSignIn(w.ctx, u.ID, true, stand.Remote); err != nil {
		t.Fatal(err)
	}
	as, err := w.s.Assign(w.ctx, w.adm, w.c.ID, u.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(time.Minute)
	if _, err := w.s.ClientFile(w.ctx, stand, records.PurposeCare, w.c.ID); err != nil {
		t.Fatal(err)
	}

	views, err := w.s.ClientAccessLog(w.ctx, w.self, w.c.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var grant, team *records.AccessView
	for i, v := range views {
		if v.Remote != "" {
			t.Errorf("the client sees an address: %+v", v)
		}
		switch {
		case v.RecordKind == records.KindCaseload && v.Action == records.ActionGrant && len(v.RecordIDs) == 2 && v.RecordIDs[0] == as.ID:
			grant = &views[i]
		case v.RecordKind == records.KindTeam && v.Action == records.ActionGrant:
			team = &views[i]
		}
	}
	if grant == nil {
		t.Fatalf("noor does not see the assignment: %+v", views)
	}
	if grant.ActorID != w.adm.UserID || grant.ActorUsername != "admin" || grant.SubjectUsername != "stand-in" ||
		grant.SubjectName != "Stan Inval" || grant.At.IsZero() {
		t.Errorf("assignment as noor sees it: %+v", grant)
	}
	if team == nil || team.SubjectUsername != "tess" || team.TeamName != "Wijkteam Noord" || team.ClientID != "" {
		t.Errorf("team membership as noor sees it: %+v", team)
	}
	// Daan's view has neither: the team does not hold his caseload.
	other, err := w.s.ClientAccessLog(w.ctx, w.other, w.d.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range other {
		if v.RecordKind == records.KindTeam || v.ClientID != w.d.ID {
			t.Errorf("daan sees %+v", v)
		}
	}

	for _, kind := range []string{records.KindAccount, records.KindCaseload, records.KindSession} {
		got, err := w.s.AccessLog(w.ctx, w.dpo, records.AccessFilter{Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, v := range got {
			if v.RecordKind != kind {
				t.Errorf("filter %s returned %s", kind, v.RecordKind)
			}
			if strings.Contains(strings.Join(v.RecordIDs, ","), u.ID) {
				found = true
			}
		}
		if !found {
			t.Errorf("the data officer finds no %s record of the new account", kind)
		}
	}
	if _, err := w.s.AccessLog(w.ctx, w.dpo, records.AccessFilter{Kind: "file' OR 1=1 --"}); records.ErrorCode(err) != records.EINVALID {
		t.Errorf("bad kind: %v", err)
	}
	if got, err := w.s.AccessLog(w.ctx, w.dpo, records.AccessFilter{Action: records.ActionGrant}); err != nil || len(got) == 0 {
		t.Errorf("action grant: %d, %v", len(got), err)
	}

	anomalies, err := w.s.Anomalies(w.ctx, w.dpo, w.now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var flagged []records.Anomaly
	for _, an := range anomalies {
		if an.Kind == "new_account_access" {
			flagged = append(flagged, an)
		}
	}
	if len(flagged) != 1 || flagged[0].ActorID != u.ID || flagged[0].ActorUsername != "stand-in" || flagged[0].ClientID != w.c.ID ||
		len(flagged[0].RecordIDs) != 1 || flagged[0].RecordIDs[0] != as.ID || flagged[0].At.IsZero() {
		t.Errorf("anomalies %+v", flagged)
	}
}

// TestNewAccountAnomalyNeedsYoungAccountAndRead: an assignment to an account
// older than NewAccountAge, or one never followed by a read, is ordinary.
func TestNewAccountAnomalyNeedsYoungAccountAndRead(t *testing.T) {
	w := newWorld(t)
	w.clock.Advance(records.NewAccountAge + time.Hour)
	// olga's account is older than a week: her new assignment is ordinary.
	if _, err := w.s.Assign(w.ctx, w.adm, w.c.ID, w.olga.UserID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ClientFile(w.ctx, w.olga, records.PurposeCare, w.c.ID); err != nil {
		t.Fatal(err)
	}
	// A new account given daan's caseload, which never reads: ordinary too.
	fresh := mustCreateUser(t, w.s, "fresh", records.RoleProfessional, "")
	if _, err := w.s.Assign(w.ctx, w.adm, w.d.ID, fresh.UserID, ""); err != nil {
		t.Fatal(err)
	}
	anomalies, err := w.s.Anomalies(w.ctx, w.dpo, w.now().Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, an := range anomalies {
		if an.Kind == "new_account_access" {
			t.Errorf("flagged %+v", an)
		}
	}
}
