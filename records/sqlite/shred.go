package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nabij/nabij/records"
)

// ShredClient destroys the client's data key: every ciphertext of the client —
// in this database, its WAL and every backup — becomes unreadable, while the
// access log stays whole and verifiable. It writes a destroy record. Only nabij
// itself (retention, an approved erasure request) shreds. Afterwards the WAL is
// checkpointed and truncated so the wrapped key does not linger there.
// EFORBIDDEN for any actor but nabij itself; ENOTFOUND for an unknown client.
func (s *Store) ShredClient(ctx context.Context, a records.Actor, purpose records.Purpose, clientID string) error {
	if !destroysData(a) {
		return forbidden("only retention and approved erasure requests destroy data")
	}
	err := s.write(ctx, func(w *wtx) error {
		if !w.clientExists(clientID) {
			return notFound("client")
		}
		if err := w.shredKey(clientID); err != nil {
			return err
		}
		return w.record(entry{actor: a, clientID: clientID, kind: "client_key", ids: []string{clientID},
			action: records.ActionDestroy, purpose: purpose, rule: records.RuleSystem, outcome: records.OutcomeOK})
	})
	if err != nil {
		return err
	}
	return s.truncateWAL(ctx)
}

// truncateWAL folds the WAL into the database and empties it, so that deleted
// pages (zeroed by secure_delete) leave no older copy behind in the WAL. It runs
// in the writer between batches, as a checkpoint cannot run inside a transaction.
func (s *Store) truncateWAL(ctx context.Context) error {
	if s.pg {
		// PostgreSQL keeps deleted rows until VACUUM; run it on the keys
		// table so the shredded wrapped key goes as soon as no older
		// snapshot can still see it.
		return s.writeOutside(ctx, func(db *sql.DB) error {
			if _, err := db.ExecContext(ctx, `VACUUM client_keys`); err != nil {
				return internal("vacuum", err)
			}
			return nil
		})
	}
	return s.writeOutside(ctx, func(db *sql.DB) error {
		var busy, logged, moved int
		if err := db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &moved); err != nil {
			return internal("wal checkpoint", err)
		}
		if busy != 0 {
			return internal("wal checkpoint", errors.New("readers kept the WAL busy"))
		}
		return nil
	})
}
