package sqlite_test

import (
	"strings"
	"testing"

	"github.com/nabij/nabij/records"
)

// TestAccessRules checks that professionals read only clients on their caseload
// (or under break the glass) and that every read leaves its access record,
// for every kind of reader of client C's file: who is let in under which rule,
// and that each read and each refusal leaves exactly one access record saying
// who, which role, which client, what, why, under which rule, and the outcome.
func TestAccessRules(t *testing.T) {
	w := newWorld(t)
	shared := w.note(t, w.sam, "Talked about the rent arrears.", records.VisibilityShared, "")
	restricted := w.note(t, w.sam, "Neighbour reported shouting.", records.VisibilityRestricted, "third-party information")
	personal := w.note(t, w.sam, "Check the debt counsellor's letter.", records.VisibilityPersonal, "")
	db := w.raw(t)

	all := []string{shared.ID, restricted.ID, personal.ID}
	inFile := []string{shared.ID, restricted.ID} // without sam's personal note
	tests := []struct {
		name    string
		actor   records.Actor
		purpose records.Purpose
		// want: the rule that allows it, RuleNone when refused.
		rule        records.Rule
		wantPurpose records.Purpose // as recorded
		grant       bool            // the record names the break-the-glass grant
		notes       []string        // the note ids the file returns (and the record lists)
	}{
		{"CaseloadProfessional", w.sam, records.PurposeCare, records.RuleCaseload, records.PurposeCare, false, all},
		{"TeamMember", w.tess, records.PurposeCare, records.RuleTeamCaseload, records.PurposeCare, false, inFile},
		{"OtherProfessional", w.olga, records.PurposeCare, records.RuleNone, records.PurposeCare, false, nil},
		// Emergency access is recorded as such, whatever purpose the caller gave.
		{"BreakGlass", w.bram, records.PurposeCare, records.RuleBreakGlass, records.PurposeBreakGlass, true, inFile},
		{"ClientSelf", w.self, records.PurposeOwnFile, records.RuleOwnFile, records.PurposeOwnFile, false, inFile},
		{"OtherClient", w.other, records.PurposeOwnFile, records.RuleNone, records.PurposeOwnFile, false, nil},
		{"DataOfficer", w.dpo, records.PurposeAudit, records.RuleNone, records.PurposeAudit, false, nil},
		{"Admin", w.adm, records.PurposeCare, records.RuleNone, records.PurposeCare, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allowed := tt.rule != records.RuleNone
			wantOutcome, wantIDs := "ok", strings.Join(tt.notes, ",")
			if !allowed {
				wantOutcome = "denied"
			}
			check := func(t *testing.T, before int64, kind, ids string) {
				t.Helper()
				got := accessRowsAfter(t, db, before)
				if len(got) != 1 {
					t.Fatalf("%d new access records, want exactly 1: %+v", len(got), got)
				}
				r := got[0]
				want := accessRow{Seq: r.Seq, ActorID: tt.actor.UserID, ActorRole: string(tt.actor.Role), ClientID: w.c.ID,
					RecordKind: kind, RecordIDs: ids, Action: "read", Purpose: string(tt.wantPurpose), Rule: string(tt.rule),
					Outcome: wantOutcome}
				if tt.grant {
					want.GrantID = w.grant.ID
				}
				if r != want {
					t.Errorf("access record\n got %+v\nwant %+v", r, want)
				}
			}

			t.Run("ClientFile", func(t *testing.T) {
				before := maxSeq(t, db)
				f, err := w.s.ClientFile(w.ctx, tt.actor, tt.purpose, w.c.ID)
				if !allowed {
					if records.ErrorCode(err) != records.EFORBIDDEN || f != nil {
						t.Fatalf("got file %t, %v; want EFORBIDDEN and no file", f != nil, err)
					}
					check(t, before, "file", "")
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, n := range f.Notes {
					got = append(got, n.ID)
				}
				if strings.Join(got, ",") != wantIDs {
					t.Errorf("notes %v, want %v", got, tt.notes)
				}
				if f.Rule != tt.rule || f.Client.Name != "Noor Jansen" {
					t.Errorf("rule %q name %q", f.Rule, f.Client.Name)
				}
				// The record lists exactly the notes whose content (or existence) was returned.
				check(t, before, "file", wantIDs)
			})
			t.Run("Client", func(t *testing.T) {
				before := maxSeq(t, db)
				c, err := w.s.Client(w.ctx, tt.actor, tt.purpose, w.c.ID)
				if !allowed {
					if records.ErrorCode(err) != records.EFORBIDDEN || c != nil {
						t.Fatalf("got client %t, %v; want EFORBIDDEN and no client", c != nil, err)
					}
					check(t, before, "client", "")
					return
				}
				if err != nil || c.Name != "Noor Jansen" || c.BirthDate != "1990-04-30" {
					t.Fatalf("got %+v, %v", c, err)
				}
				check(t, before, "client", w.c.ID)
			})
		})
	}
}

