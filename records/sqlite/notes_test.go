package sqlite_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/nabij/nabij/records"
)

// noteCounts is what a refused note operation must leave as it was.
type noteCounts struct {
	notes, versions int
	seq             int64
}

func countNotes(t *testing.T, db *sql.DB) noteCounts {
	t.Helper()
	return noteCounts{countRows(t, db, "notes"), countRows(t, db, "note_versions"), maxSeq(t, db)}
}

// TestCreateNoteValidation: bad notes get EINVALID naming the field, and write
// nothing: no note, no version, no access record.
func TestCreateNoteValidation(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	trD, err := w.s.CreateTrajectory(w.ctx, w.olga, w.d.ID, records.NewTrajectory{Goal: "Debt relief"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		in    records.NewNote
		field string
	}{
		{"OKShared", records.NewNote{ContactID: w.visit.ID, Body: "ok", Visibility: records.VisibilityShared}, ""},
		{"OKRestricted", records.NewNote{TrajectoryID: w.tr.ID, Body: "ok", Visibility: records.VisibilityRestricted, RestrictedReason: "safety"}, ""},
		{"OKPersonal", records.NewNote{TrajectoryID: w.tr.ID, Body: "ok", Visibility: records.VisibilityPersonal}, ""},
		{"UnknownVisibility", records.NewNote{ContactID: w.visit.ID, Body: "x", Visibility: "public"}, "visibility"},
		{"NoVisibility", records.NewNote{ContactID: w.visit.ID, Body: "x"}, "visibility"},
		{"RestrictedWithoutReason", records.NewNote{ContactID: w.visit.ID, Body: "x", Visibility: records.VisibilityRestricted}, "restricted_reason"},
		{"RestrictedBlankReason", records.NewNote{ContactID: w.visit.ID, Body: "x", Visibility: records.VisibilityRestricted, RestrictedReason: "  \t "}, "restricted_reason"},
		{"ReasonOnSharedNote", records.NewNote{ContactID: w.visit.ID, Body: "x", Visibility: records.VisibilityShared, RestrictedReason: "safety"}, "restricted_reason"},
		{"EmptyBody", records.NewNote{ContactID: w.visit.ID, Body: "  \n", Visibility: records.VisibilityShared}, "body"},
		{"TooLong", records.NewNote{ContactID: w.visit.ID, Body: strings.Repeat("a", 20001), Visibility: records.VisibilityShared}, "body"},
		{"InvalidUTF8", records.NewNote{ContactID: w.visit.ID, Body: "a\xffb", Visibility: records.VisibilityShared}, "body"},
		{"ContactAndTrajectory", records.NewNote{ContactID: w.visit.ID, TrajectoryID: w.tr.ID, Body: "x", Visibility: records.VisibilityShared}, "contact_id"},
		{"NeitherContactNorTrajectory", records.NewNote{Body: "x", Visibility: records.VisibilityShared}, "contact_id"},
		{"TrajectoryOfOtherClient", records.NewNote{TrajectoryID: trD.ID, Body: "x", Visibility: records.VisibilityShared}, "trajectory_id"},
		{"UnknownContact", records.NewNote{ContactID: "0190a000-0000-7000-8000-000000000000", Body: "x", Visibility: records.VisibilityShared}, "contact_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := countNotes(t, db)
			n, err := w.s.CreateNote(w.ctx, w.sam, w.c.ID, tt.in)
			after := countNotes(t, db)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if after != (noteCounts{before.notes + 1, before.versions + 1, before.seq + 1}) {
					t.Errorf("counts %+v -> %+v", before, after)
				}
				if n.Version != 1 || n.Visibility != tt.in.Visibility || n.TrajectoryID != w.tr.ID {
					t.Errorf("note %+v", n)
				}
				return
			}
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != tt.field || n != nil {
				t.Fatalf("got %v (field %q), want EINVALID on %s", err, records.ErrorField(err), tt.field)
			}
			if after != before {
				t.Errorf("refused note changed counts %+v -> %+v", before, after)
			}
		})
	}
}

