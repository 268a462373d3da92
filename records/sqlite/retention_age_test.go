package sqlite_test

import (
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// TestRetentionUntilAge runs a rule "until the client's Nth birthday" over two
// clients: C (born 1990-04-30) and D (no birth date). Nothing goes while care
// is open or before the birthday; after both, C's file goes with the key. D's
// closed file is never destroyed: the rule cannot be applied, and the run
// says so. A run reads C's birth date through the read gate as nabij once
// C's help is closed.
func TestRetentionUntilAge(t *testing.T) {
	w := newWorld(t)
	newRetentionFixture(t, w)
	svc := retentionSvc(w)
	raw := w.raw(t)
	trD, err := w.s.CreateTrajectory(w.ctx, w.olga, w.d.ID, records.NewTrajectory{Goal: "Schoolverlaten"})
	if err != nil {
		t.Fatal(err)
	}
	cD, err := w.s.CreateContact(w.ctx, w.olga, w.d.ID, records.NewContact{TrajectoryID: trD.ID, Channel: records.ChannelOffice,
		OccurredAt: w.now().Add(-time.Hour), DurationMinutes: 30, Synchronous: true})
	if err != nil {
		t.Fatal(err)
	}
	// D's personal working note goes in the first run, in the same write that
	// finds D's other records kept for want of a birth date.
	if _, err := w.s.CreateNote(w.ctx, w.olga, w.d.ID, records.NewNote{ContactID: cD.ID, Body: "eigen geheugensteun", Visibility: records.VisibilityPersonal}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.CloseTrajectory(w.ctx, w.olga, trD.ID); err != nil {
		t.Fatal(err)
	}
	setAge := func(t *testing.T, age int) {
		t.Helper()
		var rules []records.RetentionRule
		for _, k := range []string{records.KindNoteShared, records.KindNoteRestricted, records.KindContact, records.KindTrajectory, records.KindEntry, records.KindDisclosure} {
			rules = append(rules, records.RetentionRule{Kind: k, Basis: records.BasisUntilAge, Age: age, Action: records.ActionDestroyRows})
		}
		got, err := svc.SetRules(w.ctx, w.dpo, rules)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got {
			if r.Kind == records.KindEntry && (r.Basis != records.BasisUntilAge || r.Age != age) {
				t.Fatalf("stored rule %+v, want until_age %d", r, age)
			}
		}
	}
	birthday40 := time.Date(2030, 4, 30, 0, 0, 0, 0, time.UTC)
	all := map[string]int{records.KindNoteShared: 1, records.KindNoteRestricted: 1, records.KindContact: 1, records.KindTrajectory: 1,
		records.KindEntry: 1, records.KindDisclosure: 1}
	steps := []struct {
		name    string
		age     int
		before  func(t *testing.T)
		wantC   map[string]int // destroyed kinds of C
		keyGone bool
		// readsBirth: the run opens C's birth date only once some help is
		// closed (and the rule's period after it has passed: none here).
		readsBirth bool
	}{
		// C turned 35 in 2025, but C's trajectory is still open.
		{name: "OpenCareKept", age: 35, wantC: map[string]int{}},
		// Closed now, but C turns 40 only in 2030.
		{name: "ClosedBeforeBirthdayKept", age: 40, before: func(t *testing.T) {
			if _, err := w.s.CloseTrajectory(w.ctx, w.sam, w.tr.ID); err != nil {
				t.Fatal(err)
			}
		}, wantC: map[string]int{records.KindNotePersonal: 1}, readsBirth: true},
		{name: "DayBeforeBirthdayKept", age: 40, before: func(t *testing.T) {
			w.clock.Advance(birthday40.Add(-time.Hour).Sub(w.now()))
		}, wantC: map[string]int{}, readsBirth: true},
		{name: "BirthdayDestroys", age: 40, before: func(t *testing.T) {
			w.clock.Advance(2 * time.Hour)
		}, wantC: all, keyGone: true, readsBirth: true},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			setAge(t, st.age)
			if st.before != nil {
				st.before(t)
			}
			seq := maxSeq(t, raw)
			rep, err := svc.Run(w.ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			got := kindsOf(rep, w.c.ID, records.ActionDestroyRows)
			for k, n := range st.wantC {
				if got[k] != n {
					t.Errorf("C %s: %d destroyed, want %d (all: %v)", k, got[k], n, got)
				}
			}
			for k, n := range got {
				if st.wantC[k] == 0 && k != "consent" && k != "break_glass" && k != "account" && k != "client_key" {
					t.Errorf("C %s: %d destroyed, want none", k, n)
				}
			}
			if keyRows := countRows(t, raw, "client_keys WHERE client_id = '"+w.c.ID+"'"); (keyRows == 0) != st.keyGone {
				t.Errorf("C's key rows: %d, key gone want %v", keyRows, st.keyGone)
			}
			// D: care ended, no birth date: kept and reported, never destroyed.
			if d := kindsOf(rep, w.d.ID, records.ActionDestroyRows); len(d) != 0 && (len(d) != 1 || d[records.KindNotePersonal] != 1 || st.name != "OpenCareKept") {
				t.Errorf("D destroyed without a birth date: %v", d)
			}
			// (its trajectory stays because its contact stays.)
			if nb := kindsOf(rep, w.d.ID, records.PurgeNoBirthDate); nb[records.KindContact] != 1 {
				t.Errorf("D's kept records not reported: %v", nb)
			}
			if _, held := rep.Totals(); held != 0 || rep.NoBirthDate() != 1 {
				t.Errorf("totals: %d held (want 0: no hold), %d kept without a birth date (want 1)", held, rep.NoBirthDate())
			}
			if n := countRows(t, raw, "contacts WHERE client_id = '"+w.d.ID+"'"); n != 1 {
				t.Errorf("D's contacts: %d, want 1", n)
			}
			// C's birth date was read through the gate, recorded as nabij's
			// read for retention, when it could decide something; not while
			// C's help is open.
			read := false
			for _, r := range accessRowsAfter(t, raw, seq) {
				if r.ClientID == w.c.ID && r.RecordKind == "client" && r.Action == string(records.ActionRead) {
					read = r.ActorRole == "system" && r.Purpose == string(records.PurposeRetention) && r.Rule == string(records.RuleSystem) && r.Outcome == "ok"
				}
			}
			if read != st.readsBirth {
				t.Errorf("an access record of the system reading C's birth date: %v, want %v", read, st.readsBirth)
			}
		})
	}
	// A rule outside 1–120 is refused and changes nothing.
	for _, age := range []int{0, 121} {
		_, err := svc.SetRules(w.ctx, w.dpo, []records.RetentionRule{{Kind: records.KindEntry, Basis: records.BasisUntilAge, Age: age, Action: records.ActionDestroyRows}})
		if records.ErrorCode(err) != records.EINVALID {
			t.Errorf("age %d: %v, want EINVALID", age, err)
		}
	}
	rules, err := svc.Rules(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.Kind == records.KindEntry && r.Age != 40 {
			t.Errorf("a refused rule changed the stored one: %+v", r)
		}
	}
	mustVerifyOK(t, w.s)
}

// TestRetentionOpensBirthDateOnlyWhenItDecides: with "15 years after the
// close, and at least until the 35th birthday", a file closed today cannot be
// due for 15 years whatever the birthday, so the daily run neither opens the
// birth date (no access record in the client's log) nor reports a missing
// one; once the 15 years have passed it does both.
func TestRetentionOpensBirthDateOnlyWhenItDecides(t *testing.T) {
	w := newWorld(t)
	svc := retentionSvc(w)
	raw := w.raw(t)
	var rules []records.RetentionRule
	for _, k := range []string{records.KindNoteShared, records.KindNoteRestricted, records.KindContact, records.KindTrajectory, records.KindEntry, records.KindDisclosure} {
		rules = append(rules, records.RetentionRule{Kind: k, Basis: records.BasisUntilAge, Age: 35, Years: 15, Action: records.ActionDestroyRows})
	}
	if _, err := svc.SetRules(w.ctx, w.dpo, rules); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.CloseTrajectory(w.ctx, w.sam, w.tr.ID); err != nil {
		t.Fatal(err)
	}
	birthReads := func(t *testing.T, after int64) int {
		t.Helper()
		n := 0
		for _, r := range accessRowsAfter(t, raw, after) {
			if r.ClientID == w.c.ID && r.RecordKind == "client" && r.Action == string(records.ActionRead) && r.ActorRole == "system" {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		name    string
		advance time.Duration
		reads   int
	}{
		{"ClosedToday", 0, 0},
		{"ClosedTenYearsAgo", 10 * 366 * 24 * time.Hour, 0},
		{"ClosedFifteenYearsAgo", 5 * 366 * 24 * time.Hour, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.clock.Advance(tc.advance)
			seq := maxSeq(t, raw)
			if _, err := svc.Run(w.ctx, false); err != nil {
				t.Fatal(err)
			}
			if n := birthReads(t, seq); n != tc.reads {
				t.Errorf("the run opened C's birth date %d times, want %d", n, tc.reads)
			}
		})
	}
}
