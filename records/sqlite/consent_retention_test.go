package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

const day = 24 * time.Hour

func retentionSvc(w *world) *consent.Service { return consent.New(w.s, w.clock.Now) }

func mustConsent(tb testing.TB, w *world, a records.Actor, clientID string, in consent.Input) *consent.View {
	tb.Helper()
	v, err := consent.New(w.s, w.clock.Now).Record(w.ctx, a, clientID, in)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// TestConsentValidityMatchesContactFlag checks that the consent_missing flag
// records sets on a contact follows the same validity rule as consent.ValidAt:
// granted <= t < expires, not withdrawn at t — including the boundaries.
func TestConsentValidityMatchesContactFlag(t *testing.T) {
	w := newWorld(t)
	t0 := w.now()
	cases := []struct {
		name       string
		channel    string  // consent channel
		expiresIn  *int    // minutes after grant
		withdrawIn *int    // minutes after grant
		contactAt  float64 // minutes after grant (occurred_at)
		logAt      int     // minutes after grant the contact is logged
		want       bool    // consent valid for the contact
	}{
		{name: "OK", channel: "chat", contactAt: 5, logAt: 10, want: true},
		{name: "BeforeGrant", channel: "chat", contactAt: -5, logAt: 10, want: false},
		{name: "OtherChannel", channel: "video", contactAt: 5, logAt: 10, want: false},
		{name: "Expired", channel: "chat", expiresIn: ptr(3), contactAt: 5, logAt: 10, want: false},
		{name: "ExpiresExactlyThen", channel: "chat", expiresIn: ptr(5), contactAt: 5, logAt: 10, want: false},
		{name: "WithdrawnBefore", channel: "chat", withdrawIn: ptr(3), contactAt: 5, logAt: 10, want: false},
		{name: "WithdrawnExactlyThen", channel: "chat", withdrawIn: ptr(5), contactAt: 5, logAt: 10, want: false},
		{name: "WithdrawnAfter", channel: "chat", withdrawIn: ptr(7), contactAt: 5, logAt: 10, want: true},
		{name: "PlannedThenWithdrawn", channel: "chat", withdrawIn: ptr(7), contactAt: 60, logAt: 1, want: false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w.clock.ms.Store(t0.Add(time.Duration(i) * 1000 * time.Hour).UnixMilli())
			grant := w.now()
			cl, err := w.s.CreateClient(w.ctx, w.sam, records.NewClient{Name: "Client " + tc.name})
			if err != nil {
				t.Fatal(err)
			}
			tr, err := w.s.CreateTrajectory(w.ctx, w.sam, cl.ID, records.NewTrajectory{Goal: "goal"})
			if err != nil {
				t.Fatal(err)
			}
			in := consent.Input{Purpose: "contact_channel", Channel: tc.channel, Evidence: "verbal"}
			if tc.expiresIn != nil {
				e := grant.Add(time.Duration(*tc.expiresIn) * time.Minute)
				in.ExpiresAt = &e
			}
			v := mustConsent(t, w, w.sam, cl.ID, in)
			at := func(m float64) time.Time { return grant.Add(time.Duration(m * float64(time.Minute))) }
			var contact *records.Contact
			logContact := func() {
				w.clock.ms.Store(at(float64(tc.logAt)).UnixMilli())
				contact, err = w.s.CreateContact(w.ctx, w.sam, cl.ID, records.NewContact{TrajectoryID: tr.ID, Channel: records.ChannelChat,
					OccurredAt: at(tc.contactAt), DurationMinutes: 5})
				if err != nil {
					t.Fatal(err)
				}
			}
			if tc.withdrawIn != nil && *tc.withdrawIn > tc.logAt {
				logContact()
			}
			if tc.withdrawIn != nil {
				w.clock.ms.Store(at(float64(*tc.withdrawIn)).UnixMilli())
				if _, err := w.s.WithdrawConsent(w.ctx, w.sam, v.ID); err != nil {
					t.Fatal(err)
				}
			}
			if contact == nil {
				logContact()
			}
			list, err := w.s.Consents(w.ctx, w.sam, cl.ID)
			if err != nil {
				t.Fatal(err)
			}
			policy := false
			for _, c := range list {
				if c.Channel == records.ChannelChat && consent.ValidAt(c, contact.OccurredAt) {
					policy = true
				}
			}
			if policy != tc.want {
				t.Errorf("consent.ValidAt = %v, want %v", policy, tc.want)
			}
			file, err := w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, cl.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := !file.Contacts[0].ConsentMissing; got != tc.want {
				t.Errorf("records flag: consent present = %v, want %v (consent.ValidAt says %v)", got, tc.want, policy)
			}
		})
	}
}

