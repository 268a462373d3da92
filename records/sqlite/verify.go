package sqlite

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/nabij/nabij/records"
)

// signCheckpoint stores a signed checkpoint of the head inside the batch
// transaction and returns it, for the witness once the batch is committed.
// Only the committer calls it, and only while the log is not broken.
func (s *Store) signCheckpoint(tx *sql.Tx, seq int64, head []byte, at time.Time) (records.Checkpoint, error) {
	if seq == 0 {
		return records.Checkpoint{}, nil
	}
	at = fromMS(ms(at))
	cp := records.Checkpoint{Seq: seq, Hash: bytes.Clone(head), At: at}
	cp.Signature = ed25519.Sign(s.signer, records.CheckpointMessage(seq, head, at))
	_, err := tx.Exec(`INSERT INTO access_checkpoints (seq, hash, at, signature) VALUES (?,?,?,?)
		ON CONFLICT(seq) DO NOTHING`, seq, head, ms(at), cp.Signature)
	return cp, err
}

// ErrLogBroken is returned by Checkpoint once the store found records in its
// log that it did not write: it signs nothing from then on.
var ErrLogBroken = errors.New("records: the access log holds records this server did not write; nothing is signed")

// breakFound is called by the committer when the database's chain head is not
// the one it committed last: records were added, removed or rewritten behind
// its back. It signs nothing more, tells the witness, and LogHealth reports it.
func (s *Store) breakFound(dbSeq int64) {
	if s.logBroken() {
		return
	}
	s.markBroken(s.written.seq+1, fmt.Sprintf("the access log changed behind the server's back after record %d (the database now ends at record %d); nothing is signed from here", s.written.seq, dbSeq))
	if s.opts.Witness != nil {
		if err := s.opts.Witness.AppendBroken(s.written.seq, dbSeq); err != nil {
			s.markBroken(s.written.seq+1, "the witness cannot be written: "+err.Error())
		}
	}
}

// witnessHead hands a committed checkpoint to the witness. A witness that
// cannot take it makes the log unhealthy: the signed head would then exist
// only inside the database it is meant to check.
func (s *Store) witnessHead(cp records.Checkpoint) {
	if s.opts.Witness == nil || cp.Seq == 0 {
		return
	}
	if err := s.opts.Witness.AppendHead(cp); err != nil {
		s.markBroken(cp.Seq, "the witness did not take the signed head: "+err.Error())
	}
}

// Checkpoint signs the current chain head now (when it has moved since the last
// checkpoint). The server calls it every second, and at shutdown, so that a
// record is signed soon after it is written. Before signing, the committer has
// compared the database's head with the head it committed last; when they
// differ it signs nothing and Checkpoint returns ErrLogBroken.
// Returns EINTERNAL when the checkpoint cannot be signed or stored.
func (s *Store) Checkpoint(ctx context.Context) error {
	return s.write(ctx, func(w *wtx) error {
		if w.s.logBroken() {
			return ErrLogBroken
		}
		var last sql.NullInt64
		if err := w.queryRow(`SELECT MAX(seq) FROM access_checkpoints`).Scan(&last); err != nil {
			return internal("checkpoint", err)
		}
		if w.seq == 0 || (last.Valid && last.Int64 >= w.seq) {
			return nil
		}
		cp, err := w.s.signCheckpoint(w.tx, w.seq, w.head, w.now)
		if err != nil {
			return internal("checkpoint", err)
		}
		w.after = append(w.after, func() { w.s.witnessHead(cp) })
		return nil
	})
}

