package sqlite_test

import (
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// TestBreakGlassExpires: emergency access lasts BreakGlassDuration from the
// grant and not a millisecond longer; after that the professional is refused
// (with a denied record) like anyone without a rule.
func TestBreakGlassExpires(t *testing.T) {
	tests := []struct {
		name    string
		after   time.Duration // since the grant
		allowed bool
	}{
		{"JustGranted", 0, true},
		{"LastMillisecond", records.BreakGlassDuration - time.Millisecond, true},
		{"Expired", records.BreakGlassDuration, false},
		{"LongAfter", 48 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			db := w.raw(t)
			if !w.grant.ExpiresAt.Equal(w.grant.GrantedAt.Add(records.BreakGlassDuration)) {
				t.Fatalf("grant %v..%v", w.grant.GrantedAt, w.grant.ExpiresAt)
			}
			w.clock.Advance(tt.after)
			before := maxSeq(t, db)
			f, err := w.s.ClientFile(w.ctx, w.bram, records.PurposeCare, w.c.ID)
			got := accessRowsAfter(t, db, before)
			if len(got) != 1 {
				t.Fatalf("%d records", len(got))
			}
			if tt.allowed {
				if err != nil || f.Rule != records.RuleBreakGlass {
					t.Fatalf("got %v", err)
				}
				if got[0].Rule != "break_glass" || got[0].GrantID != w.grant.ID || got[0].Outcome != "ok" {
					t.Errorf("record %+v", got[0])
				}
				return
			}
			if records.ErrorCode(err) != records.EFORBIDDEN || f != nil {
				t.Fatalf("got file %t, %v; want EFORBIDDEN", f != nil, err)
			}
			if got[0].Rule != "none" || got[0].Outcome != "denied" || got[0].GrantID != "" {
				t.Errorf("record %+v", got[0])
			}
		})
	}
}

// TestBreakGlassRules: a reason is required; only professionals break the glass;
// a client on the caseload needs no emergency access; and the client sees the
// emergency access in their own access log.
func TestBreakGlassRules(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	tests := []struct {
		name   string
		actor  records.Actor
		client string
		reason string
		code   string
		field  string
		denied bool // a denied record is written
	}{
		{"NoReason", w.olga, w.c.ID, "", records.EINVALID, "reason", false},
		{"ShortReason", w.olga, w.c.ID, "urgent", records.EINVALID, "reason", false},
		{"DataOfficer", w.dpo, w.c.ID, "need to see this file now", records.EFORBIDDEN, "", true},
		{"Client", w.other, w.c.ID, "need to see this file now", records.EFORBIDDEN, "", true},
		{"UnknownClient", w.olga, "0190a000-0000-7000-8000-000000000000", "need to see this file now", records.EFORBIDDEN, "", true},
		{"OnCaseload", w.sam, w.c.ID, "need to see this file now", records.ECONFLICT, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := maxSeq(t, db)
			grants := countRows(t, db, "break_glass")
			g, err := w.s.BreakGlass(w.ctx, tt.actor, tt.client, tt.reason)
			if records.ErrorCode(err) != tt.code || records.ErrorField(err) != tt.field || g != nil {
				t.Fatalf("got %v (field %q)", err, records.ErrorField(err))
			}
			if n := countRows(t, db, "break_glass"); n != grants {
				t.Errorf("grants %d -> %d", grants, n)
			}
			got := accessRowsAfter(t, db, before)
			if tt.denied != (len(got) == 1) || len(got) > 1 || (tt.denied && got[0].Outcome != "denied") {
				t.Errorf("records %+v", got)
			}
		})
	}
	t.Run("FlaggedToDataOfficer", func(t *testing.T) {
		log, err := w.s.AccessLog(w.ctx, w.dpo, records.AccessFilter{Rule: records.RuleBreakGlass})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) == 0 {
			t.Fatal("the data officer sees no emergency access")
		}
		for _, r := range log {
			if !r.BreakGlass() || r.ActorID != w.bram.UserID || r.ActorUsername != "bram" || r.ClientID != w.c.ID {
				t.Errorf("record %+v", r)
			}
		}
	})
	t.Run("ShownToClient", func(t *testing.T) {
		if _, err := w.s.ClientFile(w.ctx, w.bram, records.PurposeCare, w.c.ID); err != nil {
			t.Fatal(err)
		}
		log, err := w.s.ClientAccessLog(w.ctx, w.self, w.c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var grant, read bool
		for _, r := range log {
			if r.ActorID == w.bram.UserID && r.BreakGlass() && r.GrantID == w.grant.ID {
				grant = grant || r.RecordKind == "break_glass"
				read = read || (r.RecordKind == "file" && r.Action == records.ActionRead)
				// The client sees why, and until when.
				if r.BreakGlassReason != w.grant.Reason || r.BreakGlassExpires == nil || !r.BreakGlassExpires.Equal(w.grant.ExpiresAt) {
					t.Errorf("record %d shows reason %q until %v, want %q until %v", r.Seq, r.BreakGlassReason, r.BreakGlassExpires, w.grant.Reason, w.grant.ExpiresAt)
				}
			} else if r.BreakGlassReason != "" {
				t.Errorf("record %d (rule %s) carries a break-glass reason", r.Seq, r.Rule)
			}
		}
		if !grant || !read {
			t.Errorf("client's log shows the grant %v and the read %v: %+v", grant, read, log)
		}
	})
	t.Run("ReasonToDataOfficerRecorded", func(t *testing.T) {
		db := w.raw(t)
		before := maxSeq(t, db)
		list, err := w.s.Anomalies(w.ctx, w.dpo, w.now().Add(-24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, an := range list {
			if an.Kind == "break_glass" && an.ClientID == w.c.ID {
				found = true
				if an.Reason != w.grant.Reason || an.ExpiresAt == nil {
					t.Errorf("anomaly %+v, want reason %q", an, w.grant.Reason)
				}
			}
		}
		if !found {
			t.Fatal("no break-glass anomaly")
		}
		// Opening the reason is a read of the client's data by the data officer.
		var audit bool
		for _, r := range accessRowsAfter(t, db, before) {
			audit = audit || (r.ClientID == w.c.ID && r.RecordKind == "break_glass" && r.ActorID == w.dpo.UserID &&
				r.Rule == string(records.RuleAudit) && r.RecordIDs == w.grant.ID)
		}
		if !audit {
			t.Error("no access record for the data officer reading the reason")
		}
	})
}