func ptr(i int) *int { return &i }

// TestDisclosureWithdrawnConsentBlocksNextDisclosure: a disclosure under a valid
// consent goes through and is accounted; after the client withdraws, the very
// next disclosure is refused, names the missing consent, writes a denied record
// and shares nothing.
func TestDisclosureWithdrawnConsentBlocksNextDisclosure(t *testing.T) {
	w := newWorld(t)
	svc := retentionSvc(w)
	shared := w.note(t, w.sam, "Budget overview discussed with the client", records.VisibilityShared, "")
	personal := w.note(t, w.sam, "My own reminder", records.VisibilityPersonal, "")
	v := mustConsent(t, w, w.self, w.c.ID, consent.Input{Purpose: "disclosure", Recipient: "OCMW Gent", Reason: "budget counselling"})
	if v.Evidence != records.EvidenceOnline || !v.Valid {
		t.Fatalf("client consent: %+v", v)
	}
	in := records.NewDisclosure{Recipient: " ocmw  gent", Purpose: "Budget counselling", RecordIDs: []string{w.tr.ID, shared.ID}}
	p, err := svc.Disclose(w.ctx, w.sam, w.c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Notes) != 1 || p.Notes[0].Body != "Budget overview discussed with the client" || p.Trajectories[0].Goal != "Stable housing" {
		t.Fatalf("package: %+v", p)
	}
	if p.Disclosure.ConsentID != v.ID {
		t.Errorf("consent id = %s, want %s", p.Disclosure.ConsentID, v.ID)
	}
	// Personal notes, other recipients and other purposes are refused.
	for _, bad := range []struct {
		name string
		in   records.NewDisclosure
		code string
	}{
		{"PersonalNote", records.NewDisclosure{Recipient: "OCMW Gent", Purpose: "budget counselling", RecordIDs: []string{personal.ID}}, records.EINVALID},
		{"OtherRecipient", records.NewDisclosure{Recipient: "CAW Oost", Purpose: "budget counselling", RecordIDs: []string{shared.ID}}, records.EFORBIDDEN},
		{"OtherPurpose", records.NewDisclosure{Recipient: "OCMW Gent", Purpose: "housing", RecordIDs: []string{shared.ID}}, records.EFORBIDDEN},
		{"BreakGlass", records.NewDisclosure{Recipient: "OCMW Gent", Purpose: "budget counselling", RecordIDs: []string{shared.ID}}, records.EFORBIDDEN},
	} {
		a := w.sam
		if bad.name == "BreakGlass" {
			a = w.bram
		}
		if _, err := svc.Disclose(w.ctx, a, w.c.ID, bad.in); records.ErrorCode(err) != bad.code {
			t.Errorf("%s: err = %v, want %s", bad.name, err, bad.code)
		}
	}
	if _, err := svc.Withdraw(w.ctx, w.self, v.ID); err != nil {
		t.Fatal(err)
	}
	before := maxSeq(t, w.raw(t))
	_, err = svc.Disclose(w.ctx, w.sam, w.c.ID, in)
	if !errors.Is(err, records.ErrNoConsent) || records.ErrorCode(err) != records.EFORBIDDEN || records.ErrorField(err) != "consent" {
		t.Fatalf("disclosure after withdrawal: err = %v, want EFORBIDDEN wrapping ErrNoConsent", err)
	}
	rows := accessRowsAfter(t, w.raw(t), before)
	if len(rows) != 1 || rows[0].Outcome != "denied" || rows[0].RecordKind != "disclosure" || rows[0].Purpose != "disclosure" {
		t.Errorf("denied record: %+v", rows)
	}
	for _, a := range []records.Actor{w.self, w.dpo, w.sam} {
		list, err := w.s.Disclosures(w.ctx, a, w.c.ID)
		if err != nil {
			t.Fatalf("%s: %v", a.Role, err)
		}
		if len(list) != 1 || list[0].Recipient != " ocmw  gent" && list[0].Recipient != "ocmw  gent" || list[0].DisclosedBy != w.sam.UserID {
			t.Errorf("%s reads accounting %+v", a.Role, list)
		}
	}
	if _, err := w.s.Disclosures(w.ctx, w.other, w.c.ID); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("another client reads the accounting: %v", err)
	}
	// Withdrawing twice is a conflict; another client cannot withdraw it.
	if _, err := svc.Withdraw(w.ctx, w.self, v.ID); records.ErrorCode(err) != records.ECONFLICT {
		t.Errorf("second withdrawal: %v", err)
	}
	if _, err := svc.Withdraw(w.ctx, w.other, v.ID); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("other client withdraws: %v", err)
	}
	mustVerifyOK(t, w.s)
}