// LatestCheckpoint is the newest signed checkpoint, the receipt a client may
// keep; ok is false while none was signed.
// Returns EINTERNAL when it cannot be read.
func (s *Store) LatestCheckpoint(ctx context.Context) (records.Checkpoint, bool, error) {
	var cp records.Checkpoint
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT seq, hash, at, signature FROM access_checkpoints ORDER BY seq DESC LIMIT 1`).
		Scan(&cp.Seq, &cp.Hash, &at, &cp.Signature)
	if errors.Is(err, sql.ErrNoRows) {
		return cp, false, nil
	}
	if err != nil {
		return cp, false, internal("latest checkpoint", err)
	}
	cp.At = fromMS(at)
	return cp, true, nil
}

// PublicKey is the key that verifies the checkpoints.
// It never fails.
func (s *Store) PublicKey() ed25519.PublicKey { return s.signer.Public().(ed25519.PublicKey) }

// VerifyAccessLog walks the whole chain and checks every checkpoint with pub (the
// store's own public key when pub is nil). It reports the first broken position:
// an edited, deleted, inserted or reordered record breaks the chain there; a
// consistent rewrite of the whole chain no longer matches the signed checkpoints.
// It reads no client data and writes nothing. An error means the check could not
// run; a broken log is a report with OK false.
func (s *Store) VerifyAccessLog(ctx context.Context, pub ed25519.PublicKey) (records.VerifyReport, error) {
	if pub == nil {
		pub = s.PublicKey()
	}
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return records.VerifyReport{}, internal("verify", err)
	}
	defer tx.Rollback()
	rep, err := verifyChain(ctx, tx, pub, s.opts.CheckpointEvery)
	if err != nil {
		return rep, err
	}
	if s.opts.Witness != nil {
		seq, head, err := chainHead(tx)
		if err != nil {
			return rep, internal("verify", err)
		}
		at, problem, err := witnessCheck(tx, s.opts.Witness, pub, logHead{seq: seq, hash: head})
		if err != nil {
			return rep, internal("verify witness", err)
		}
		failReport(&rep, at, problem)
	}
	if h := s.LogHealth(); !h.OK {
		failReport(&rep, h.Since, h.Problem)
	}
	return rep, nil
}

// failReport marks a report broken at seq with problem, unless problem is ""
// or the chain itself broke earlier.
func failReport(rep *records.VerifyReport, seq int64, problem string) {
	if problem == "" {
		return
	}
	if rep.BrokenAt == 0 || seq < rep.BrokenAt {
		rep.BrokenAt, rep.Problem = max(seq, 1), problem
	}
	rep.OK = false
}

// verifyChain walks the chain. every is the checkpoint interval: the batch that
// crosses a multiple of it signs a checkpoint at or after that record, so a log
// whose newest valid checkpoint lies before the last multiple had checkpoints
// removed — which would otherwise let the whole chain be rewritten unnoticed.
func verifyChain(ctx context.Context, tx *sql.Tx, pub ed25519.PublicKey, every int64) (records.VerifyReport, error) {
	var rep records.VerifyReport
	// Checkpoints first (few): they say which hashes the chain must have where.
	cps := map[int64][]byte{}
	var cpSeqs []int64
	rows, err := tx.QueryContext(ctx, `SELECT seq, hash, at, signature FROM access_checkpoints ORDER BY seq`)
	if err != nil {
		return rep, internal("verify checkpoints", err)
	}
	firstBadCheckpoint := int64(0)
	badCheckpointWhy := ""
	for rows.Next() {
		var cp records.Checkpoint
		var at int64
		if err := rows.Scan(&cp.Seq, &cp.Hash, &at, &cp.Signature); err != nil {
			rows.Close()
			return rep, internal("verify checkpoints", err)
		}
		cp.At = fromMS(at)
		rep.Checkpoints++
		if !ed25519.Verify(pub, records.CheckpointMessage(cp.Seq, cp.Hash, cp.At), cp.Signature) {
			if firstBadCheckpoint == 0 {
				firstBadCheckpoint = cp.Seq
				badCheckpointWhy = fmt.Sprintf("checkpoint at record %d has an invalid signature", cp.Seq)
			}
			continue
		}
		cps[cp.Seq] = cp.Hash
		cpSeqs = append(cpSeqs, cp.Seq)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, internal("verify checkpoints", err)
	}

	rows, err = tx.QueryContext(ctx, `SELECT seq, at, id, actor_id, actor_role, client_id, record_kind,
		record_ids, action, purpose, rule, grant_id, remote, outcome, prev_hash, hash
		FROM access_log ORDER BY seq`)
	if err != nil {
		return rep, internal("verify", err)
	}
	defer rows.Close()
	broken := func(seq int64, format string, args ...any) {
		if rep.BrokenAt == 0 {
			rep.BrokenAt = seq
			rep.Problem = fmt.Sprintf(format, args...)
		}
	}
	prev := genesis
	prevBuf := make([]byte, sha256.Size)
	var fields [canonicalFields]sql.RawBytes
	var raw [canonicalFields][]byte
	var storedPrev, storedHash sql.RawBytes
	var seq, at, expect int64
	buf := make([]byte, 0, 512)
	expect = 1
	for rows.Next() {
		if err := rows.Scan(&seq, &at, &fields[0], &fields[1], &fields[2], &fields[3], &fields[4],
			&fields[5], &fields[6], &fields[7], &fields[8], &fields[9], &fields[10], &fields[11],
			&storedPrev, &storedHash); err != nil {
			return rep, internal("verify", err)
		}
		rep.Records++
		if rep.BrokenAt == 0 {
			switch {
			case seq != expect:
				broken(expect, "record %d is missing (next is %d)", expect, seq)
			case !bytes.Equal(storedPrev, prev):
				broken(seq, "record %d does not follow record %d", seq, seq-1)
			}
		}
		for i := range fields {
			raw[i] = fields[i]
		}
		buf = appendCanonical(buf[:0], storedPrev, seq, at, &raw)
		sum := sha256.Sum256(buf)
		if rep.BrokenAt == 0 && !bytes.Equal(sum[:], storedHash) {
			broken(seq, "record %d was changed after it was written", seq)
		}
		if want, ok := cps[seq]; ok && rep.BrokenAt == 0 && !bytes.Equal(want, sum[:]) {
			broken(seq, "record %d does not match the signed checkpoint", seq)
		}
		if _, ok := cps[seq]; ok && bytes.Equal(cps[seq], sum[:]) {
			rep.LastCheckpoint = seq
		}
		// Chain on the recomputed hash, so a record whose stored hash was also
		// rewritten still breaks the link to the next one.
		copy(prevBuf, sum[:])
		prev = prevBuf
		expect = seq + 1
	}
	if err := rows.Err(); err != nil {
		return rep, internal("verify", err)
	}
	if n := len(cpSeqs); n > 0 && cpSeqs[n-1] > seq {
		broken(seq+1, "records after %d are missing: a checkpoint vouches for record %d", seq, cpSeqs[n-1])
	}
	if boundary := (seq / every) * every; every > 0 && boundary > 0 && rep.LastCheckpoint < boundary {
		broken(boundary, "the signed checkpoint for record %d is missing", boundary)
	}
	if firstBadCheckpoint != 0 && (rep.BrokenAt == 0 || firstBadCheckpoint < rep.BrokenAt) {
		rep.BrokenAt, rep.Problem = firstBadCheckpoint, badCheckpointWhy
	}
	rep.OK = rep.BrokenAt == 0
	return rep, nil
}