// TestUnknownClientDenied: a client id that does not exist is refused like one
// the actor may not see (so ids cannot be probed), with a denied record, even
// for an actor whose rule does not depend on a caseload row.
func TestUnknownClientDenied(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	const unknown = "0190a000-0000-7000-8000-000000000000"
	tests := []struct {
		name  string
		actor records.Actor
	}{
		{"Professional", w.sam},
		{"ClientAccountOfUnknownID", records.Actor{UserID: w.self.UserID, Role: records.RoleClient, ClientID: unknown}},
		{"System", records.System()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := maxSeq(t, db)
			f, err := w.s.ClientFile(w.ctx, tt.actor, records.PurposeCare, unknown)
			if records.ErrorCode(err) != records.EFORBIDDEN || f != nil {
				t.Fatalf("got file %t, %v; want EFORBIDDEN", f != nil, err)
			}
			got := accessRowsAfter(t, db, before)
			if len(got) != 1 || got[0].Outcome != "denied" || got[0].Rule != "none" || got[0].ClientID != unknown {
				t.Fatalf("records %+v", got)
			}
		})
	}
}

// TestForgedSystemActor: an Actor built outside package records with user id
// and role "system" is not nabij itself. It reads no file, writes no note,
// shreds nothing and lists no accounts; each refusal that reaches the store's
// rules leaves a denied record.
func TestForgedSystemActor(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	forged := records.Actor{UserID: "system", Role: "system"}
	t.Run("ClientFile", func(t *testing.T) {
		before := maxSeq(t, db)
		f, err := w.s.ClientFile(w.ctx, forged, records.PurposeCare, w.c.ID)
		if records.ErrorCode(err) != records.EFORBIDDEN || f != nil {
			t.Fatalf("got file %t, %v; want EFORBIDDEN", f != nil, err)
		}
		got := accessRowsAfter(t, db, before)
		if len(got) != 1 || got[0].Outcome != "denied" || got[0].Rule != "none" {
			t.Fatalf("records %+v", got)
		}
	})
	t.Run("CreateNote", func(t *testing.T) {
		_, err := w.s.CreateNote(w.ctx, forged, w.c.ID, records.NewNote{TrajectoryID: w.tr.ID, Body: "x", Visibility: records.VisibilityShared})
		if records.ErrorCode(err) != records.EFORBIDDEN {
			t.Fatalf("got %v, want EFORBIDDEN", err)
		}
	})
	t.Run("ShredClient", func(t *testing.T) {
		if err := w.s.ShredClient(w.ctx, forged, records.PurposeErasure, w.c.ID); records.ErrorCode(err) != records.EFORBIDDEN {
			t.Fatalf("got %v, want EFORBIDDEN", err)
		}
		if _, err := w.s.Client(w.ctx, w.sam, records.PurposeCare, w.c.ID); err != nil {
			t.Fatalf("the client's data is gone after a forged shred: %v", err)
		}
	})
	t.Run("Users", func(t *testing.T) {
		if _, err := w.s.Users(w.ctx, forged); records.ErrorCode(err) != records.EFORBIDDEN {
			t.Fatalf("got %v, want EFORBIDDEN", err)
		}
	})
}