// retentionFixture gives the world's client C notes of each visibility, a
// client entry, a consent and a disclosure.
type retentionFixture struct {
	shared, restricted, personal *records.Note
	entry                        *records.Entry
}

func newRetentionFixture(tb testing.TB, w *world) retentionFixture {
	tb.Helper()
	f := retentionFixture{
		shared:     w.note(tb, w.sam, "Shared: talked about the rent arrears", records.VisibilityShared, ""),
		restricted: w.note(tb, w.sam, "Restricted: the neighbour reported shouting", records.VisibilityRestricted, "third-party information"),
		personal:   w.note(tb, w.sam, "Personal: check my own assumptions next time", records.VisibilityPersonal, ""),
	}
	var err error
	if f.entry, err = w.s.CreateEntry(w.ctx, w.self, w.c.ID, "I would rather meet by video"); err != nil {
		tb.Fatal(err)
	}
	mustConsent(tb, w, w.sam, w.c.ID, consent.Input{Purpose: "disclosure", Recipient: "OCMW Gent", Reason: "budget counselling", Evidence: "written"})
	if _, err := retentionSvc(w).Disclose(w.ctx, w.sam, w.c.ID, records.NewDisclosure{Recipient: "OCMW Gent", Purpose: "budget counselling",
		RecordIDs: []string{f.shared.ID}}); err != nil {
		tb.Fatal(err)
	}
	return f
}

func kindsOf(rep *records.PurgeReport, clientID, action string) map[string]int {
	out := map[string]int{}
	for _, it := range rep.Items {
		if it.ClientID == clientID && it.Action == action {
			out[it.Kind] += it.Count
		}
	}
	return out
}

func noteIDs(tb testing.TB, db *sql.DB, clientID string) map[string]bool {
	tb.Helper()
	rows, err := db.Query(`SELECT id FROM notes WHERE client_id = ?`, clientID)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		out[id] = true
	}
	return out
}

