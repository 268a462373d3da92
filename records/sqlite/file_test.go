package sqlite_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// viewNotes are the notes of client C that TestClientFileView reads back.
type viewNotes struct {
	shared, restricted, samPersonal, laterShared, tessPersonal, restrictedThenShared *records.Note
}

func writeViewNotes(t *testing.T, w *world) viewNotes {
	t.Helper()
	var n viewNotes
	n.shared = w.note(t, w.sam, "Shared: talked about the rent arrears.", records.VisibilityShared, "")
	n.restricted = w.note(t, w.sam, "Restricted: the neighbour reported shouting.", records.VisibilityRestricted, "third-party information")
	n.samPersonal = w.note(t, w.sam, "Sam personal: check the debt letter.", records.VisibilityPersonal, "")
	n.laterShared = w.note(t, w.sam, "Draft: maybe a housing problem.", records.VisibilityPersonal, "")
	if _, err := w.s.CorrectNote(w.ctx, w.sam, n.laterShared.ID, records.Correction{Body: "Final: housing problem confirmed.", Visibility: records.VisibilityShared}); err != nil {
		t.Fatal(err)
	}
	n.tessPersonal = w.note(t, w.tess, "Tess personal: ask sam about the letter.", records.VisibilityPersonal, "")
	n.restrictedThenShared = w.note(t, w.sam, "Landlord said the client is violent.", records.VisibilityRestricted, "third-party information")
	if _, err := w.s.CorrectNote(w.ctx, w.sam, n.restrictedThenShared.ID, records.Correction{Body: "Rent arrears resolved.", Visibility: records.VisibilityShared}); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestClientFileView checks what each reader sees of a file, and the
// personal-note rules: the client reads shared notes in full, restricted notes as existence and
// reason only, personal working notes only where the jurisdiction opens them
// (BE, not NL); professionals never read a colleague's personal note, nor the
// earlier personal versions of a note that was shared later.
func TestClientFileView(t *testing.T) {
	type want struct {
		present  bool
		body     string
		withheld bool
		reason   string
		history  []string // bodies of the earlier versions shown, oldest first
	}
	absent := want{}
	full := func(body string, history ...string) want { return want{present: true, body: body, history: history} }
	restrictedFull := want{present: true, body: "Restricted: the neighbour reported shouting.", reason: "third-party information"}
	restrictedWithheld := want{present: true, withheld: true, reason: "third-party information"}
	shared := full("Shared: talked about the rent arrears.")
	samPersonal := full("Sam personal: check the debt letter.")
	tessPersonal := full("Tess personal: ask sam about the letter.")
	laterSharedNoDraft := full("Final: housing problem confirmed.")
	laterSharedWithDraft := full("Final: housing problem confirmed.", "Draft: maybe a housing problem.")
	rtsProfessional := full("Rent arrears resolved.", "Landlord said the client is violent.")
	rtsClient := full("Rent arrears resolved.") // the restricted first version stays hidden

	type wantNotes struct{ shared, restricted, samPersonal, laterShared, tessPersonal, restrictedThenShared want }
	tests := []struct {
		name  string
		jur   records.Jurisdiction
		actor func(*world) records.Actor
		want  wantNotes
	}{
		{"Author/NL", records.JurisdictionNL, func(w *world) records.Actor { return w.sam },
			wantNotes{shared, restrictedFull, samPersonal, laterSharedWithDraft, absent, rtsProfessional}},
		{"TeamMember/NL", records.JurisdictionNL, func(w *world) records.Actor { return w.tess },
			wantNotes{shared, restrictedFull, absent, laterSharedNoDraft, tessPersonal, rtsProfessional}},
		{"BreakGlass/NL", records.JurisdictionNL, func(w *world) records.Actor { return w.bram },
			wantNotes{shared, restrictedFull, absent, laterSharedNoDraft, absent, rtsProfessional}},
		{"Client/NL", records.JurisdictionNL, func(w *world) records.Actor { return w.self },
			wantNotes{shared, restrictedWithheld, absent, laterSharedNoDraft, absent, rtsClient}},
		// Belgium opens personal notes to the client, not to colleagues.
		{"Client/BE", records.JurisdictionBE, func(w *world) records.Actor { return w.self },
			wantNotes{shared, restrictedWithheld, samPersonal, laterSharedWithDraft, tessPersonal, rtsClient}},
		{"TeamMember/BE", records.JurisdictionBE, func(w *world) records.Actor { return w.tess },
			wantNotes{shared, restrictedFull, absent, laterSharedNoDraft, tessPersonal, rtsProfessional}},
	}
	worlds := map[records.Jurisdiction]*world{}
	notes := map[records.Jurisdiction]viewNotes{}
	for _, jur := range []records.Jurisdiction{records.JurisdictionNL, records.JurisdictionBE} {
		w := newWorld(t, func(o *sqlite.Options) { o.Jurisdiction = jur })
		worlds[jur], notes[jur] = w, writeViewNotes(t, w)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, n := worlds[tt.jur], notes[tt.jur]
			a := tt.actor(w)
			purpose := records.PurposeCare
			if a.Role == records.RoleClient {
				purpose = records.PurposeOwnFile
			}
			f, err := w.s.ClientFile(w.ctx, a, purpose, w.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			byID := map[string]records.Note{}
			for _, x := range f.Notes {
				byID[x.ID] = x
			}
			check := func(label string, note *records.Note, want want) {
				t.Helper()
				got, present := byID[note.ID]
				if present != want.present {
					t.Errorf("%s: present %v, want %v", label, present, want.present)
					return
				}
				if !present {
					return
				}
				var hist []string
				for i, h := range got.History {
					hist = append(hist, h.Body)
					if h.Version != i+1 {
						t.Errorf("%s: history[%d] is version %d", label, i, h.Version)
					}
				}
				if got.Body != want.body || got.Withheld != want.withheld || got.RestrictedReason != want.reason || !slices.Equal(hist, want.history) {
					t.Errorf("%s:\n got body %q withheld %v reason %q history %q\nwant body %q withheld %v reason %q history %q",
						label, got.Body, got.Withheld, got.RestrictedReason, hist, want.body, want.withheld, want.reason, want.history)
				}
			}
			check("shared", n.shared, tt.want.shared)
			check("restricted", n.restricted, tt.want.restricted)
			check("sam's personal", n.samPersonal, tt.want.samPersonal)
			check("personal then shared", n.laterShared, tt.want.laterShared)
			check("tess's personal", n.tessPersonal, tt.want.tessPersonal)
			check("restricted then shared", n.restrictedThenShared, tt.want.restrictedThenShared)
			if len(f.Notes) != len(byID) {
				t.Errorf("duplicate notes in the file")
			}
		})
	}
}

