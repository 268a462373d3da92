package sqlite_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// TestGroupCommit: many concurrent writes share transactions in the single
// writer, and each is acknowledged only for what was committed: 200 notes
// written at once from 200 goroutines all succeed, all are there afterwards
// with their own text, each has its own create record, and the chain verifies.
// A refused request in the same batches (olga has no access) keeps its denied
// record without disturbing the others. The clock ticks on every reading, and
// the committer reads it once per batch, so the records' times tell how many
// batches the notes took: fewer than the notes when writes were grouped.
func TestGroupCommit(t *testing.T) {
	var ticks atomic.Int64
	const n = 200
	w := newWorld(t, func(o *sqlite.Options) {
		o.CheckpointEvery = 50
		now := o.Now
		o.Now = func() time.Time { return now().Add(time.Duration(ticks.Add(1)) * time.Millisecond) }
	})
	db := w.raw(t)
	before := maxSeq(t, db)
	var wg sync.WaitGroup
	ids := make([]string, n)
	errs := make([]error, n)
	denied := make([]error, n/10)
	for i := range n {
		wg.Go(func() {
			note, err := w.s.CreateNote(w.ctx, w.sam, w.c.ID, records.NewNote{ContactID: w.visit.ID,
				Body: fmt.Sprintf("concurrent note %03d", i), Visibility: records.VisibilityShared})
			errs[i] = err
			if err == nil {
				ids[i] = note.ID
			}
		})
		if i%10 == 0 {
			wg.Go(func() {
				_, denied[i/10] = w.s.CreateNote(w.ctx, w.olga, w.c.ID, records.NewNote{ContactID: w.visit.ID,
					Body: "not allowed", Visibility: records.VisibilityShared})
			})
		}
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("note %d: %v", i, err)
		}
	}
	for i, err := range denied {
		if records.ErrorCode(err) != records.EFORBIDDEN {
			t.Fatalf("denied %d: %v", i, err)
		}
	}
	f, err := w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{}
	for _, note := range f.Notes {
		bodies[note.ID] = note.Body
	}
	if len(bodies) != n {
		t.Fatalf("%d notes in the file, want %d", len(bodies), n)
	}
	for i, id := range ids {
		if want := fmt.Sprintf("concurrent note %03d", i); bodies[id] != want {
			t.Errorf("note %d reads %q, want %q", i, bodies[id], want)
		}
	}
	creates, denials, batches := map[string]bool{}, 0, map[int64]bool{}
	var times []int64
	if err := func() error {
		rows, err := db.Query(`SELECT at FROM access_log WHERE seq > ? AND action = 'create'`, before)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var at int64
			if err := rows.Scan(&at); err != nil {
				return err
			}
			times = append(times, at)
		}
		return rows.Err()
	}(); err != nil {
		t.Fatal(err)
	}
	for _, at := range times {
		batches[at] = true
	}
	t.Logf("%d notes committed in %d batches", n, len(batches))
	if len(batches) >= n {
		t.Errorf("%d notes took %d batches: the writes were not grouped", n, len(batches))
	}
	for _, r := range accessRowsAfter(t, db, before) {
		switch {
		case r.Action == "create" && r.Outcome == "ok" && r.ActorID == w.sam.UserID:
			creates[r.RecordIDs] = true
		case r.Outcome == "denied" && r.ActorID == w.olga.UserID:
			denials++
		}
	}
	if len(creates) != n || denials != n/10 {
		t.Errorf("%d create records, %d denied records", len(creates), denials)
	}
	for _, id := range ids {
		if !creates[id] {
			t.Errorf("no create record for note %s", id)
		}
	}
	if rep := mustVerifyOK(t, w.s); rep.Checkpoints == 0 {
		t.Errorf("no checkpoint signed: %+v", rep)
	}
}