// TestRetentionTimeTravel walks the clock forward through a client's life:
// personal notes go after at most 90 days and when the trajectory closes; the
// file stays through the 15-year period and goes after it, with the data key.
func TestRetentionTimeTravel(t *testing.T) {
	w := newWorld(t)
	f := newRetentionFixture(t, w)
	svc := retentionSvc(w)
	raw := w.raw(t)
	var personal2 *records.Note
	steps := []struct {
		name     string
		advance  time.Duration
		before   func(t *testing.T)
		dry      bool
		want     map[string]int // destroyed kinds for C
		keyGone  bool
		notesNow []string // note ids that must remain after the step
	}{
		{name: "Day89NothingDue", advance: 89 * day, want: map[string]int{}},
		{name: "Day91PersonalNoteCapped", advance: 2 * day, want: map[string]int{records.KindNotePersonal: 1}},
		{name: "CloseDestroysNewPersonalNote", advance: day, before: func(t *testing.T) {
			personal2 = w.note(t, w.sam, "Personal: second reminder", records.VisibilityPersonal, "")
			if _, err := w.s.CloseTrajectory(w.ctx, w.sam, w.tr.ID); err != nil {
				t.Fatal(err)
			}
		}, want: map[string]int{records.KindNotePersonal: 1}},
		{name: "FourteenYearsKept", advance: 14 * 365 * day, want: map[string]int{}},
		{name: "SixteenYearsDryRun", advance: 2 * 365 * day, dry: true, want: map[string]int{records.KindNoteShared: 1, records.KindNoteRestricted: 1,
			records.KindContact: 1, records.KindTrajectory: 1, records.KindEntry: 1, records.KindDisclosure: 1, "consent": 1, "break_glass": 1, "client_key": 1, "account": 1}},
		{name: "SixteenYearsPurged", want: map[string]int{records.KindNoteShared: 1, records.KindNoteRestricted: 1,
			records.KindContact: 1, records.KindTrajectory: 1, records.KindEntry: 1, records.KindDisclosure: 1, "consent": 1, "break_glass": 1, "client_key": 1, "account": 1}, keyGone: true},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			w.clock.Advance(st.advance)
			if st.before != nil {
				st.before(t)
			}
			before := noteIDs(t, raw, w.c.ID)
			rep, err := svc.Run(w.ctx, st.dry)
			if err != nil {
				t.Fatal(err)
			}
			got := kindsOf(rep, w.c.ID, "destroy")
			if len(got) != len(st.want) {
				t.Errorf("destroyed kinds %v, want %v", got, st.want)
			}
			for k, n := range st.want {
				if got[k] != n {
					t.Errorf("%s: %d, want %d (all: %v)", k, got[k], n, got)
				}
			}
			after := noteIDs(t, raw, w.c.ID)
			if st.dry && len(after) != len(before) {
				t.Errorf("dry run deleted notes: %d -> %d", len(before), len(after))
			}
			_, err = w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID)
			if st.keyGone {
				// The caseload ends with the client: sam is refused, and the key is gone.
				if records.ErrorCode(err) != records.EFORBIDDEN || countRows(t, raw, "client_keys WHERE client_id = '"+w.c.ID+"'") != 0 {
					t.Errorf("after the purge: file err %v, key rows %d", err, countRows(t, raw, "client_keys WHERE client_id = '"+w.c.ID+"'"))
				}
				if len(after) != 0 {
					t.Errorf("notes left: %v", after)
				}
				// The client's account went with the data: unlinked, renamed, disabled.
				if n := countRows(t, raw, "users WHERE client_id = '"+w.c.ID+"' OR username = 'noor'"); !st.dry && n != 0 {
					t.Errorf("the client's account is still linked or named: %d rows", n)
				}
				if n := countRows(t, raw, "users WHERE id = '"+w.self.UserID+"' AND disabled = 1"); !st.dry && n != 1 {
					t.Errorf("the client's account is not disabled")
				}
			} else if err != nil {
				t.Errorf("file unreadable before the purge: %v", err)
			}
		})
	}
	if personal2 == nil || f.personal == nil {
		t.Fatal("fixture incomplete")
	}
	// The other client was never due; the purge report is stored without content.
	if _, err := w.s.ClientFile(w.ctx, w.olga, records.PurposeCare, w.d.ID); err != nil {
		t.Errorf("other client: %v", err)
	}
	reps, err := w.s.PurgeReports(w.ctx, w.dpo, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 3 {
		t.Errorf("%d stored purge reports, want 3 (dry runs are not stored)", len(reps))
	}
	if _, err := w.s.PurgeReports(w.ctx, w.sam, time.Time{}); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("professional reads purge reports: %v", err)
	}
	mustVerifyOK(t, w.s)
}