// TestClientFileBlended: the file shows the follow-up link from both sides, so
// a chat after a home visit reads as one blended trajectory.
func TestClientFileBlended(t *testing.T) {
	w := newWorld(t)
	chat, err := w.s.CreateContact(w.ctx, w.sam, w.c.ID, records.NewContact{TrajectoryID: w.tr.ID, Channel: records.ChannelChat,
		OccurredAt: w.now().Add(-time.Hour), DurationMinutes: 10, FollowUpOf: w.visit.ID})
	if err != nil {
		t.Fatal(err)
	}
	f, err := w.s.ClientFile(w.ctx, w.self, records.PurposeOwnFile, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Contacts) != 2 || f.Contacts[0].ID != w.visit.ID || f.Contacts[1].ID != chat.ID {
		t.Fatalf("contacts %+v", f.Contacts)
	}
	if !slices.Equal(f.Contacts[0].FollowedUpBy, []string{chat.ID}) || f.Contacts[1].FollowUpOf != w.visit.ID {
		t.Errorf("follow-up link: %v / %q", f.Contacts[0].FollowedUpBy, f.Contacts[1].FollowUpOf)
	}
	if f.Contacts[0].Mode != records.ModeFaceToFace || f.Contacts[1].Mode != records.ModeOnline || !f.Contacts[1].ConsentMissing {
		t.Errorf("modes/flags: %+v", f.Contacts)
	}
	if len(f.Trajectories) != 1 || f.Trajectories[0].Goal != "Stable housing" {
		t.Errorf("trajectories %+v", f.Trajectories)
	}
}

// TestClientFileUnderConcurrentWrites: while notes are being written, every
// read of the file returns exactly the notes its read record lists, and those
// are the first ones whose create records come before it in the access log
// (the read's snapshot was taken before its record was appended) — the record
// tells the truth about what was let out, and no read returns a note created
// after its record.
func TestClientFileUnderConcurrentWrites(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	before := maxSeq(t, db)
	const writers, notesEach, readers, readsEach = 4, 25, 4, 40
	var wg sync.WaitGroup
	errs := make(chan error, writers*notesEach+readers*readsEach)
	for i := range writers {
		wg.Go(func() {
			for j := range notesEach {
				if _, err := w.s.CreateNote(w.ctx, w.sam, w.c.ID, records.NewNote{ContactID: w.visit.ID,
					Body: fmt.Sprintf("note %d/%d", i, j), Visibility: records.VisibilityShared}); err != nil {
					errs <- err
				}
			}
		})
	}
	returned := make(chan string, readers*readsEach)
	for range readers {
		wg.Go(func() {
			for range readsEach {
				f, err := w.s.ClientFile(w.ctx, w.tess, records.PurposeCare, w.c.ID)
				if err != nil {
					errs <- err
					continue
				}
				var ids []string
				for _, n := range f.Notes {
					ids = append(ids, n.ID)
				}
				slices.Sort(ids)
				returned <- strings.Join(ids, ",")
			}
		})
	}
	wg.Wait()
	close(errs)
	close(returned)
	for err := range errs {
		t.Fatal(err)
	}
	// Walk the log in order: the notes created so far, and each read's ids.
	var created []string
	recorded := map[string]int{}
	reads := 0
	for _, r := range accessRowsAfter(t, db, before) {
		switch {
		case r.RecordKind == "note" && r.Action == "create":
			created = append(created, r.RecordIDs)
		case r.RecordKind == "file" && r.Action == "read" && r.ActorID == w.tess.UserID:
			reads++
			got := strings.Split(r.RecordIDs, ",")
			if r.RecordIDs == "" {
				got = nil
			}
			slices.Sort(got)
			// The read ran in a snapshot taken before its record was
			// appended: it lists the notes of some moment before its record,
			// so the first len(got) notes created, never a later one.
			if len(got) > len(created) {
				t.Fatalf("read record %d lists %d notes; only %d were created before it", r.Seq, len(got), len(created))
			}
			want := slices.Clone(created[:len(got)])
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("read record %d lists %d notes, not the first %d created before it", r.Seq, len(got), len(got))
			}
			recorded[strings.Join(got, ",")]++
		}
	}
	if reads != readers*readsEach || len(created) != writers*notesEach {
		t.Fatalf("%d reads, %d notes recorded", reads, len(created))
	}
	// And what each read returned is what some read record lists.
	for ids := range returned {
		if recorded[ids] == 0 {
			t.Errorf("a read returned notes no read record lists")
			continue
		}
		recorded[ids]--
	}
}
