package sqlite_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// TestClientOutline: the narrow read for forms returns the client's name,
// open trajectories and contacts, and no note or entry; it is recorded as its
// own kind, naming the trajectories whose goals it returns and no note; off
// the caseload it is refused with a denied record.
func TestClientOutline(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	n := w.note(t, w.sam, "Talked about the rent arrears.", records.VisibilityShared, "")
	closed, err := w.s.CreateTrajectory(w.ctx, w.sam, w.c.ID, records.NewTrajectory{Goal: "Debt counselling"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.CloseTrajectory(w.ctx, w.sam, closed.ID); err != nil {
		t.Fatal(err)
	}
	chat, err := w.s.CreateContact(w.ctx, w.sam, w.c.ID, records.NewContact{TrajectoryID: w.tr.ID, Channel: records.ChannelChat,
		OccurredAt: w.now().Add(-time.Hour), DurationMinutes: 10, FollowUpOf: w.visit.ID})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		before := maxSeq(t, db)
		o, err := w.s.ClientOutline(w.ctx, w.sam, records.PurposeCare, w.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.ClientID != w.c.ID || o.Name != "Noor Jansen" {
			t.Errorf("header %q %q", o.ClientID, o.Name)
		}
		if len(o.Trajectories) != 1 || o.Trajectories[0].ID != w.tr.ID || o.Trajectories[0].Goal != "Stable housing" ||
			!o.Trajectories[0].OpenedAt.Equal(w.tr.OpenedAt) {
			t.Errorf("open trajectories %+v, want only %s", o.Trajectories, w.tr.ID)
		}
		if len(o.Contacts) != 2 || o.Contacts[0].ID != w.visit.ID || o.Contacts[1].ID != chat.ID ||
			o.Contacts[1].FollowUpOf != w.visit.ID || o.Contacts[1].Channel != records.ChannelChat ||
			o.Contacts[0].TrajectoryID != w.tr.ID {
			t.Errorf("contacts %+v", o.Contacts)
		}
		got := accessRowsAfter(t, db, before)
		if len(got) != 1 {
			t.Fatalf("%d access records, want 1: %+v", len(got), got)
		}
		r := got[0]
		if r.RecordKind != "outline" || r.Action != "read" || r.Outcome != "ok" || r.Rule != "caseload" ||
			r.Purpose != "care" || r.ClientID != w.c.ID || r.RecordIDs != w.tr.ID {
			t.Errorf("record %+v", r)
		}
		if strings.Contains(r.RecordIDs, n.ID) {
			t.Errorf("the outline's record names note %s", n.ID)
		}
	})
	t.Run("ErrOffCaseload", func(t *testing.T) {
		before := maxSeq(t, db)
		o, err := w.s.ClientOutline(w.ctx, w.olga, records.PurposeCare, w.c.ID)
		if records.ErrorCode(err) != records.EFORBIDDEN || o != nil {
			t.Fatalf("got outline %t, %v; want EFORBIDDEN", o != nil, err)
		}
		got := accessRowsAfter(t, db, before)
		if len(got) != 1 || got[0].RecordKind != "outline" || got[0].Outcome != "denied" || got[0].Rule != "none" {
			t.Fatalf("records %+v", got)
		}
	})
	t.Run("ErrDestroyed", func(t *testing.T) {
		if err := w.s.ShredClient(w.ctx, records.System(), records.PurposeErasure, w.c.ID); err != nil {
			t.Fatal(err)
		}
		o, err := w.s.ClientOutline(w.ctx, w.sam, records.PurposeCare, w.c.ID)
		if records.ErrorCode(err) != records.EDESTROYED || o != nil {
			t.Fatalf("got outline %t, %v; want EDESTROYED", o != nil, err)
		}
	})
}
