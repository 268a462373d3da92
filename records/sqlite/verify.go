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

	// The twelve text columns come joined into one value (one conversion and
	// one allocation per row instead of twelve; the row's cost is mostly
	// handing columns from SQLite to Go). The separator is a bound parameter,
	// so the SQL stays portable.
	rows, err = tx.QueryContext(ctx, verifyQuery, verifySeparators...)
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
	var sum [sha256.Size]byte
	prev := genesis
	var raw [canonicalFields][]byte
	var joined, storedPrev, storedHash sql.RawBytes
	var exact *exactRow
	var seq, at, expect int64
	buf := make([]byte, 0, 512)
	expect = 1
	for rows.Next() {
		if err := rows.Scan(&seq, &at, &joined, &storedPrev, &storedHash); err != nil {
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
		ok := splitFields(joined, &raw)
		if ok {
			buf = appendCanonical(buf[:0], storedPrev, seq, at, &raw)
			sum = sha256.Sum256(buf)
		}
		if !ok || !bytes.Equal(sum[:], storedHash) {
			// A field holding the separator, a NULL, or a hash that does not
			// match: hash the record again from its columns one by one, exactly
			// as it is read back everywhere else, before calling it changed.
			if exact == nil {
				if exact, err = prepareExact(ctx, tx); err != nil {
					return rep, err
				}
				defer exact.close()
			}
			if buf, err = exact.hash(ctx, seq, buf, &sum); err != nil {
				return rep, err
			}
		}
		if rep.BrokenAt == 0 && !bytes.Equal(sum[:], storedHash) {
			broken(seq, "record %d was changed after it was written", seq)
		}
		if want, ok := cps[seq]; ok && rep.BrokenAt == 0 && !bytes.Equal(want, sum[:]) {
			broken(seq, "record %d does not match the signed checkpoint", seq)
		}
		if want, ok := cps[seq]; ok && bytes.Equal(want, sum[:]) {
			rep.LastCheckpoint = seq
		}
		// Chain on the recomputed hash, so a record whose stored hash was also
		// rewritten still breaks the link to the next one.
		prev = sum[:]
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

// verifySeparator joins the text columns of a record for verify. It is a
// control character that no id, code or address holds; a record whose fields
// do hold it is hashed from its separate columns instead (exactRow).
const verifySeparator = "\x1f"

// verifyQuery reads the chain in order: seq, at, the twelve text fields of the
// canonical encoding joined by the bound separator, prev_hash and hash.
var verifyQuery = `SELECT seq, at, concat_ws(?, id, actor_id, actor_role, client_id, record_kind,
	record_ids, action, purpose, rule, grant_id, remote, outcome), prev_hash, hash FROM access_log ORDER BY seq`

var verifySeparators = []any{verifySeparator}

// splitFields cuts a joined row into its twelve fields, without copying. It
// reports false unless there are exactly twelve, so a field that holds the
// separator itself (or a NULL, which makes the whole value NULL) is never
// mistaken for a different split.
func splitFields(joined []byte, fields *[canonicalFields][]byte) bool {
	if joined == nil {
		return false
	}
	for i := range canonicalFields - 1 {
		j := bytes.IndexByte(joined, verifySeparator[0])
		if j < 0 {
			return false
		}
		fields[i], joined = joined[:j], joined[j+1:]
	}
	if bytes.IndexByte(joined, verifySeparator[0]) >= 0 {
		return false
	}
	fields[canonicalFields-1] = joined
	return true
}

// exactRow reads one record column by column, as the chain's writer encoded
// it. Verify uses it only for a record whose joined fields did not check out,
// so that the joined read can never make a record pass or fail differently.
type exactRow struct {
	stmt   *sql.Stmt
	fields [canonicalFields]sql.RawBytes
	raw    [canonicalFields][]byte
}

func prepareExact(ctx context.Context, tx *sql.Tx) (*exactRow, error) {
	stmt, err := tx.PrepareContext(ctx, `SELECT seq, at, id, actor_id, actor_role, client_id, record_kind,
		record_ids, action, purpose, rule, grant_id, remote, outcome, prev_hash
		FROM access_log WHERE seq = ?`)
	if err != nil {
		return nil, internal("verify", err)
	}
	return &exactRow{stmt: stmt}, nil
}

func (e *exactRow) close() { e.stmt.Close() }

// hash puts the hash of record seq, read column by column, into sum; buf is
// scratch space, returned for reuse.
func (e *exactRow) hash(ctx context.Context, seq int64, buf []byte, sum *[sha256.Size]byte) ([]byte, error) {
	rows, err := e.stmt.QueryContext(ctx, seq)
	if err != nil {
		return buf, internal("verify", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return buf, internal("verify", err)
		}
		return buf, internal("verify", fmt.Errorf("record %d vanished during the check", seq))
	}
	var at int64
	var prev sql.RawBytes
	f := &e.fields
	if err := rows.Scan(&seq, &at, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8],
		&f[9], &f[10], &f[11], &prev); err != nil {
		return buf, internal("verify", err)
	}
	for i := range f {
		e.raw[i] = f[i]
	}
	buf = appendCanonical(buf[:0], prev, seq, at, &e.raw)
	*sum = sha256.Sum256(buf)
	if rows.Next() {
		// Two records with one seq (a table rebuilt without its key): which
		// one the ordered read gave cannot be told, so neither checks out.
		clear(sum[:])
	}
	if err := rows.Err(); err != nil {
		return buf, internal("verify", err)
	}
	return buf, nil
}
