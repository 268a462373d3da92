package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// job is one unit of work for the single writer: it runs inside a savepoint of
// the shared batch transaction and learns its outcome only after the commit.
type job struct {
	fn func(w *wtx) error
	// outside, when set, runs on the writer connection between batches, with no
	// transaction (a WAL checkpoint, a backup).
	outside func(db *sql.DB) error
	done    chan error
}

// wtx is the write transaction as one job sees it: the batch transaction plus the
// access-log chain head, which the job advances when it appends records.
type wtx struct {
	s    *Store
	tx   *sql.Tx
	ctx  context.Context
	now  time.Time
	seq  int64  // seq of the chain head
	head []byte // hash of the chain head
	// keep marks a job that failed after writing a record that must stay (a
	// denied access record): its savepoint is released instead of rolled back.
	keep bool
	// after runs once the batch is committed (e.g. evicting a shredded key).
	after []func()
	// stmts are the batch's prepared statements, by query text: a statement that
	// every job of a busy batch runs (authorize, the access record) is prepared
	// once per batch instead of once per job. They close with the transaction.
	stmts map[string]*sql.Stmt
	// recorded lists, for a job of the read gate, the clients this job wrote
	// an access record with outcome ok for; nil outside the gate.
	recorded map[string]bool
	// snap is set when the job is a read in a snapshot on a reader
	// connection (snapshot.go): its access records are queued for the writer.
	snap *snapshot
}

var errClosed = errors.New("records: store is closed")

// write runs fn in the writer and returns after the batch that holds it is
// durably committed (synchronous=FULL). fn must not keep tx-bound values past return.
func (s *Store) write(ctx context.Context, fn func(w *wtx) error) error {
	return s.submit(ctx, &job{fn: fn, done: make(chan error, 1)})
}

// writeOutside runs fn on the writer connection between batches, outside any
// transaction.
func (s *Store) writeOutside(ctx context.Context, fn func(db *sql.DB) error) error {
	return s.submit(ctx, &job{outside: fn, done: make(chan error, 1)})
}

func (s *Store) submit(ctx context.Context, j *job) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return errClosed
	}
	s.jobs <- j
	s.closeMu.RUnlock()
	// Wait for the commit even if ctx ends: the job may already be in a batch, and
	// its caller must not be told "failed" for a write that then commits.
	return classify(<-j.done)
}

func (s *Store) commitLoop() {
	defer close(s.loopDone)
	batch := make([]*job, 0, s.opts.MaxBatch)
	for {
		var first *job
		select {
		case first = <-s.jobs:
		case <-s.quit:
			// Finish what was queued before Close, then stop.
			for {
				select {
				case j := <-s.jobs:
					if j.outside != nil {
						j.done <- j.outside(s.w)
					} else {
						s.commitBatch([]*job{j})
					}
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
		var outside *job
	drain:
		for len(batch) < s.opts.MaxBatch {
			select {
			case j := <-s.jobs:
				if j.outside != nil {
					outside = j
					break drain
				}
				batch = append(batch, j)
			default:
				break drain
			}
		}
		if batch[0].outside != nil {
			outside, batch = batch[0], batch[:0]
		}
		if len(batch) > 0 {
			s.prepareQueued()
			s.commitBatch(batch)
		}
		if outside != nil {
			outside.done <- outside.outside(s.w)
		}
	}
}

// commitBatch runs the jobs in one transaction, each in a savepoint, signs a
// checkpoint when the chain passed a checkpoint boundary, commits once, and then
// tells every job its outcome.
func (s *Store) commitBatch(batch []*job) {
	results := make([]error, len(batch))
	var afters []func()
	fail := func(err error) {
		for i, j := range batch {
			if results[i] == nil {
				results[i] = err
			}
			j.done <- results[i]
		}
	}
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		fail(internal("begin", err))
		return
	}
	if err := s.lockChain(tx); err != nil {
		tx.Rollback()
		fail(internal("chain lock", err))
		return
	}
	seq, head, err := chainHead(tx)
	if err != nil {
		tx.Rollback()
		fail(internal("chain head", err))
		return
	}
	startSeq := seq
	if s.headMoved(tx, seq, head) {
		s.breakFound(seq)
	}
	now := s.now()
	stmts := make(map[string]*sql.Stmt)
	bw := &wtx{s: s, tx: tx, ctx: ctx, stmts: stmts}
	for i, j := range batch {
		if _, err := bw.exec("SAVEPOINT job"); err != nil {
			results[i] = internal("savepoint", err)
			continue
		}
		w := &wtx{s: s, tx: tx, ctx: ctx, now: now, seq: seq, head: head, stmts: stmts}
		err := runJob(j, w)
		if err != nil && !w.keep {
			if _, rbErr := bw.exec("ROLLBACK TO job"); rbErr != nil {
				tx.Rollback()
				results[i] = err
				fail(internal("rollback to savepoint", rbErr))
				return
			}
		}
		if _, relErr := bw.exec("RELEASE job"); relErr != nil {
			tx.Rollback()
			results[i] = err
			fail(internal("release savepoint", relErr))
			return
		}
		results[i] = err
		if err == nil || w.keep {
			seq, head = w.seq, w.head
			afters = append(afters, w.after...)
		}
	}
	if seq/s.opts.CheckpointEvery > startSeq/s.opts.CheckpointEvery && !s.logBroken() {
		cp, err := s.signCheckpoint(tx, seq, head, now)
		if err != nil {
			tx.Rollback()
			fail(internal("checkpoint", err))
			return
		}
		afters = append(afters, func() { s.witnessHead(cp) })
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		// Nothing of this batch is durable: no job may be acknowledged.
		for i := range results {
			results[i] = internal("commit", err)
		}
		fail(nil)
		return
	}
	s.written = logHead{seq: seq, hash: head}
	for _, f := range afters {
		f()
	}
	for i, j := range batch {
		j.done <- results[i]
	}
}

// runJob runs one job and turns a panic into an error, so one bad request cannot
// take down the writer (and with it every other request).
func runJob(j *job, w *wtx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = internal("write", fmt.Errorf("panic: %v", r))
			w.keep = false
		}
	}()
	return j.fn(w)
}

