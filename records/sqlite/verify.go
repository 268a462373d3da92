package sqlite

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
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
	tx, err := s.r.BeginTx(ctx, s.readTxOptions())
	if err != nil {
		return records.VerifyReport{}, internal("verify", err)
	}
	defer tx.Rollback()
	parts, part := verifyMaxParts(), int64(defaultVerifyPart)
	if s.verifyParts != 0 {
		parts, part = s.verifyParts, 1
	}
	more := func(ctx context.Context) (*sql.Tx, error) { return s.r.BeginTx(ctx, s.readTxOptions()) }
	rep, err := verifyChain(ctx, tx, pub, s.opts.CheckpointEvery, more, parts, part)
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
//
// When more is not nil, the chain is read in up to maxParts parts of at least
// minPart records at the same time, the later ones each in a read transaction
// that more begins (on another connection); see verifyParts.
func verifyChain(ctx context.Context, tx *sql.Tx, pub ed25519.PublicKey, every int64, more func(context.Context) (*sql.Tx, error), maxParts int, minPart int64) (records.VerifyReport, error) {
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

	parts, err := verifyParts(ctx, tx, more, maxParts, minPart)
	if err != nil {
		return rep, err
	}
	if err := walkParts(ctx, tx, more, parts, cps); err != nil {
		return rep, err
	}
	broken := func(seq int64, format string, args ...any) {
		if rep.BrokenAt == 0 {
			rep.BrokenAt = seq
			rep.Problem = fmt.Sprintf(format, args...)
		}
	}
	// Stitch the parts together in order: the checks on the first record of
	// a part need the last record of the part before it, and they come before
	// whatever the part found further on, as in one walk from the start.
	prev := genesis
	var seq, expect int64 = 0, 1
	for i := range parts {
		p := &parts[i]
		if p.records == 0 {
			continue
		}
		switch {
		case p.firstSeq != expect:
			broken(expect, "record %d is missing (next is %d)", expect, p.firstSeq)
		case !bytes.Equal(p.firstPrev, prev):
			broken(p.firstSeq, "record %d does not follow record %d", p.firstSeq, p.firstSeq-1)
		}
		if p.brokenAt != 0 {
			broken(p.brokenAt, "%s", p.problem)
		}
		rep.Records += p.records
		if p.lastCheckpoint != 0 {
			rep.LastCheckpoint = p.lastCheckpoint
		}
		seq, expect, prev = p.lastSeq, p.lastSeq+1, p.lastHash[:]
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

// defaultVerifyPart is the shortest stretch of the chain worth a connection
// and a goroutine of its own: a few milliseconds of work.
const defaultVerifyPart = 16_384

// maxVerifyParts bounds how many reader connections one verify holds.
const maxVerifyParts = 4

// verifyMaxParts is how many parts verify reads at once: one per core, up to
// maxVerifyParts.
func verifyMaxParts() int { return min(runtime.GOMAXPROCS(0), maxVerifyParts) }

// chainPart is one stretch of the chain, records lo to hi, and what walking
// it found. The first record's link to the one before cannot be checked
// inside the part: verifyChain checks it from firstSeq and firstPrev.
type chainPart struct {
	lo, hi int64 // the seqs it covers; the first part also takes a record without one

	records        int64
	firstSeq       int64
	firstPrev      []byte
	lastSeq        int64
	lastHash       [sha256.Size]byte
	brokenAt       int64 // the first problem inside the part
	problem        string
	lastCheckpoint int64 // the last record whose hash matched its checkpoint
}

// verifyParts splits the chain as tx sees it into at most maxParts stretches
// of about equal size, each at least minPart records long; one part covers
// everything when more is nil. The later parts are read in transactions of
// their own, begun after tx: records are only ever appended, so bounding every
// part by the head tx sees gives them the same records as tx, and records
// added meanwhile are left out.
func verifyParts(ctx context.Context, tx *sql.Tx, more func(context.Context) (*sql.Tx, error), maxParts int, minPart int64) ([]chainPart, error) {
	whole := []chainPart{{lo: math.MinInt64, hi: math.MaxInt64}}
	if more == nil || maxParts < 2 || minPart < 1 {
		return whole, nil
	}
	var lo, hi sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MIN(seq), MAX(seq) FROM access_log`).Scan(&lo, &hi); err != nil {
		return nil, internal("verify", err)
	}
	span := hi.Int64 - lo.Int64 + 1
	if !lo.Valid || lo.Int64 < 1 || span/minPart < 2 {
		return whole, nil
	}
	n := int(min(int64(maxParts), span/minPart))
	parts := make([]chainPart, n)
	step := span / int64(n)
	for i := range parts {
		parts[i].lo = lo.Int64 + int64(i)*step
		parts[i].hi = parts[i].lo + step - 1
	}
	parts[0].lo = math.MinInt64
	parts[n-1].hi = hi.Int64
	return parts, nil
}

// walkParts walks every part, the first in tx and the others at the same
// time in transactions from more.
func walkParts(ctx context.Context, tx *sql.Tx, more func(context.Context) (*sql.Tx, error), parts []chainPart, cps map[int64][]byte) error {
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i := 1; i < len(parts); i++ {
		wg.Go(func() {
			ptx, err := more(ctx)
			if err != nil {
				errs[i] = internal("verify", err)
				return
			}
			defer ptx.Rollback()
			errs[i] = walkPart(ctx, ptx, &parts[i], cps)
		})
	}
	errs[0] = walkPart(ctx, tx, &parts[0], cps)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// walkPart reads the records of p in order and checks each against the one
// before it in the part, its own hash and its checkpoint; p records the first
// problem, and what verifyChain needs to join p to the part before.
func walkPart(ctx context.Context, tx *sql.Tx, p *chainPart, cps map[int64][]byte) error {
	// Each row comes as three values instead of sixteen (verifyQuery): most
	// of a row's cost is handing columns from SQLite to Go, one conversion and
	// allocation each. The separator is a bound parameter, so the SQL stays
	// portable.
	var rows *sql.Rows
	var err error
	if p.lo == math.MinInt64 && p.hi == math.MaxInt64 {
		rows, err = tx.QueryContext(ctx, verifyQuery+` ORDER BY seq`, verifySeparator)
	} else if p.lo == math.MinInt64 {
		// A record without a seq (a table rebuilt without its key) makes the
		// check fail, as it does when the chain is read in one part.
		rows, err = tx.QueryContext(ctx, verifyQuery+` WHERE seq <= ? OR seq IS NULL ORDER BY seq`, verifySeparator, p.hi)
	} else {
		rows, err = tx.QueryContext(ctx, verifyQuery+` WHERE seq >= ? AND seq <= ? ORDER BY seq`, verifySeparator, p.lo, p.hi)
	}
	if err != nil {
		return internal("verify", err)
	}
	defer func() { rows.Close() }() // rows is reopened after an exact read
	broken := func(seq int64, format string, args ...any) {
		if p.brokenAt == 0 {
			p.brokenAt = seq
			p.problem = fmt.Sprintf(format, args...)
		}
	}
	sum := &p.lastHash
	var prev [sha256.Size]byte // the recomputed hash of the record before
	var storedPrev, storedHash []byte
	var raw [canonicalFields][]byte
	var joined, hashes sql.RawBytes
	var exact *exactRow
	var seq, at, expect int64
	var reopen bool
	buf := make([]byte, 0, 512)
	for rows.Next() {
		if err := rows.Scan(&seq, &joined, &hashes); err != nil {
			return internal("verify", err)
		}
		p.records++
		ok := len(hashes) == 2*sha256.Size && splitFields(joined, &at, &raw)
		if ok {
			storedPrev, storedHash = hashes[:sha256.Size], hashes[sha256.Size:]
			buf = appendCanonical(buf[:0], storedPrev, seq, at, &raw)
			*sum = sha256.Sum256(buf)
		}
		if !ok || !bytes.Equal(sum[:], storedHash) {
			// A field holding the separator, a NULL, a hash that is not 32
			// bytes or does not match: read the record again column by column,
			// exactly as it is read back everywhere else, before calling it
			// changed. One connection runs one query at a time on
			// PostgreSQL, so the walk stops here and goes on after seq.
			if err := rows.Close(); err != nil {
				return internal("verify", err)
			}
			reopen = true
			if exact == nil {
				if exact, err = prepareExact(ctx, tx); err != nil {
					return err
				}
				defer exact.close()
			}
			if buf, err = exact.hash(ctx, seq, buf, sum); err != nil {
				return err
			}
			storedPrev, storedHash = exact.storedPrev, exact.storedHash
		}
		if p.records == 1 {
			p.firstSeq, p.firstPrev = seq, bytes.Clone(storedPrev)
		} else if p.brokenAt == 0 {
			switch {
			case seq != expect:
				broken(expect, "record %d is missing (next is %d)", expect, seq)
			case !bytes.Equal(storedPrev, prev[:]):
				broken(seq, "record %d does not follow record %d", seq, seq-1)
			}
		}
		if p.brokenAt == 0 && !bytes.Equal(sum[:], storedHash) {
			broken(seq, "record %d was changed after it was written", seq)
		}
		if want, ok := cps[seq]; ok {
			if bytes.Equal(want, sum[:]) {
				p.lastCheckpoint = seq
			} else if p.brokenAt == 0 {
				broken(seq, "record %d does not match the signed checkpoint", seq)
			}
		}
		// Chain on the recomputed hash, so a record whose stored hash was also
		// rewritten still breaks the link to the next one.
		prev = *sum
		expect = seq + 1
		if reopen {
			reopen = false
			rows, err = tx.QueryContext(ctx, verifyQuery+` WHERE seq > ? AND seq <= ? ORDER BY seq`, verifySeparator, seq, p.hi)
			if err != nil {
				return internal("verify", err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return internal("verify", err)
	}
	p.lastSeq = seq
	return nil
}

// verifySeparator joins the text columns of a record for verify. It is a
// control character that no id, code or address holds; a record whose fields
// do hold it is hashed from its separate columns instead (exactRow).
const verifySeparator = "\x1f"

// verifyQuery reads the chain: seq; at and the twelve text fields of the
// canonical encoding joined by the bound separator; prev_hash and hash as one
// value of 64 bytes (NULL unless both are 32 bytes long, so that no byte can
// move from one to the other unseen).
var verifyQuery = `SELECT seq, concat_ws(?, at, id, actor_id, actor_role, client_id, record_kind,
	record_ids, action, purpose, rule, grant_id, remote, outcome),
	CASE WHEN length(prev_hash) = 32 AND length(hash) = 32 THEN prev_hash || hash END
	FROM access_log`

// splitFields cuts a joined row into at and the twelve fields, without
// copying. It reports false unless there are exactly thirteen parts and the
// first is a plain decimal number, so a field that holds the separator itself
// (or a NULL, which concat_ws leaves out) is never mistaken for a different
// split.
func splitFields(joined []byte, at *int64, fields *[canonicalFields][]byte) bool {
	if joined == nil {
		return false
	}
	j := bytes.IndexByte(joined, verifySeparator[0])
	if j < 0 || !parseDecimal(joined[:j], at) {
		return false
	}
	joined = joined[j+1:]
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

// parseDecimal reads an optional minus sign and one to eighteen digits, the
// way both SQLite and PostgreSQL print a time in milliseconds; anything else
// (a longer number, a fraction) reports false and is read as a column.
func parseDecimal(b []byte, n *int64) bool {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	*n = v
	return true
}

// exactRow reads one record column by column, as the chain's writer encoded
// it. Verify uses it for every record whose joined values do not check out, so
// a record is called changed only on its separate columns, and passes only
// when its stored hash matches its fields.
type exactRow struct {
	stmt                   *sql.Stmt
	fields                 [canonicalFields]sql.RawBytes
	raw                    [canonicalFields][]byte
	storedPrev, storedHash []byte // the stored hashes of the record read last
}

func prepareExact(ctx context.Context, tx *sql.Tx) (*exactRow, error) {
	stmt, err := tx.PrepareContext(ctx, `SELECT seq, at, id, actor_id, actor_role, client_id, record_kind,
		record_ids, action, purpose, rule, grant_id, remote, outcome, prev_hash, hash
		FROM access_log WHERE seq = ?`)
	if err != nil {
		return nil, internal("verify", err)
	}
	return &exactRow{stmt: stmt}, nil
}

func (e *exactRow) close() { e.stmt.Close() }

// hash puts the hash of record seq, read column by column, into sum and its
// stored hashes into e.storedPrev and e.storedHash; buf is scratch space, returned for
// reuse.
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
	f := &e.fields
	if err := rows.Scan(&seq, &at, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8],
		&f[9], &f[10], &f[11], &e.storedPrev, &e.storedHash); err != nil {
		return buf, internal("verify", err)
	}
	for i := range f {
		e.raw[i] = f[i]
	}
	buf = appendCanonical(buf[:0], e.storedPrev, seq, at, &e.raw)
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
