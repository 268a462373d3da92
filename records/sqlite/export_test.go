package sqlite

import (
	"context"
	"database/sql"
)

// Hooks for the external tests in package sqlite_test.

// WriterExecForTest runs a statement (a PRAGMA such as query_only or
// max_page_count) on the single writer connection, between batches, to put
// the store in a state that is hard to make from outside: a database that
// no longer takes writes, or one that is full.
func WriterExecForTest(s *Store, query string) error {
	return s.writeOutside(context.Background(), func(db *sql.DB) error {
		_, err := db.Exec(query)
		return err
	})
}

// SetBeforeReadCommitForTest sets a function that runs between a read's
// snapshot and the commit of its access record, to change grants in that
// window deterministically.
func SetBeforeReadCommitForTest(s *Store, fn func()) { s.beforeReadCommit = fn }

// SetVerifyPartsForTest makes VerifyAccessLog read the access log in n parts
// at once, each on a reader connection of its own, however short the log.
func SetVerifyPartsForTest(s *Store, n int) { s.verifyParts = n }

// ReaderCacheForTest reports the page cache size (PRAGMA cache_size: negative
// is KiB) of a connection from the reader pool.
func ReaderCacheForTest(s *Store) (int, error) {
	var n int
	err := s.r.QueryRow(`PRAGMA cache_size`).Scan(&n)
	return n, err
}
