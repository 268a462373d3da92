package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/nabij/nabij/records"
)

// Reads of one client off the writer. readClient runs its rule and its read
// in a read-only snapshot on a reader connection (WAL: readers never wait for
// the writer), so reads of many users run side by side on every core. The
// access record cannot be written there: the snapshot queues it, and one job
// of the group committer then checks that the grant still holds and appends
// the record, while the gate opens the sealed fields. The read answers only
// after that batch is durable, and answers nothing when it fails.
//
// Between the snapshot and the commit who may read the client can change: a
// caseload assignment or team membership ends, a break-the-glass grant
// expires, the account is disabled, the client's key is shredded. The
// committing job therefore decides again, in the writer's transaction and at
// the batch's time, every grant the snapshot was given: the same rule and
// grant id, an account still enabled, a data key still there. When the rule
// now refuses, the job writes the denied record a fresh read would get and
// the read fails with EFORBIDDEN; a key gone is EDESTROYED; a grant that now
// holds under another rule is ECONFLICT (try again), with no record, since no
// data left. The read's own function is never run twice: it may have filled
// the caller's structures.

// snapshot is what a read in a snapshot left for the writer: the access
// records to append, in order, and the grants to decide again.
type snapshot struct {
	entries []snapEntry
	grants  []snapGrant
}

// snapEntry is a queued access record; a denied one carries the refusal.
type snapEntry struct {
	e       entry
	denied  bool
	refusal string
}

// snapGrant is a grant authorize made in the snapshot, with what its denied
// record would name if the rule refuses at the commit.
type snapGrant struct {
	g       grant
	kind    string
	action  records.Action
	purpose records.Purpose
}

// errSnapshotWrite is returned to a read that tries to change the database
// inside a snapshot: only access records may be written by a read.
var errSnapshotWrite = errors.New("a read in a snapshot tried to write")

// readSnapshot runs body in a read-only transaction on a reader connection,
// then hands what it queued to the writer and opens the sealed fields while
// the writer commits. See the comment at the top of this file.
func (s *Store) readSnapshot(ctx context.Context, body func(w *wtx, u *unsealing) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := s.r.BeginTx(ctx, s.readTxOptions())
	if err != nil {
		return internal("read snapshot", err)
	}
	var u unsealing
	u.reset()
	snap := &snapshot{}
	w := &wtx{s: s, tx: tx, ctx: ctx, now: s.now(), snap: snap, recorded: map[string]bool{}}
	err = runSnapshot(w, &u, body)
	tx.Rollback() // read only: ends the snapshot
	if err == nil {
		for _, b := range u.batches {
			if !w.recorded[b.clientID] {
				err = internal("read gate", errors.New("a read of client data wrote no access record"))
				break
			}
		}
	}
	if err != nil {
		// A refusal still leaves its denied record; nothing else is written.
		if denied := snap.denials(); len(denied) > 0 {
			if werr := s.write(ctx, func(w *wtx) error {
				for _, d := range denied {
					if err := w.deny(d.e, d.refusal); err != nil && records.ErrorCode(err) != records.EFORBIDDEN {
						return err
					}
				}
				return nil
			}); werr != nil && records.ErrorCode(werr) != records.EFORBIDDEN {
				return werr
			}
		}
		return err
	}
	if s.beforeReadCommit != nil {
		s.beforeReadCommit()
	}
	opened := make(chan error, 1)
	go func() { opened <- u.openAll() }()
	werr := s.write(ctx, func(w *wtx) error {
		for _, sg := range snap.grants {
			if err := w.grantHolds(sg, len(u.batches) > 0 || len(u.sealers) > 0); err != nil {
				return err
			}
		}
		for _, q := range snap.entries {
			if err := w.record(q.e); err != nil {
				return err
			}
		}
		return nil
	})
	uerr := <-opened
	if werr != nil {
		return werr // fail closed: the opened fields are dropped with the caller's result
	}
	return uerr
}

// runSnapshot runs body and turns a panic into an error, like runJob.
func runSnapshot(w *wtx, u *unsealing, body func(w *wtx, u *unsealing) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = internal("read", fmt.Errorf("panic: %v", r))
		}
	}()
	return body(w, u)
}

// denials are the denied records a failed snapshot read queued.
func (sn *snapshot) denials() []snapEntry {
	var out []snapEntry
	for _, q := range sn.entries {
		if q.denied {
			out = append(out, q)
		}
	}
	return out
}

// grantHolds decides sg's grant again in the writer's transaction, at the
// batch's time. sealed tells whether the read opens the client's sealed
// fields, so its data key must still exist.
func (w *wtx) grantHolds(sg snapGrant, sealed bool) error {
	g := sg.g
	rule, grantID, err := w.rule(g.actor, g.clientID)
	if err != nil {
		return err
	}
	if rule == records.RuleNone {
		return w.deny(entry{actor: g.actor, clientID: g.clientID, kind: sg.kind, action: sg.action, purpose: sg.purpose},
			"you have no access to this client")
	}
	if !g.actor.IsSystem() {
		var disabled bool
		if err := w.queryRow(`SELECT disabled FROM users WHERE id = ?`, g.actor.UserID).Scan(&disabled); err != nil || disabled {
			return w.deny(entry{actor: g.actor, clientID: g.clientID, kind: sg.kind, action: sg.action, purpose: sg.purpose},
				"this account is disabled")
		}
	}
	if rule != g.rule || grantID != g.grantID {
		return conflict("access to this client changed during the read; try again")
	}
	if sealed {
		var key bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM client_keys WHERE client_id = ?)`, g.clientID).Scan(&key); err != nil {
			return internal("data key", err)
		}
		if !key {
			return destroyed()
		}
	}
	return nil
}

// readerStmt returns query prepared on the reader pool, or nil when it is
// not prepared yet (the caller then runs it unprepared in its transaction).
// The caller holds a reader connection for its snapshot, so it must never
// wait for another one: with every pooled connection held by a read that
// waits, none would ever come free. The first use of a query therefore asks
// for it to be prepared in the background, where waiting for a connection
// harms no one; the cache is bounded, since queries built at run time must
// not grow it without end.
func (s *Store) readerStmt(query string) *sql.Stmt {
	v, ok := s.readerStmts.Load(query)
	if ok {
		st, _ := v.(*sql.Stmt) // nil while its preparation is pending
		return st
	}
	if s.readerStmtCount.Add(1) > maxPrepared {
		s.readerStmtCount.Add(-1)
		return nil
	}
	if _, loaded := s.readerStmts.LoadOrStore(query, pendingStmt{}); loaded {
		s.readerStmtCount.Add(-1)
		return nil
	}
	go func() {
		st, err := s.r.Prepare(query)
		if err != nil {
			// Left pending: the query keeps running unprepared.
			return
		}
		s.readerStmts.Store(query, st)
	}()
	return nil
}

// pendingStmt marks a reader statement that is being prepared.
type pendingStmt struct{}