// TestRetentionHoldStopsPurge: a legal hold on the client, or on the
// trajectory, stops the purge of what it covers; releasing it lets the next
// run purge.
func TestRetentionHoldStopsPurge(t *testing.T) {
	cases := []struct {
		name          string
		onClient      bool
		onTrajectory  bool
		wantDestroyed map[string]int
		wantHeld      map[string]int
	}{
		{name: "NoHold", wantDestroyed: map[string]int{records.KindNoteShared: 1, records.KindNoteRestricted: 1, records.KindNotePersonal: 1,
			records.KindContact: 1, records.KindTrajectory: 1, records.KindEntry: 1, records.KindDisclosure: 1, "consent": 1, "break_glass": 1, "client_key": 1, "account": 1},
			wantHeld: map[string]int{}},
		{name: "ClientHold", onClient: true, wantDestroyed: map[string]int{},
			wantHeld: map[string]int{records.KindNoteShared: 1, records.KindNoteRestricted: 1, records.KindNotePersonal: 1,
				records.KindContact: 1, records.KindTrajectory: 1, records.KindEntry: 1, records.KindDisclosure: 1}},
		{name: "TrajectoryHold", onTrajectory: true, wantDestroyed: map[string]int{records.KindEntry: 1, records.KindDisclosure: 1},
			wantHeld: map[string]int{records.KindNoteShared: 1, records.KindNoteRestricted: 1, records.KindNotePersonal: 1, records.KindContact: 1, records.KindTrajectory: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			newRetentionFixture(t, w)
			svc := retentionSvc(w)
			var hold *records.LegalHold
			var err error
			switch {
			case tc.onClient:
				hold, err = w.s.PlaceLegalHold(w.ctx, w.dpo, w.c.ID, "", "court order in a custody case")
			case tc.onTrajectory:
				hold, err = w.s.PlaceLegalHold(w.ctx, w.dpo, "", w.tr.ID, "complaint procedure pending")
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.s.PlaceLegalHold(w.ctx, w.sam, w.c.ID, "", "not my job"); records.ErrorCode(err) != records.EFORBIDDEN {
				t.Errorf("professional places a hold: %v", err)
			}
			if _, err := w.s.CloseTrajectory(w.ctx, w.sam, w.tr.ID); err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(16 * 365 * day)
			rep, err := svc.Run(w.ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			for name, pair := range map[string][2]map[string]int{
				"destroyed": {kindsOf(rep, w.c.ID, "destroy"), tc.wantDestroyed},
				"held":      {kindsOf(rep, w.c.ID, "held"), tc.wantHeld},
			} {
				got, want := pair[0], pair[1]
				if len(got) != len(want) {
					t.Errorf("%s %v, want %v", name, got, want)
				}
				for k, n := range want {
					if got[k] != n {
						t.Errorf("%s %s: %d, want %d", name, k, got[k], n)
					}
				}
			}
			if hold == nil {
				return
			}
			if _, err := w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID); err != nil {
				t.Fatalf("held file unreadable: %v", err)
			}
			holds, err := w.s.LegalHolds(w.ctx, w.dpo)
			if err != nil || len(holds) != 1 || holds[0].Reason == "" {
				t.Fatalf("holds %+v, %v", holds, err)
			}
			if err := w.s.ReleaseLegalHold(w.ctx, w.dpo, hold.ID); err != nil {
				t.Fatal(err)
			}
			rep, err = svc.Run(w.ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			if rep.KeysDestroyed != 1 {
				t.Errorf("after release: %d keys destroyed, want 1 (%+v)", rep.KeysDestroyed, rep.Items)
			}
		})
	}
}

// TestRetentionPurgeLeavesNoTraceOnDisk: after a purge the client's data key is
// gone and neither the database nor its WAL holds the destroyed ciphertexts,
// the wrapped key or the text, while another client's data is still there.
func TestRetentionPurgeLeavesNoTraceOnDisk(t *testing.T) {
	w := newWorld(t)
	f := newRetentionFixture(t, w)
	other, err := w.s.CreateTrajectory(w.ctx, w.olga, w.d.ID, records.NewTrajectory{Goal: "Another client's goal"})
	if err != nil {
		t.Fatal(err)
	}
	raw := w.raw(t)
	blob := func(q string, args ...any) []byte {
		t.Helper()
		var b []byte
		if err := raw.QueryRow(q, args...).Scan(&b); err != nil {
			t.Fatal(err)
		}
		if len(b) < 16 {
			t.Fatalf("%s: blob too short", q)
		}
		return b
	}
	traces := map[string][]byte{
		"shared note body":     blob(`SELECT body_sealed FROM note_versions WHERE note_id = ?`, f.shared.ID),
		"restricted reason":    blob(`SELECT reason_sealed FROM note_versions WHERE note_id = ?`, f.restricted.ID),
		"entry body":           blob(`SELECT body_sealed FROM entries WHERE id = ?`, f.entry.ID),
		"client name":          blob(`SELECT name_sealed FROM clients WHERE id = ?`, w.c.ID),
		"trajectory goal":      blob(`SELECT goal_sealed FROM trajectories WHERE id = ?`, w.tr.ID),
		"consent recipient":    blob(`SELECT recipient_sealed FROM consents WHERE client_id = ?`, w.c.ID),
		"disclosure recipient": blob(`SELECT recipient_sealed FROM disclosures WHERE client_id = ?`, w.c.ID),
		"wrapped data key":     blob(`SELECT wrapped FROM client_keys WHERE client_id = ?`, w.c.ID),
		"plaintext":            []byte("talked about the rent arrears"),
	}
	control := blob(`SELECT goal_sealed FROM trajectories WHERE id = ?`, other.ID)
	if _, err := w.s.CloseTrajectory(w.ctx, w.sam, w.tr.ID); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(16 * 365 * day)
	rep, err := retentionSvc(w).Run(w.ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.KeysDestroyed != 1 || !rep.WALTruncated {
		t.Fatalf("report: %d keys destroyed, WAL truncated %v", rep.KeysDestroyed, rep.WALTruncated)
	}
	raw.Close()
	// The bytes of the data dir as they are now, before and after closing.
	check := func(when string) {
		disk := w.stored(t)
		for name, b := range traces {
			if storedHas(disk, b) {
				t.Errorf("%s: the data dir still holds the %s", when, name)
			}
		}
		if !storedHas(disk, control) {
			t.Errorf("%s: the other client's goal is missing: the check reads the wrong bytes", when)
		}
	}
	check("running")
	if err := w.s.Close(); err != nil {
		t.Fatal(err)
	}
	check("closed")
	if _, err := os.Stat(w.dbPath()); err != nil && !onPostgres() {
		t.Fatal(err)
	}
}

// TestStatisticsSuppressSmallCells counts only clients with a valid statistics
// consent and suppresses cells under 5 clients.
func TestStatisticsSuppressSmallCells(t *testing.T) {
	w := newWorld(t)
	month := w.now().AddDate(0, -1, 0)
	type plan struct {
		consent, withdraw bool
		channels          []records.Channel
	}
	plans := []plan{
		{true, false, []records.Channel{records.ChannelChat, records.ChannelChat, records.ChannelVideo}},
		{true, false, []records.Channel{records.ChannelChat, records.ChannelVideo}},
		{true, false, []records.Channel{records.ChannelChat, records.ChannelVideo}},
		{true, false, []records.Channel{records.ChannelChat, records.ChannelOffice}},
		{true, false, []records.Channel{records.ChannelChat}},
		{true, false, []records.Channel{records.ChannelChat}},
		{false, false, []records.Channel{records.ChannelChat, records.ChannelVideo}}, // no consent
		{true, true, []records.Channel{records.ChannelChat, records.ChannelVideo}},   // withdrawn
	}
	for i, p := range plans {
		cl, err := w.s.CreateClient(w.ctx, w.sam, records.NewClient{Name: "Stat client " + string(rune('A'+i))})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := w.s.CreateTrajectory(w.ctx, w.sam, cl.ID, records.NewTrajectory{Goal: "g"})
		if err != nil {
			t.Fatal(err)
		}
		for k, ch := range p.channels {
			if _, err := w.s.CreateContact(w.ctx, w.sam, cl.ID, records.NewContact{TrajectoryID: tr.ID, Channel: ch,
				OccurredAt: month.Add(time.Duration(k) * time.Hour), DurationMinutes: 10}); err != nil {
				t.Fatal(err)
			}
		}
		if p.consent {
			v := mustConsent(t, w, w.sam, cl.ID, consent.Input{Purpose: "statistics", Evidence: "written"})
			if p.withdraw {
				if _, err := w.s.WithdrawConsent(w.ctx, w.sam, v.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	st, err := retentionSvc(w).Statistics(w.ctx, w.dpo)
	if err != nil {
		t.Fatal(err)
	}
	m := month.UTC().Format("2006-01")
	want := map[records.Channel]*int{records.ChannelChat: ptr(6), records.ChannelVideo: nil, records.ChannelOffice: nil}
	for _, c := range st.ChannelMonths {
		if c.Month != m {
			continue
		}
		w, ok := want[c.Channel]
		if !ok {
			t.Errorf("unexpected cell %+v", c)
			continue
		}
		delete(want, c.Channel)
		switch {
		case w == nil && (!c.Suppressed || c.Clients != nil || c.Contacts != nil):
			t.Errorf("%s: cell of fewer than 5 clients shown: %+v", c.Channel, c)
		case w != nil && (c.Suppressed || c.Clients == nil || *c.Clients != *w || *c.Contacts != 7):
			t.Errorf("%s: %+v, want %d clients and 7 contacts", c.Channel, c, *w)
		}
	}
	if len(want) != 0 {
		t.Errorf("cells missing: %v", want)
	}
	if st.ConsentingClients == nil || *st.ConsentingClients != 6 {
		t.Errorf("consenting clients %v, want 6", st.ConsentingClients)
	}
	for _, b := range st.OnlineShare {
		switch b.Band {
		case "online_only":
			if b.Suppressed || b.Clients == nil || *b.Clients != 5 || *b.Trajectories != 5 {
				t.Errorf("online_only band %+v, want 5 clients", b)
			}
		default:
			if !b.Suppressed || b.Clients != nil {
				t.Errorf("%s band of fewer than 5 clients shown: %+v", b.Band, b)
			}
		}
	}
	if _, err := retentionSvc(w).Statistics(w.ctx, w.sam); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("professional reads statistics: %v", err)
	}
}

// TestErasureApproveRefuseHold: a refusal keeps everything and tells the client
// why; a hold blocks approval; approval crypto-shreds and leaves a purge report;
// the client sees the outcome.
func TestErasureApproveRefuseHold(t *testing.T) {
	w := newWorld(t)
	newRetentionFixture(t, w)
	ctx := context.Background()
	r1, err := w.s.RequestErasure(ctx, w.self, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.RequestErasure(ctx, w.self, w.c.ID); records.ErrorCode(err) != records.ECONFLICT {
		t.Errorf("second pending request: %v", err)
	}
	if _, err := w.s.RequestErasure(ctx, w.sam, w.c.ID); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("professional requests erasure: %v", err)
	}
	if _, _, err := w.s.DecideErasure(ctx, w.dpo, r1.ID, false, ""); records.ErrorCode(err) != records.EINVALID {
		t.Errorf("refusal without reason: %v", err)
	}
	if _, _, err := w.s.DecideErasure(ctx, w.dpo, r1.ID, false, "Jeugdwet retention duty of 20 years applies"); err != nil {
		t.Fatal(err)
	}
	mine, err := w.s.ErasureRequests(ctx, w.self, w.c.ID)
	if err != nil || len(mine) != 1 || mine[0].Status != records.ErasureRefused || mine[0].Reason != "Jeugdwet retention duty of 20 years applies" {
		t.Fatalf("client sees %+v, %v", mine, err)
	}
	r2, err := w.s.RequestErasure(ctx, w.self, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	hold, err := w.s.PlaceLegalHold(ctx, w.dpo, w.c.ID, "", "police investigation")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.s.DecideErasure(ctx, w.dpo, r2.ID, true, ""); records.ErrorCode(err) != records.ECONFLICT {
		t.Errorf("approval under hold: %v", err)
	}
	if _, err := w.s.ClientFile(ctx, w.sam, records.PurposeCare, w.c.ID); err != nil {
		t.Fatalf("file after blocked approval: %v", err)
	}
	if err := w.s.ReleaseLegalHold(ctx, w.dpo, hold.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.s.DecideErasure(ctx, w.sam, r2.ID, true, ""); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("professional approves: %v", err)
	}
	_, rep, err := w.s.DecideErasure(ctx, w.dpo, r2.ID, true, "")
	if err != nil {
		t.Fatal(err)
	}
	got := kindsOf(rep, w.c.ID, "destroy")
	if got["client_key"] != 1 || got["note"] != 3 || got[records.KindEntry] != 1 || got[records.KindDisclosure] != 1 {
		t.Errorf("erasure report %v", got)
	}
	// The caseload ends with the erasure; the client's own view of the file is gone.
	if _, err := w.s.ClientFile(ctx, w.sam, records.PurposeCare, w.c.ID); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("sam's file after erasure: %v", err)
	}
	if _, err := w.s.ClientFile(ctx, w.self, records.PurposeOwnFile, w.c.ID); records.ErrorCode(err) != records.EDESTROYED {
		t.Errorf("own file after erasure: %v", err)
	}
	mine, err = w.s.ErasureRequests(ctx, w.self, w.c.ID)
	if err != nil || len(mine) != 2 || mine[0].Status != records.ErasureApproved {
		t.Fatalf("client sees after erasure %+v, %v", mine, err)
	}
	reps, err := w.s.PurgeReports(ctx, w.dpo, time.Time{})
	if err != nil || len(reps) != 1 || reps[0].Trigger != "erasure" {
		t.Errorf("purge reports %+v, %v", reps, err)
	}
	mustVerifyOK(t, w.s)
}

// TestExportFollowsVisibility: the client's export holds their file as they
// may see it — no professional's personal notes in NL (they are in BE), restricted
// notes without content — plus consents, disclosures and the access log, and
// is recorded as an export.
func TestExportFollowsVisibility(t *testing.T) {
	for _, jur := range []records.Jurisdiction{records.JurisdictionNL, records.JurisdictionBE} {
		t.Run(string(jur), func(t *testing.T) {
			w := newWorld(t, func(o *sqlite.Options) { o.Jurisdiction = jur })
			f := newRetentionFixture(t, w)
			before := maxSeq(t, w.raw(t))
			ex, err := retentionSvc(w).Export(w.ctx, w.self, w.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]records.Note{}
			for _, n := range ex.File.Notes {
				seen[n.ID] = n
			}
			if n, ok := seen[f.restricted.ID]; !ok || !n.Withheld || n.Body != "" || n.RestrictedReason == "" {
				t.Errorf("restricted note in export: %+v", n)
			}
			if _, ok := seen[f.personal.ID]; ok != (jur == records.JurisdictionBE) {
				t.Errorf("personal note in %s export: %v", jur, ok)
			}
			if seen[f.shared.ID].Body == "" || len(ex.Consents) != 1 || len(ex.Disclosures) != 1 || len(ex.AccessLog) == 0 || ex.File.Client.Name != "Noor Jansen" {
				t.Errorf("export incomplete: %d consents, %d disclosures, %d access records", len(ex.Consents), len(ex.Disclosures), len(ex.AccessLog))
			}
			// The plan and the network (empty here) are read as always, each
			// with its record, then the export's own.
			rows := accessRowsAfter(t, w.raw(t), before)
			if len(rows) != 3 || rows[0].RecordKind != "plan" || rows[1].RecordKind != "network" ||
				rows[2].Action != "export" || rows[2].Purpose != "export" || rows[2].Outcome != "ok" {
				t.Errorf("export access records %+v", rows)
			}
			if _, err := retentionSvc(w).Export(w.ctx, w.sam, w.c.ID); records.ErrorCode(err) != records.EFORBIDDEN {
				t.Errorf("professional exports: %v", err)
			}
		})
	}
}
