package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"syscall"
	"time"

	"github.com/nabij/nabij/records"
)

// readyBusyTimeout is how long Ready waits for a write lock held elsewhere:
// longer, and every write of the server is stuck behind it too.
const readyBusyTimeout = time.Second

// Ready checks that the database takes a write now: on the writer, between
// batches, it starts a write transaction and runs a statement that needs
// write access but changes nothing (a file opened read-only, a read-only
// mount or a write lock held elsewhere fails it), then rolls back. It first
// checks that the database's disk has more than MinFreeDisk free, so the
// server reports not ready before writes start failing.
// Returns EFULL when free space is below the margin, EINTERNAL (or EFULL) when
// the write cannot start.
func (s *Store) Ready(ctx context.Context) error {
	if s.pg {
		return s.readyPG(ctx)
	}
	if s.opts.MinFreeDisk > 0 {
		free, err := freeDisk(filepath.Dir(s.path))
		if err != nil {
			return internal("ready: free disk", err)
		}
		if free < s.opts.MinFreeDisk {
			return &records.Error{Code: records.EFULL, Message: "free disk below the margin"}
		}
	}
	return s.writeOutside(ctx, func(db *sql.DB) error {
		// Not ctx: a cancelled context must not leave the connection in a
		// transaction or with the short busy timeout.
		bg := context.Background()
		conn, err := db.Conn(bg)
		if err != nil {
			return internal("ready: connection", err)
		}
		defer conn.Close()
		var prev int64
		if err := conn.QueryRowContext(bg, "PRAGMA busy_timeout").Scan(&prev); err != nil {
			return internal("ready: busy timeout", err)
		}
		if _, err := conn.ExecContext(bg, fmt.Sprintf("PRAGMA busy_timeout = %d", readyBusyTimeout.Milliseconds())); err != nil {
			return internal("ready: busy timeout", err)
		}
		defer conn.ExecContext(bg, fmt.Sprintf("PRAGMA busy_timeout = %d", prev))
		if _, err := conn.ExecContext(bg, "BEGIN IMMEDIATE"); err != nil {
			return internal("ready: begin write", err)
		}
		_, werr := conn.ExecContext(bg, "UPDATE goose_db_version SET id = id WHERE 0")
		if _, err := conn.ExecContext(bg, "ROLLBACK"); err != nil && werr == nil {
			werr = err
		}
		if werr != nil {
			return internal("ready: write", werr)
		}
		return nil
	})
}

// freeDisk is the space (bytes) an unprivileged writer may still use on the
// file system that holds dir. The store runs on unix only (it locks its data
// dir with flock), so statfs is always there.
func freeDisk(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// readyPG is Ready on PostgreSQL: the server's disk is the server's to
// watch, so only the write is checked, with a short lock timeout, on the
// writer between batches.
func (s *Store) readyPG(ctx context.Context) error {
	return s.writeOutside(ctx, func(db *sql.DB) error {
		bg := context.Background()
		tx, err := db.BeginTx(bg, nil)
		if err != nil {
			return internal("ready: begin write", err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(bg, fmt.Sprintf("SET LOCAL lock_timeout = %d", readyBusyTimeout.Milliseconds())); err != nil {
			return internal("ready: lock timeout", err)
		}
		if _, err := tx.ExecContext(bg, "UPDATE goose_db_version SET id = id WHERE 1 = 0"); err != nil {
			return internal("ready: write", err)
		}
		return nil
	})
}
