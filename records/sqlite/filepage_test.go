package sqlite_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
	"github.com/nabij/nabij/records/sqlite/storetest"
)

// fileWithNotes opens a store with a professional and a client whose file
// holds n notes of body (numbered), written 100 at a time in parallel so the
// group committer batches them; within a hundred the notes share one
// created_at, so pages must order ties by id. It returns the notes' ids in
// the file's order, oldest first.
func fileWithNotes(tb testing.TB, n int, body string, opts ...func(*sqlite.Options)) (*sqlite.Store, records.Actor, string, []string) {
	tb.Helper()
	clk := newClock(time.Now())
	env := mustOpen(tb, append([]func(*sqlite.Options){withClock(clk)}, opts...)...)
	s, ctx := env.store, context.Background()
	sam := mustCreateUser(tb, s, "sam", records.RoleProfessional, "")
	c, err := s.CreateClient(ctx, sam, records.NewClient{Name: "Noor Jansen", BirthDate: "1990-04-30"})
	if err != nil {
		tb.Fatal(err)
	}
	tr, err := s.CreateTrajectory(ctx, sam, c.ID, records.NewTrajectory{Goal: "Stable housing"})
	if err != nil {
		tb.Fatal(err)
	}
	type made struct {
		at int64
		id string
	}
	var mu sync.Mutex
	var all []made
	for start := 0; start < n; start += 100 {
		clk.Advance(time.Millisecond)
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for i := start; i < min(start+100, n); i++ {
			wg.Go(func() {
				nt, err := s.CreateNote(ctx, sam, c.ID, records.NewNote{TrajectoryID: tr.ID,
					Body: fmt.Sprintf("%05d %s", i, body), Visibility: records.VisibilityShared})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				all = append(all, made{nt.CreatedAt.UnixMilli(), nt.ID})
				mu.Unlock()
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			tb.Fatal(err)
		}
	}
	slices.SortFunc(all, func(a, b made) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return strings.Compare(a.id, b.id)
	})
	ids := make([]string, len(all))
	for i, m := range all {
		ids[i] = m.id
	}
	return s, sam, c.ID, ids
}

// TestClientFilePageWalk: a page of a 5,000-note file holds at most limit
// notes, and walking the older cursor returns every note exactly once,
// newest first; walking the newer cursor back returns them oldest first.
// Each page's access record lists exactly the notes it returned.
func TestClientFilePageWalk(t *testing.T) {
	const n, limit = 5000, 100
	s, sam, clientID, want := fileWithNotes(t, n, "body")
	ctx := context.Background()
	db := storetest.RawDB(t, storetest.Dir(s))

	var got []string
	p := records.FilePage{Limit: limit}
	pages := 0
	for {
		seq := maxSeq(t, db)
		f, err := s.ClientFilePage(ctx, sam, records.PurposeCare, clientID, p)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(f.Notes) > limit || len(f.Notes) == 0 {
			t.Fatalf("page %d holds %d notes (limit %d)", pages, len(f.Notes), limit)
		}
		ids := make([]string, len(f.Notes))
		for i, nt := range f.Notes {
			ids[i] = nt.ID
			if !strings.HasSuffix(nt.Body, " body") {
				t.Fatalf("note %s not opened: %q", nt.ID, nt.Body)
			}
		}
		recs := accessRowsAfter(t, db, seq)
		if len(recs) != 1 || recs[0].RecordKind != "file" || recs[0].RecordIDs != strings.Join(ids, ",") {
			t.Fatalf("page %d: access records %+v, want one listing %d ids", pages, recs, len(ids))
		}
		// Within a page oldest first; across pages newest first.
		for i := len(ids) - 1; i >= 0; i-- {
			got = append(got, ids[i])
		}
		if f.Older == "" {
			break
		}
		p = records.FilePage{Before: f.Older, Limit: limit}
	}
	if pages != n/limit {
		t.Errorf("%d pages, want %d", pages, n/limit)
	}
	newestFirst := slices.Clone(want)
	slices.Reverse(newestFirst)
	if !slices.Equal(got, newestFirst) {
		t.Fatalf("walking older returned %d notes, want all %d once, newest first", len(got), len(want))
	}

	// And back up from the oldest page with the newer cursor.
	f, err := s.ClientFilePage(ctx, sam, records.PurposeCare, clientID, p)
	if err != nil {
		t.Fatal(err)
	}
	var up []string
	for {
		for _, nt := range f.Notes {
			up = append(up, nt.ID)
		}
		if f.Newer == "" {
			break
		}
		if f, err = s.ClientFilePage(ctx, sam, records.PurposeCare, clientID, records.FilePage{After: f.Newer, Limit: limit}); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(up, want) {
		t.Fatalf("walking newer returned %d notes, want all %d once, oldest first", len(up), len(want))
	}

	// No cursor and no limit: the latest DefaultFilePage notes.
	f, err = s.ClientFilePage(ctx, sam, records.PurposeCare, clientID, records.FilePage{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Notes) != records.DefaultFilePage || f.Notes[len(f.Notes)-1].ID != want[n-1] || f.Newer != "" || f.Older == "" {
		t.Fatalf("default page: %d notes, newer %q, older %q", len(f.Notes), f.Newer, f.Older)
	}
}

// TestClientFilePageInvalid: a bad limit or cursor is EINVALID naming the
// field, and reads and records nothing.
func TestClientFilePageInvalid(t *testing.T) {
	s, sam, clientID, want := fileWithNotes(t, 3, "body")
	db := storetest.RawDB(t, storetest.Dir(s))
	good := records.NoteCursor{At: 1, ID: want[0]}.String()
	for _, tc := range []struct {
		name, field string
		p           records.FilePage
	}{
		{"limit too big", "limit", records.FilePage{Limit: records.MaxFilePage + 1}},
		{"limit negative", "limit", records.FilePage{Limit: -1}},
		{"not base64", "before", records.FilePage{Before: "%%%"}},
		{"no separator", "before", records.FilePage{Before: "MTIz"}},
		{"time not a number", "after", records.FilePage{After: "eDp5"}}, // "x:y"
		{"id with quote", "before", records.FilePage{Before: records.NoteCursor{At: 1, ID: "a'b"}.String()}},
		{"both", "before", records.FilePage{Before: good, After: good}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seq := maxSeq(t, db)
			f, err := s.ClientFilePage(context.Background(), sam, records.PurposeCare, clientID, tc.p)
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != tc.field || f != nil {
				t.Fatalf("got %v (field %q), file %v; want EINVALID on %s", err, records.ErrorField(err), f != nil, tc.field)
			}
			if n := len(accessRowsAfter(t, db, seq)); n != 0 {
				t.Fatalf("%d access records for a refused page", n)
			}
		})
	}
}
