package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

func TestReady(t *testing.T) {
	ctx := context.Background()
	// How each engine is made to refuse writes, and how another connection
	// holds the write lock Ready needs.
	readOnly, readWrite := "PRAGMA query_only = 1", "PRAGMA query_only = 0"
	holdLock := []string{"BEGIN IMMEDIATE"}
	if onPostgres() {
		readOnly, readWrite = "SET default_transaction_read_only = on", "SET default_transaction_read_only = off"
		holdLock = []string{"BEGIN", "LOCK TABLE goose_db_version IN EXCLUSIVE MODE"}
	}
	t.Run("OK", func(t *testing.T) {
		e := mustOpen(t)
		if err := e.store.Ready(ctx); err != nil {
			t.Fatalf("Ready on a fresh store: %v", err)
		}
	})
	t.Run("ErrReadOnly", func(t *testing.T) {
		e := mustOpen(t)
		if err := sqlite.WriterExecForTest(e.store, readOnly); err != nil {
			t.Fatal(err)
		}
		err := e.store.Ready(ctx)
		if err == nil {
			t.Fatal("Ready passes while the database takes no writes")
		}
		if code := records.ErrorCode(err); code != records.EINTERNAL {
			t.Errorf("Ready on a read-only database: code %q, want %q", code, records.EINTERNAL)
		}
		if err := sqlite.WriterExecForTest(e.store, readWrite); err != nil {
			t.Fatal(err)
		}
		if err := e.store.Ready(ctx); err != nil {
			t.Errorf("Ready after writes are back: %v", err)
		}
	})
	t.Run("ErrWriteLockHeldElsewhere", func(t *testing.T) {
		e := mustOpen(t)
		db := rawDB(t, e.dbPath())
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for _, q := range holdLock {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		if err := e.store.Ready(ctx); err == nil {
			t.Error("Ready passes while another process holds the write lock")
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Ready took %v to notice the held lock", d)
		}
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		if err := e.store.Ready(ctx); err != nil {
			t.Errorf("Ready after the lock is released: %v", err)
		}
		// Ready put the writer's busy timeout back: a normal write still
		// waits out a short lock held elsewhere.
		for _, q := range holdLock {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		go func() {
			time.Sleep(1500 * time.Millisecond)
			conn.ExecContext(ctx, "ROLLBACK")
		}()
		mustCreateUser(t, e.store, "after-lock", records.RoleAdmin, "")
	})
	t.Run("ErrFreeDiskBelowMargin", func(t *testing.T) {
		sqliteOnly(t, "on PostgreSQL the server's disk is the server's to watch")
		e := mustOpen(t, func(o *sqlite.Options) { o.MinFreeDisk = 1 << 62 })
		err := e.store.Ready(ctx)
		if code := records.ErrorCode(err); code != records.EFULL {
			t.Errorf("Ready with free disk below the margin: %v (code %q), want %q", err, code, records.EFULL)
		}
	})
}

// TestStorageFullIsItsOwnError: a write that fails because the database
// cannot grow (SQLITE_FULL) reports EFULL, so the edge answers 507 and not a
// generic 500; nothing of it is kept.
func TestStorageFullIsItsOwnError(t *testing.T) {
	sqliteOnly(t, "fills the file up to PRAGMA max_page_count; PostgreSQL's disk_full (53100) maps to EFULL in isFull")
	ctx := context.Background()
	e := mustOpen(t)
	pro := mustCreateUser(t, e.store, "sam", records.RoleProfessional, "")
	db := rawDB(t, e.dbPath())
	var pages int64
	if err := db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if err := sqlite.WriterExecForTest(e.store, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	// Denied access records are the simplest write there is; fill the last
	// free pages with them.
	var err error
	for i := 0; i < 5000 && err == nil; i++ {
		err = e.store.RecordDenied(ctx, pro, "", "file", records.ActionRead)
	}
	if err == nil {
		t.Fatal("the database never filled up")
	}
	if code := records.ErrorCode(err); code != records.EFULL {
		t.Fatalf("write into a full database: %v (code %q), want %q", err, code, records.EFULL)
	}
	before := maxSeq(t, db)
	if err := e.store.RecordDenied(ctx, pro, "", "file", records.ActionRead); records.ErrorCode(err) != records.EFULL {
		t.Fatalf("second write into a full database: %v", err)
	}
	if after := maxSeq(t, db); after != before {
		t.Errorf("a refused write was kept: head seq %d → %d", before, after)
	}
	if err := sqlite.WriterExecForTest(e.store, "PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	if err := e.store.RecordDenied(ctx, pro, "", "file", records.ActionRead); err != nil {
		t.Errorf("a write once there is room again: %v", err)
	}
}
