package sqlite_test

import (
	"testing"
	"time"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// TestReadRefusedWhenGrantChangesBeforeCommit: a read runs its rule in a
// snapshot and its access record commits later; a change of who may read
// the client made in between (by the hook, deterministically) refuses the
// read at the commit: no data, the error a fresh read would get, and for a
// refusal by the rule a denied record instead of an ok one.
func TestReadRefusedWhenGrantChangesBeforeCommit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reader func(w *world) records.Actor
		change func(t *testing.T, w *world)
		code   string
		denied bool
	}{
		{"nothing changes", func(w *world) records.Actor { return w.sam }, func(*testing.T, *world) {}, "", false},
		{"caseload assignment ended", func(w *world) records.Actor { return w.sam }, func(t *testing.T, w *world) {
			list, err := w.s.Assignments(w.ctx, w.adm)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				if a.UserID == w.sam.UserID && a.ClientID == w.c.ID && a.To == nil {
					if err := w.s.EndAssignment(w.ctx, w.adm, a.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
		}, records.EFORBIDDEN, true},
		{"team membership ended", func(w *world) records.Actor { return w.tess }, func(t *testing.T, w *world) {
			list, err := w.s.Assignments(w.ctx, w.adm)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				if a.TeamID != "" && a.ClientID == w.c.ID && a.To == nil {
					if err := w.s.EndAssignment(w.ctx, w.adm, a.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
		}, records.EFORBIDDEN, true},
		{"break the glass expired", func(w *world) records.Actor { return w.bram }, func(t *testing.T, w *world) {
			w.clock.Advance(w.grant.ExpiresAt.Sub(w.now()) + time.Millisecond)
		}, records.EFORBIDDEN, true},
		{"account disabled", func(w *world) records.Actor { return w.sam }, func(t *testing.T, w *world) {
			if err := w.s.SetUserDisabled(w.ctx, w.adm, w.sam.UserID, true); err != nil {
				t.Fatal(err)
			}
		}, records.EFORBIDDEN, true},
		{"client's own account disabled", func(w *world) records.Actor { return w.self }, func(t *testing.T, w *world) {
			if err := w.s.SetUserDisabled(w.ctx, w.adm, w.self.UserID, true); err != nil {
				t.Fatal(err)
			}
		}, records.EFORBIDDEN, true},
		{"key shredded", func(w *world) records.Actor { return w.sam }, func(t *testing.T, w *world) {
			if err := w.s.ShredClient(w.ctx, records.System(), records.PurposeErasure, w.c.ID); err != nil {
				t.Fatal(err)
			}
		}, records.EDESTROYED, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, inSnapshots) // the window exists only there
			w.note(t, w.sam, "Gesprek over de huur.", records.VisibilityShared, "")
			reader := tc.reader(w)
			db := w.raw(t)
			ran := 0
			sqlite.SetBeforeReadCommitForTest(w.s, func() {
				ran++
				if ran == 1 {
					tc.change(t, w)
				}
			})
			before := maxSeq(t, db)
			f, err := w.s.ClientFilePage(w.ctx, reader, purposeOf(reader), w.c.ID, records.FilePage{})
			sqlite.SetBeforeReadCommitForTest(w.s, nil)
			if ran != 1 {
				t.Fatalf("the hook ran %d times", ran)
			}
			var ok, denied int
			for _, r := range accessRowsAfter(t, db, before) {
				if r.ActorID != reader.UserID || r.RecordKind != "file" {
					continue
				}
				switch r.Outcome {
				case "ok":
					ok++
				case "denied":
					denied++
				}
			}
			if tc.code == "" {
				if err != nil || f == nil || len(f.Notes) != 1 || f.Notes[0].Body != "Gesprek over de huur." || ok != 1 {
					t.Fatalf("plain read: %v, %d ok records", err, ok)
				}
				return
			}
			if records.ErrorCode(err) != tc.code || f != nil {
				t.Fatalf("got %v and a file %v; want %s and nothing", err, f != nil, tc.code)
			}
			if ok != 0 {
				t.Errorf("%d ok records for a refused read", ok)
			}
			if tc.denied && denied != 1 {
				t.Errorf("%d denied records, want 1", denied)
			}
			mustVerifyOK(t, w.s)
		})
	}
}

// purposeOf is the purpose a reader reads a file under.
func purposeOf(a records.Actor) records.Purpose {
	if a.Role == records.RoleClient {
		return records.PurposeOwnFile
	}
	return records.PurposeCare
}

// TestManyFirstReadsAtOnce starts more concurrent reads than the reader pool
// has connections, on a store that has prepared nothing on its readers yet.
// Each read holds a reader connection for its snapshot; a read that waited
// for another pooled connection to prepare a statement would wait for ever
// once every connection was held that way.
func TestManyFirstReadsAtOnce(t *testing.T) {
	w := newWorld(t, inSnapshots)
	// Reopen: a new reader pool with no statement prepared on it.
	if err := w.s.Close(); err != nil {
		t.Fatal(err)
	}
	s := mustOpenAt(t, w.dir).store
	const readers = 64
	errs := make(chan error, readers)
	for range readers {
		go func() {
			_, err := s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID)
			errs <- err
		}()
	}
	deadline := time.After(time.Minute)
	for range readers {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		case <-deadline:
			t.Fatal("concurrent reads did not finish: the reader pool is deadlocked")
		}
	}
}

// TestReaderCache: reader connections keep a small page cache, since a
// commit empties it before their next read anyway (see Open).
func TestReaderCache(t *testing.T) {
	sqliteOnly(t, "a SQLite page cache")
	env := mustOpen(t)
	kib, err := sqlite.ReaderCacheForTest(env.store)
	if err != nil {
		t.Fatal(err)
	}
	if kib != -512 {
		t.Errorf("a reader's cache_size is %d, want -512 (512 KiB)", kib)
	}
}

// inSnapshots makes a store read in snapshots whatever NABIJ_TEST_READS says,
// for tests of the snapshot path itself.
func inSnapshots(o *sqlite.Options) { o.ReadsOnWriter = false }
