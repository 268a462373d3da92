package sqlite_test

import (
	"testing"
	"time"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// TestCaseloadChanges: what changed since sam last opened C's file. Each kind
// of change shows on sam's caseload after someone else makes it, and is gone
// once sam opens the file; a colleague's reads (also under an emergency grant
// made earlier) and sam's own acts are no change for sam, someone's new
// emergency access is.
func TestCaseloadChanges(t *testing.T) {
	w := newWorld(t)
	changes := func(t *testing.T) records.Changes {
		t.Helper()
		list, err := w.s.Caseload(w.ctx, w.sam)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list {
			if e.ClientID == w.c.ID {
				return e.Changes
			}
		}
		t.Fatal("C is not on sam's caseload")
		return records.Changes{}
	}
	open := func(t *testing.T) {
		t.Helper()
		w.clock.Advance(time.Second)
		if _, err := w.s.ClientFilePage(w.ctx, w.sam, records.PurposeCare, w.c.ID, records.FilePage{}); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(time.Second)
	}
	if c := changes(t); !c.NeverOpened || c.Any() || c.LastLooked != nil {
		t.Fatalf("before sam opened the file: %+v, want never opened", c)
	}
	svc := consent.New(w.s, w.clock.Now)
	samConsent := mustConsent(t, w, w.sam, w.c.ID, consent.Input{Purpose: "disclosure", Recipient: "OCMW Gent", Reason: "budget counselling", Evidence: "written"})
	cases := []struct {
		name string
		act  func(t *testing.T)
		got  func(records.Changes) int // the count that must be 1; nil: nothing changed
	}{
		{"ClientEntry", func(t *testing.T) {
			if _, err := w.s.CreateEntry(w.ctx, w.self, w.c.ID, "Ik wil liever bellen"); err != nil {
				t.Fatal(err)
			}
		}, func(c records.Changes) int { return c.Entries }},
		{"ConsentGivenByColleague", func(t *testing.T) {
			mustConsent(t, w, w.tess, w.c.ID, consent.Input{Purpose: "contact_channel", Channel: string(records.ChannelVideo), Evidence: "verbal"})
		}, func(c records.Changes) int { return c.ConsentsGiven }},
		{"ConsentWithdrawnByClient", func(t *testing.T) {
			if _, err := svc.Withdraw(w.ctx, w.self, samConsent.ID); err != nil {
				t.Fatal(err)
			}
		}, func(c records.Changes) int { return c.ConsentsWithdrawn }},
		{"Disclosure", func(t *testing.T) {
			mustConsent(t, w, w.tess, w.c.ID, consent.Input{Purpose: "disclosure", Recipient: "CAW Oost", Reason: "housing", Evidence: "written"})
			if _, err := svc.Disclose(w.ctx, w.tess, w.c.ID, records.NewDisclosure{Recipient: "CAW Oost", Purpose: "housing", RecordIDs: []string{w.visit.ID}}); err != nil {
				t.Fatal(err)
			}
		}, func(c records.Changes) int { return c.Disclosures }},
		{"EmergencyAccessBySomeoneElse", func(t *testing.T) {
			if _, err := w.s.BreakGlass(w.ctx, w.olga, w.c.ID, "client at the night shelter in crisis"); err != nil {
				t.Fatal(err)
			}
		}, func(c records.Changes) int { return c.EmergencyAccess }},
		{"PlanChange", func(t *testing.T) {
			if err := w.s.SetPlanQuestion(w.ctx, w.self, w.c.ID, "Ik wil een eigen plek"); err != nil {
				t.Fatal(err)
			}
		}, func(c records.Changes) int { return c.PlanChanges }},
		{"ColleaguesReadsAreNoChange", func(t *testing.T) {
			for _, a := range []records.Actor{w.tess, w.bram} {
				if _, err := w.s.ClientFile(w.ctx, a, records.PurposeCare, w.c.ID); err != nil {
					t.Fatal(err)
				}
			}
		}, nil},
		{"OwnActsAreNoChange", func(t *testing.T) {
			mustConsent(t, w, w.sam, w.c.ID, consent.Input{Purpose: "contact_channel", Channel: string(records.ChannelChat), Evidence: "verbal"})
			if _, err := w.s.CreateTrajectory(w.ctx, w.sam, w.c.ID, records.NewTrajectory{Goal: "Werk"}); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"RefusedAttemptIsNoChange", func(t *testing.T) {
			if _, err := w.s.CreateEntry(w.ctx, w.other, w.c.ID, "not my file"); records.ErrorCode(err) != records.EFORBIDDEN {
				t.Fatalf("another client writes in C's file: %v", err)
			}
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			open(t)
			looked := changes(t)
			if looked.NeverOpened || looked.Any() || looked.LastLooked == nil || !looked.LastLooked.Equal(w.now().Add(-time.Second)) {
				t.Fatalf("right after opening: %+v", looked)
			}
			tc.act(t)
			c := changes(t)
			switch {
			case tc.got == nil && c.Any():
				t.Errorf("counted as a change: %+v", c)
			case tc.got != nil && (tc.got(c) != 1 || !c.Any()):
				t.Errorf("changes %+v, want this kind once", c)
			}
			open(t)
			if c := changes(t); c.Any() {
				t.Errorf("still changed after opening the file: %+v", c)
			}
		})
	}
	// Listing the caseload is no look at the file: it does not move the mark.
	open(t)
	if _, err := w.s.CreateEntry(w.ctx, w.self, w.c.ID, "Nog een bericht"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if c := changes(t); c.Entries != 1 {
			t.Errorf("listing the caseload moved the mark: %+v", c)
		}
	}
	// The mark is per professional: tess (team caseload) last opened C
	// among the colleagues' reads above, sam since.
	sam := changes(t)
	list, err := w.s.Caseload(w.ctx, w.tess)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if e.ClientID == w.c.ID && (e.Changes.LastLooked == nil || !e.Changes.LastLooked.Before(*sam.LastLooked)) {
			t.Errorf("tess's mark follows sam's: %+v", e.Changes)
		}
	}
	mustVerifyOK(t, w.s)
}
