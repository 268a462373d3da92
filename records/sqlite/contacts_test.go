package sqlite_test

import (
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// TestCreateContactValidation: bad input changes nothing, for contacts. The follow-up
// link may point only to an earlier contact of the same client; bad input gets
// an EINVALID error naming the field, and changes nothing: no contact, no
// access record.
func TestCreateContactValidation(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	// D is on olga's caseload, with a contact of its own.
	trD, err := w.s.CreateTrajectory(w.ctx, w.olga, w.d.ID, records.NewTrajectory{Goal: "Debt relief"})
	if err != nil {
		t.Fatal(err)
	}
	contactD, err := w.s.CreateContact(w.ctx, w.olga, w.d.ID, records.NewContact{TrajectoryID: trD.ID,
		Channel: records.ChannelOffice, OccurredAt: w.now().Add(-3 * time.Hour), DurationMinutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	// The home visit (w.visit) was two hours ago; a later one is in an hour.
	later, err := w.s.CreateContact(w.ctx, w.sam, w.c.ID, records.NewContact{TrajectoryID: w.tr.ID,
		Channel: records.ChannelOutreach, OccurredAt: w.now().Add(time.Hour), DurationMinutes: 20})
	if err != nil {
		t.Fatal(err)
	}
	base := records.NewContact{TrajectoryID: w.tr.ID, Channel: records.ChannelChat, OccurredAt: w.now(), DurationMinutes: 15}
	with := func(f func(*records.NewContact)) records.NewContact { in := base; f(&in); return in }
	tests := []struct {
		name  string
		in    records.NewContact
		field string // "" when the contact is accepted
	}{
		{"OK", with(func(in *records.NewContact) {}), ""},
		{"FollowUpOfEarlierContact", with(func(in *records.NewContact) { in.FollowUpOf = w.visit.ID }), ""},
		{"FollowUpOfOtherClientsContact", with(func(in *records.NewContact) { in.FollowUpOf = contactD.ID }), "follow_up_of"},
		{"FollowUpOfLaterContact", with(func(in *records.NewContact) { in.FollowUpOf = later.ID }), "follow_up_of"},
		{"FollowUpOfUnknownContact", with(func(in *records.NewContact) { in.FollowUpOf = "0190a000-0000-7000-8000-000000000000" }), "follow_up_of"},
		{"TrajectoryOfOtherClient", with(func(in *records.NewContact) { in.TrajectoryID = trD.ID }), "trajectory_id"},
		{"NoTrajectory", with(func(in *records.NewContact) { in.TrajectoryID = "" }), "trajectory_id"},
		{"UnknownChannel", with(func(in *records.NewContact) { in.Channel = "fax" }), "channel"},
		{"NoTime", with(func(in *records.NewContact) { in.OccurredAt = time.Time{} }), "occurred_at"},
		{"NegativeDuration", with(func(in *records.NewContact) { in.DurationMinutes = -1 }), "duration_minutes"},
		{"LongerThanADay", with(func(in *records.NewContact) { in.DurationMinutes = 24*60 + 1 }), "duration_minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			contacts, records0 := countRows(t, db, "contacts"), maxSeq(t, db)
			c, err := w.s.CreateContact(w.ctx, w.sam, w.c.ID, tt.in)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if n := countRows(t, db, "contacts"); n != contacts+1 || c.FollowUpOf != tt.in.FollowUpOf {
					t.Errorf("contacts %d -> %d, follow-up %q", contacts, n, c.FollowUpOf)
				}
				if got := accessRowsAfter(t, db, records0); len(got) != 1 || got[0].Action != "create" || got[0].RecordIDs != c.ID {
					t.Errorf("records %+v", got)
				}
				return
			}
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != tt.field || c != nil {
				t.Fatalf("got %v (field %q), want EINVALID on %s", err, records.ErrorField(err), tt.field)
			}
			if n := countRows(t, db, "contacts"); n != contacts {
				t.Errorf("contacts %d -> %d: refused input was written", contacts, n)
			}
			if n := maxSeq(t, db); n != records0 {
				t.Errorf("access log %d -> %d: refused input left records", records0, n)
			}
		})
	}
}

// TestContactConsentFlag: an online contact without consent for its channel is
// kept and flagged, on the contact and on the caseload; face-to-face is not.
func TestContactConsentFlag(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		ch      records.Channel
		flagged bool
	}{
		{records.ChannelOffice, false}, {records.ChannelHomeVisit, false}, {records.ChannelOutreach, false},
		{records.ChannelVideo, true}, {records.ChannelPhone, true}, {records.ChannelChat, true},
		{records.ChannelEmail, true}, {records.ChannelMessaging, true}, {records.ChannelEHealthModule, true},
	}
	flagged := 0
	for _, tt := range tests {
		c, err := w.s.CreateContact(w.ctx, w.sam, w.c.ID, records.NewContact{TrajectoryID: w.tr.ID, Channel: tt.ch,
			OccurredAt: w.now().Add(-time.Minute), DurationMinutes: 5})
		if err != nil {
			t.Fatal(err)
		}
		if c.ConsentMissing != tt.flagged {
			t.Errorf("%s: ConsentMissing %v", tt.ch, c.ConsentMissing)
		}
		if tt.flagged {
			flagged++
		}
	}
	cl, err := w.s.Caseload(w.ctx, w.sam)
	if err != nil {
		t.Fatal(err)
	}
	if len(cl) != 1 || cl[0].ConsentMissing != flagged {
		t.Errorf("caseload %+v, want %d flagged", cl, flagged)
	}
}
