package sqlite_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// Several nabij instances on one PostgreSQL database. SQLite has one writer
// per file (the data dir's lock refuses a second), so these run on
// PostgreSQL only.

// TestInstancesShareOneChain: two stores on one database write at once; every
// access record lands in one hash chain in order, checkpoints are signed by
// whichever store's batch crosses a boundary, neither store takes the other's
// records for a break, and the log verifies whole.
func TestInstancesShareOneChain(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: a SQLite file has one writer")
	}
	every := func(o *sqlite.Options) { o.CheckpointEvery = 10 }
	w := newWorld(t, every)
	b := mustOpenAt(t, w.dir, every, withClock(w.clock)).store
	stores := []*sqlite.Store{w.s, b}
	const perStore = 40
	var wg sync.WaitGroup
	errs := make(chan error, 2*perStore)
	for i, s := range stores {
		for n := range perStore {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := fmt.Sprintf("note %d from instance %d", n, i)
				if _, err := s.CreateNote(w.ctx, w.sam, w.c.ID, records.NewNote{ContactID: w.visit.ID, Body: body, Visibility: records.VisibilityShared}); err != nil {
					errs <- err
					return
				}
				if _, err := s.ClientFile(w.ctx, w.tess, records.PurposeCare, w.c.ID); err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, s := range stores {
		if h := s.LogHealth(); !h.OK {
			t.Fatalf("instance %d takes the other's records for a break: %+v", i, h)
		}
	}
	rep := mustVerifyOK(t, b)
	f, err := w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID)
	if err != nil || len(f.Notes) != 2*perStore {
		t.Fatalf("file: %d notes, %v", len(f.Notes), err)
	}
	// A batch that crosses several boundaries signs its own head once.
	if rep.Checkpoints < 2 {
		t.Errorf("%d checkpoints for %d records, want several", rep.Checkpoints, rep.Records)
	}
	// A record the other instance wrote, changed behind both stores' backs,
	// is still a break for the store that wrote it.
	db := w.raw(t)
	dropAppendOnly(t, db)
	var last int64
	if err := db.QueryRow(`SELECT MAX(seq) FROM access_log`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `UPDATE access_log SET outcome = 'denied' WHERE seq = ?`, last)
	mustExec(t, db, `UPDATE access_log SET hash = ? WHERE seq = ?`, []byte("not the hash it had"), last)
	for _, s := range stores {
		if _, err := s.Caseload(w.ctx, w.sam); err != nil {
			t.Fatal(err)
		}
	}
	if w.s.LogHealth().OK && b.LogHealth().OK {
		t.Error("the store that wrote the last record did not notice it changed")
	}
}

// TestInstanceSeesKeyShreddedElsewhere: a data key one instance holds in its
// cache does not open or seal anything once another instance shredded it.
func TestInstanceSeesKeyShreddedElsewhere(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: a SQLite file has one writer")
	}
	w := newWorld(t)
	w.note(t, w.sam, "before the shredding", records.VisibilityShared, "")
	if _, err := w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID); err != nil {
		t.Fatal(err) // the key is now in w.s's cache
	}
	other := mustOpenAt(t, w.dir, withClock(w.clock)).store
	if err := other.ShredClient(w.ctx, records.System(), records.PurposeRetention, w.c.ID); err != nil {
		t.Fatal(err)
	}
	_, err := w.s.CreateNote(w.ctx, w.sam, w.c.ID, records.NewNote{ContactID: w.visit.ID, Body: "after the shredding", Visibility: records.VisibilityShared})
	if records.ErrorCode(err) != records.EDESTROYED {
		t.Fatalf("a note sealed with a shredded key: %v, want EDESTROYED", err)
	}
	f, err := w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID)
	if records.ErrorCode(err) != records.EDESTROYED || f != nil {
		t.Fatalf("read after the shredding: %v, want EDESTROYED and no data", err)
	}
}