// TestCorrectNote: a correction is a new version and every earlier version stays
// readable; only the author corrects; a note that is part of the file cannot
// become a personal note again; refusals change nothing.
func TestCorrectNote(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)

	t.Run("HistoryStaysReadable", func(t *testing.T) {
		n := w.note(t, w.sam, "version 1", records.VisibilityPersonal, "")
		corrections := []records.Correction{
			{Body: "version 2", Visibility: records.VisibilityPersonal},
			{Body: "version 3", Visibility: records.VisibilityShared},
			{Body: "version 4", Visibility: records.VisibilityRestricted, RestrictedReason: "safety"},
			{Body: "version 5", Visibility: records.VisibilityShared},
		}
		for i, c := range corrections {
			before := maxSeq(t, db)
			got, err := w.s.CorrectNote(w.ctx, w.sam, n.ID, c)
			if err != nil {
				t.Fatal(err)
			}
			if got.Version != i+2 || got.Body != c.Body {
				t.Fatalf("correction %d: %+v", i, got)
			}
			if r := accessRowsAfter(t, db, before); len(r) != 1 || r[0].Action != "correct" || r[0].RecordIDs != n.ID {
				t.Errorf("records %+v", r)
			}
		}
		f, err := w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got *records.Note
		for i := range f.Notes {
			if f.Notes[i].ID == n.ID {
				got = &f.Notes[i]
			}
		}
		if got == nil || got.Version != 5 || got.Body != "version 5" || len(got.History) != 4 {
			t.Fatalf("note %+v", got)
		}
		for i, h := range got.History {
			if h.Version != i+1 || h.Body != fmt.Sprintf("version %d", i+1) {
				t.Errorf("history[%d] = version %d %q", i, h.Version, h.Body)
			}
		}
		if got.History[3].RestrictedReason != "safety" {
			t.Errorf("reason of version 4: %q", got.History[3].RestrictedReason)
		}
	})

	shared := w.note(t, w.sam, "first", records.VisibilityShared, "")
	personal := w.note(t, w.sam, "mine", records.VisibilityPersonal, "")
	fix := records.Correction{Body: "second", Visibility: records.VisibilityShared}
	tests := []struct {
		name   string
		actor  records.Actor
		note   string
		in     records.Correction
		code   string
		field  string
		denied bool // a denied access record is written
	}{
		{"SharedBackToPersonal", w.sam, shared.ID, records.Correction{Body: "hide it again", Visibility: records.VisibilityPersonal}, records.EINVALID, "visibility", false},
		{"RestrictedWithoutReason", w.sam, shared.ID, records.Correction{Body: "x", Visibility: records.VisibilityRestricted}, records.EINVALID, "restricted_reason", false},
		{"UnknownVisibility", w.sam, shared.ID, records.Correction{Body: "x", Visibility: "public"}, records.EINVALID, "visibility", false},
		{"TeamMemberNotAuthor", w.tess, shared.ID, fix, records.EFORBIDDEN, "", true},
		{"TeamMemberOnPersonalNote", w.tess, personal.ID, fix, records.EFORBIDDEN, "", true},
		{"OtherProfessional", w.olga, shared.ID, fix, records.EFORBIDDEN, "", true},
		{"Client", w.self, shared.ID, fix, records.EFORBIDDEN, "", true},
		// An unknown id is refused like a note out of reach (and recorded), so ids cannot be probed.
		{"UnknownNote", w.sam, "0190a000-0000-7000-8000-000000000000", fix, records.EFORBIDDEN, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := countNotes(t, db)
			n, err := w.s.CorrectNote(w.ctx, tt.actor, tt.note, tt.in)
			if records.ErrorCode(err) != tt.code || records.ErrorField(err) != tt.field || n != nil {
				t.Fatalf("got %v (field %q), want %s %s", err, records.ErrorField(err), tt.code, tt.field)
			}
			after := countNotes(t, db)
			if after.notes != before.notes || after.versions != before.versions {
				t.Errorf("refused correction changed counts %+v -> %+v", before, after)
			}
			recs := accessRowsAfter(t, db, before.seq)
			if !tt.denied {
				if len(recs) != 0 {
					t.Errorf("records %+v", recs)
				}
				return
			}
			if len(recs) != 1 || recs[0].Outcome != "denied" || recs[0].Action != "correct" || recs[0].ActorID != tt.actor.UserID {
				t.Errorf("records %+v", recs)
			}
		})
	}

	t.Run("PersonalMayStayPersonal", func(t *testing.T) {
		if _, err := w.s.CorrectNote(w.ctx, w.sam, personal.ID, records.Correction{Body: "mine, fixed", Visibility: records.VisibilityPersonal}); err != nil {
			t.Fatal(err)
		}
	})
}
