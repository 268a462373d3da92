package sqlite_test

import (
	"bytes"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// streetCounts counts what a quick log may add.
func streetCounts(tb testing.TB, db *sql.DB) [6]int {
	tb.Helper()
	return [6]int{countRows(tb, db, "clients"), countRows(tb, db, "client_keys"), countRows(tb, db, "caseload"),
		countRows(tb, db, "trajectories"), countRows(tb, db, "contacts"), countRows(tb, db, "notes")}
}

// TestQuickLog: one form, one transaction: a new client by nickname gets a
// client, a first-contact trajectory, the contact and the note, each with its
// access record; an existing client's open trajectory is used, and a client
// without one gets one; bad input and clients out of reach change nothing.
func TestQuickLog(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	base := records.QuickLog{Channel: records.ChannelOutreach, OccurredAt: w.now().Add(-10 * time.Minute), DurationMinutes: 15,
		Body: "Ontmoet bij het station, vraagt naar een slaapplek.", Visibility: records.VisibilityShared}
	with := func(f func(*records.QuickLog)) records.QuickLog { in := base; f(&in); return in }
	tests := []struct {
		name      string
		actor     records.Actor
		in        records.QuickLog
		code      string // "" when accepted
		field     string
		added     [6]int   // clients, keys, caseload rows, trajectories, contacts, notes
		kinds     []string // access records written, in order
		sameTraj  bool     // the contact goes to w.tr
		wantNote  bool
		wantFirst bool // a new "eerste contact" trajectory
	}{
		{name: "NewClientByNickname", actor: w.sam, in: with(func(in *records.QuickLog) { in.NewClientName = "  Rooie " }),
			added: [6]int{1, 1, 1, 1, 1, 1}, kinds: []string{"client", "trajectory", "contact", "note"}, wantNote: true, wantFirst: true},
		{name: "ExistingClientOpenTrajectory", actor: w.sam, in: with(func(in *records.QuickLog) { in.ClientID = w.c.ID; in.FollowUpOf = w.visit.ID }),
			added: [6]int{0, 0, 0, 0, 1, 1}, kinds: []string{"contact", "note"}, sameTraj: true, wantNote: true},
		{name: "ExistingClientWithoutTrajectory", actor: w.olga, in: with(func(in *records.QuickLog) { in.ClientID = w.d.ID; in.Body = "" }),
			added: [6]int{0, 0, 0, 1, 1, 0}, kinds: []string{"trajectory", "contact"}, wantFirst: true},
		{name: "ErrBothClientAndName", actor: w.sam, in: with(func(in *records.QuickLog) { in.ClientID = w.c.ID; in.NewClientName = "Rooie" }),
			code: records.EINVALID, field: "client_id"},
		{name: "ErrNoClient", actor: w.sam, in: base, code: records.EINVALID, field: "client_id"},
		{name: "ErrUnknownChannel", actor: w.sam, in: with(func(in *records.QuickLog) { in.NewClientName = "Rooie"; in.Channel = "fax" }),
			code: records.EINVALID, field: "channel"},
		{name: "ErrRestrictedWithoutReason", actor: w.sam, in: with(func(in *records.QuickLog) { in.NewClientName = "Rooie"; in.Visibility = records.VisibilityRestricted }),
			code: records.EINVALID, field: "restricted_reason"},
		{name: "ErrNameTooLong", actor: w.sam, in: with(func(in *records.QuickLog) { in.NewClientName = strings.Repeat("x", 101) }),
			code: records.EINVALID, field: "new_client_name"},
		{name: "ErrFollowUpOfOtherClient", actor: w.olga, in: with(func(in *records.QuickLog) { in.ClientID = w.d.ID; in.FollowUpOf = w.visit.ID }),
			code: records.EINVALID, field: "follow_up_of"},
		{name: "ErrTrajectoryOfOtherClient", actor: w.sam, in: with(func(in *records.QuickLog) { in.ClientID = w.c.ID; in.TrajectoryID = "nope" }),
			code: records.EINVALID, field: "trajectory_id"},
		{name: "ErrNotOnCaseload", actor: w.sam, in: with(func(in *records.QuickLog) { in.ClientID = w.d.ID }),
			code: records.EFORBIDDEN, kinds: []string{"contact"}},
		{name: "ErrDataOfficer", actor: w.dpo, in: with(func(in *records.QuickLog) { in.NewClientName = "Rooie" }),
			code: records.EFORBIDDEN, kinds: []string{"client"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, seq := streetCounts(t, db), maxSeq(t, db)
			res, err := w.s.QuickLog(w.ctx, tt.actor, tt.in)
			after := streetCounts(t, db)
			for i := range after {
				if after[i]-before[i] != tt.added[i] {
					t.Fatalf("added %v, want %v (err %v)", [6]int{after[0] - before[0], after[1] - before[1], after[2] - before[2],
						after[3] - before[3], after[4] - before[4], after[5] - before[5]}, tt.added, err)
				}
			}
			var kinds []string
			for _, r := range accessRowsAfter(t, db, seq) {
				kinds = append(kinds, r.RecordKind)
				if tt.code == records.EFORBIDDEN && r.Outcome != "denied" || tt.code == "" && (r.Outcome != "ok" || r.ClientID != res.ClientID) {
					t.Errorf("access record %+v", r)
				}
			}
			if !slices.Equal(kinds, tt.kinds) {
				t.Errorf("access records %v, want %v", kinds, tt.kinds)
			}
			if tt.code != "" {
				if records.ErrorCode(err) != tt.code || records.ErrorField(err) != tt.field || res != nil {
					t.Fatalf("got %v (%s, field %q), want %s on %q", err, records.ErrorCode(err), records.ErrorField(err), tt.code, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Contact == nil || res.Contact.TrajectoryID != res.TrajectoryID || (res.Note != nil) != tt.wantNote ||
				res.TrajectoryCreated != tt.wantFirst || (res.TrajectoryID == w.tr.ID) != tt.sameTraj {
				t.Fatalf("result %+v", res)
			}
			f, err := w.s.ClientFile(w.ctx, tt.actor, records.PurposeCare, res.ClientID)
			if err != nil {
				t.Fatal(err)
			}
			if res.ClientCreated && f.Client.Name != "Rooie" {
				t.Errorf("name %q", f.Client.Name)
			}
			for _, tr := range f.Trajectories {
				if tr.ID == res.TrajectoryID && tt.wantFirst && (tr.Goal != records.FirstContactGoal || tr.ClosedAt != nil) {
					t.Errorf("trajectory %+v", tr)
				}
			}
			if tt.wantNote && (len(f.Notes) == 0 || f.Notes[len(f.Notes)-1].ContactID != res.Contact.ID || f.Notes[len(f.Notes)-1].Body != base.Body) {
				t.Errorf("notes %+v", f.Notes)
			}
		})
	}
}

// TestQuickLogAllOrNothing: when the note cannot be written (a trigger makes
// the database refuse it, as a full disk would), no client, key, trajectory or
// contact is left behind, and no access record claims them.
func TestQuickLogAllOrNothing(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	refuseInserts(t, db, "refuse_note", "note_versions", "refused")
	before, seq := streetCounts(t, db), maxSeq(t, db)
	_, err := w.s.QuickLog(w.ctx, w.sam, records.QuickLog{NewClientName: "Rooie", Channel: records.ChannelOutreach,
		OccurredAt: w.now(), DurationMinutes: 5, Body: "Korte babbel.", Visibility: records.VisibilityShared})
	if records.ErrorCode(err) != records.EINTERNAL {
		t.Fatalf("err %v, want EINTERNAL", err)
	}
	if after := streetCounts(t, db); after != before {
		t.Fatalf("counts %v, want %v", after, before)
	}
	if rows := accessRowsAfter(t, db, seq); len(rows) != 0 {
		t.Fatalf("access records %+v", rows)
	}
	allowInserts(t, db, "refuse_note", "note_versions")
	if _, err := w.s.QuickLog(w.ctx, w.sam, records.QuickLog{NewClientName: "Rooie", Channel: records.ChannelOutreach,
		OccurredAt: w.now(), DurationMinutes: 5, Body: "Korte babbel.", Visibility: records.VisibilityShared}); err != nil {
		t.Fatal(err)
	}
}

// TestAnonymousContact: an outreach contact with nobody identified is kept
// without any link to a person, recorded without a client, refused with
// anything but a short place and known topics, and counted in the statistics.
func TestAnonymousContact(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	base := records.NewAnonymousContact{Channel: records.ChannelOutreach, Place: "Sint-Pietersplein", DurationMinutes: 10,
		OccurredAt: w.now().Add(-time.Hour), Topics: []records.Topic{"housing", "health", "housing"}}
	with := func(f func(*records.NewAnonymousContact)) records.NewAnonymousContact { in := base; f(&in); return in }
	tests := []struct {
		name  string
		actor records.Actor
		in    records.NewAnonymousContact
		code  string
		field string
	}{
		{"OK", w.sam, base, "", ""},
		{"OKNoTopics", w.tess, with(func(in *records.NewAnonymousContact) { in.Topics = nil }), "", ""},
		{"ErrNoPlace", w.sam, with(func(in *records.NewAnonymousContact) { in.Place = "  " }), records.EINVALID, "place"},
		{"ErrPlaceIsAStory", w.sam, with(func(in *records.NewAnonymousContact) { in.Place = "station\nman met hond, heet Jef" }), records.EINVALID, "place"},
		{"ErrPlaceTooLong", w.sam, with(func(in *records.NewAnonymousContact) { in.Place = strings.Repeat("p", records.MaxPlaceLen+1) }), records.EINVALID, "place"},
		{"ErrFreeTextTopic", w.sam, with(func(in *records.NewAnonymousContact) { in.Topics = []records.Topic{"Jef zijn schulden"} }), records.EINVALID, "topics"},
		{"ErrFuture", w.sam, with(func(in *records.NewAnonymousContact) { in.OccurredAt = w.now().Add(time.Hour) }), records.EINVALID, "occurred_at"},
		{"ErrClient", w.self, base, records.EFORBIDDEN, ""},
		{"ErrDataOfficer", w.dpo, base, records.EFORBIDDEN, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, seq := countRows(t, db, "anonymous_outreach"), maxSeq(t, db)
			k, err := w.s.LogAnonymousContact(w.ctx, tt.actor, tt.in)
			rows := accessRowsAfter(t, db, seq)
			if tt.code != "" {
				if records.ErrorCode(err) != tt.code || records.ErrorField(err) != tt.field || k != nil {
					t.Fatalf("got %v, want %s on %q", err, tt.code, tt.field)
				}
				if countRows(t, db, "anonymous_outreach") != n || (tt.code == records.EFORBIDDEN) != (len(rows) == 1) {
					t.Fatalf("changed something: %+v", rows)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0].ClientID != "" || rows[0].RecordKind != "anonymous_contact" || rows[0].Rule != "anonymous" || rows[0].RecordIDs != k.ID {
				t.Fatalf("access records %+v", rows)
			}
			if tt.name == "OK" && !slices.Equal(k.Topics, []records.Topic{"health", "housing"}) {
				t.Errorf("topics %v", k.Topics)
			}
		})
	}
	// The table has no column that could hold a person.
	cols := columnNames(t, db, "anonymous_outreach")
	if len(cols) == 0 {
		t.Fatal("no columns read")
	}
	for _, name := range cols {
		if strings.Contains(name, "client") || strings.Contains(name, "name") {
			t.Errorf("anonymous_outreach has column %q", name)
		}
	}
	d, err := w.s.StatisticsData(w.ctx, w.dpo)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Anonymous) != 1 || d.Anonymous[0].Contacts != 2 || d.Anonymous[0].Minutes != 20 || d.Anonymous[0].Channel != records.ChannelOutreach {
		t.Fatalf("anonymous counts %+v", d.Anonymous)
	}
}

// TestConsentGivenAt: a consent counts from when it was given; recorded later
// with an earlier given_at, it lifts the flag of the online contacts it
// covered; given_at in the future is refused.
func TestConsentGivenAt(t *testing.T) {
	w := newWorld(t)
	video := func(ago time.Duration) *records.Contact {
		k, err := w.s.CreateContact(w.ctx, w.sam, w.c.ID, records.NewContact{TrajectoryID: w.tr.ID, Channel: records.ChannelVideo,
			OccurredAt: w.now().Add(-ago), DurationMinutes: 30, Synchronous: true})
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	early, late := video(3*time.Hour), video(time.Hour)
	if !early.ConsentMissing || !late.ConsentMissing {
		t.Fatal("video contacts without consent are not flagged")
	}
	at := func(d time.Duration) *time.Time { t := w.now().Add(d); return &t }
	tests := []struct {
		name         string
		given        *time.Time
		code         string
		early, later bool // flags after the consent
	}{
		{"ErrFuture", at(time.Minute), records.EINVALID, true, true},
		{"GivenNow", nil, "", true, true},
		{"GivenTwoHoursAgo", at(-2 * time.Hour), "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := w.s.RecordConsent(w.ctx, w.sam, w.c.ID, records.NewConsent{Purpose: records.ConsentContactChannel,
				Channel: records.ChannelVideo, Evidence: records.EvidenceVerbal, GivenAt: tt.given})
			if records.ErrorCode(err) != tt.code || (tt.code != "" && records.ErrorField(err) != "given_at") {
				t.Fatalf("err %v, want %q", err, tt.code)
			}
			if err == nil && tt.given != nil && !c.GivenAt.Equal(tt.given.Truncate(time.Millisecond)) {
				t.Errorf("given_at %v, want %v", c.GivenAt, tt.given)
			}
			f, err := w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			flags := map[string]bool{}
			for _, k := range f.Contacts {
				flags[k.ID] = k.ConsentMissing
			}
			if flags[early.ID] != tt.early || flags[late.ID] != tt.later {
				t.Fatalf("flags early=%t late=%t, want %t %t", flags[early.ID], flags[late.ID], tt.early, tt.later)
			}
		})
	}
}

// TestResolveConsentFlag: a professional resolves a flag with a reason, which
// is sealed, recorded, shown to the client in their file, and turns the open
// anomaly into a resolved one for the data officer and off the caseload count.
func TestResolveConsentFlag(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	flagged, err := w.s.CreateContact(w.ctx, w.sam, w.c.ID, records.NewContact{TrajectoryID: w.tr.ID, Channel: records.ChannelPhone,
		OccurredAt: w.now().Add(-time.Hour), DurationMinutes: 20, Synchronous: true})
	if err != nil || !flagged.ConsentMissing {
		t.Fatalf("%v %+v", err, flagged)
	}
	const reason = "Toestemming gevraagd bij het begin van het gesprek."
	tests := []struct {
		name    string
		actor   records.Actor
		contact string
		reason  string
		code    string
	}{
		{"ErrEmptyReason", w.sam, flagged.ID, "  ", records.EINVALID},
		{"ErrNotFlagged", w.sam, w.visit.ID, reason, records.EINVALID},
		{"ErrUnknownContact", w.sam, "0190a000-0000-7000-8000-000000000000", reason, records.EFORBIDDEN},
		{"ErrNotOnCaseload", w.olga, flagged.ID, reason, records.EFORBIDDEN},
		{"ErrBreakGlass", w.bram, flagged.ID, reason, records.EFORBIDDEN},
		{"ErrClient", w.self, flagged.ID, reason, records.EFORBIDDEN},
		{"OK", w.sam, flagged.ID, "  " + reason + " ", ""},
		{"ErrResolvedAlready", w.tess, flagged.ID, reason, records.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := maxSeq(t, db)
			k, err := w.s.ResolveConsentFlag(w.ctx, tt.actor, tt.contact, tt.reason)
			rows := accessRowsAfter(t, db, seq)
			if tt.code != "" {
				if records.ErrorCode(err) != tt.code || k != nil {
					t.Fatalf("err %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0].RecordKind != "consent_flag" || rows[0].ClientID != w.c.ID || rows[0].RecordIDs != flagged.ID || rows[0].Outcome != "ok" {
				t.Fatalf("access records %+v", rows)
			}
			if k.FlagResolution == nil || k.FlagResolution.Reason != reason {
				t.Fatalf("resolution %+v", k.FlagResolution)
			}
		})
	}
	var sealed []byte
	if err := db.QueryRow(`SELECT reason_sealed FROM consent_flag_resolutions WHERE contact_id = ?`, flagged.ID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("Toestemming")) {
		t.Fatal("the reason is stored in plaintext")
	}
	// The client sees the resolution and its reason in their own file.
	f, err := w.s.ClientFile(w.ctx, w.self, records.PurposeOwnFile, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var seen bool
	for _, k := range f.Contacts {
		if k.ID == flagged.ID {
			seen = k.FlagResolution != nil && k.FlagResolution.Reason == reason && k.FlagResolution.ResolvedBy == w.sam.UserID
		}
	}
	if !seen {
		t.Fatal("the client does not see the resolution")
	}
	// The data officer: no open anomaly for it, a resolved one.
	list, err := w.s.Anomalies(w.ctx, w.dpo, w.now().Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, an := range list {
		if len(an.RecordIDs) == 1 && an.RecordIDs[0] == flagged.ID {
			kinds[an.Kind]++
		}
	}
	if kinds["consent_missing"] != 0 || kinds["consent_flag_resolved"] != 1 {
		t.Fatalf("anomalies for the contact: %v", kinds)
	}
	for _, an := range list {
		if an.Kind == "consent_flag_resolved" && an.Reason != reason {
			t.Errorf("the data officer reads reason %q, want %q", an.Reason, reason)
		}
	}
	// Reading the reason is recorded on the client, as the data officer's audit.
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM access_log WHERE actor_id = ? AND client_id = ? AND record_kind = 'consent_flag' AND action = 'read'`,
		w.dpo.UserID, w.c.ID).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d records of the data officer reading the reason (%v), want 1", n, err)
	}
	cl, err := w.s.Caseload(w.ctx, w.sam)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cl {
		if e.ClientID == w.c.ID && e.ConsentMissing != 0 {
			t.Fatalf("caseload still counts %d flags", e.ConsentMissing)
		}
	}
}