// maxPrepared bounds the statements kept prepared across batches: queries built
// at run time (search filters) must not grow the cache without end.
const maxPrepared = 256

// stmt returns a prepared statement for query, bound to the batch transaction:
// from the store's statements prepared once on the writer connection (between
// batches, when the connection is free), else prepared in this transaction and
// queued to be prepared for good before the next batch. nil when it cannot be
// prepared (the unprepared call then reports why). A job must not run the same
// multi-row query again while it still iterates it: the statement is shared.
func (w *wtx) stmt(query string) *sql.Stmt {
	if w.snap != nil {
		// A read in a snapshot: the statement prepared on the reader pool,
		// bound to this transaction's connection (database/sql keeps one
		// prepared copy per connection).
		if p := w.s.readerStmt(query); p != nil {
			return w.tx.StmtContext(w.ctx, p)
		}
		return nil
	}
	if w.stmts == nil {
		return nil
	}
	if st, ok := w.stmts[query]; ok {
		return st
	}
	var st *sql.Stmt
	if p, ok := w.s.prepared[query]; ok {
		st = w.tx.StmtContext(w.ctx, p)
	} else {
		var err error
		if st, err = w.tx.PrepareContext(w.ctx, query); err != nil {
			return nil
		}
		if len(w.s.prepared)+len(w.s.toPrepare) < maxPrepared {
			w.s.toPrepare[query] = true
		}
	}
	w.stmts[query] = st
	return st
}

// prepareQueued prepares, on the writer connection and outside any
// transaction, the statements the last batches queued. Only the committer
// goroutine calls it, so the maps need no lock.
func (s *Store) prepareQueued() {
	for q := range s.toPrepare {
		if st, err := s.w.Prepare(q); err == nil {
			s.prepared[q] = st
		}
		delete(s.toPrepare, q)
	}
}

func (w *wtx) exec(query string, args ...any) (sql.Result, error) {
	if w.snap != nil {
		return nil, internal("read", errSnapshotWrite)
	}
	if st := w.stmt(query); st != nil {
		return st.ExecContext(w.ctx, args...)
	}
	return w.tx.ExecContext(w.ctx, query, args...)
}

func (w *wtx) query(query string, args ...any) (*sql.Rows, error) {
	if st := w.stmt(query); st != nil {
		return st.QueryContext(w.ctx, args...)
	}
	return w.tx.QueryContext(w.ctx, query, args...)
}

func (w *wtx) queryRow(query string, args ...any) *sql.Row {
	if st := w.stmt(query); st != nil {
		return st.QueryRowContext(w.ctx, args...)
	}
	return w.tx.QueryRowContext(w.ctx, query, args...)
}

// scanIDs reads a one-column result of ids, closing the rows; it takes a query's
// two results directly: scanIDs(w.query(...)).
func scanIDs(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
