// Package witness keeps the signed heads of nabij's access log outside the
// database, in an append-only file, so that a database whose log was cut back
// or rewritten can be told from the one the heads were signed for. It knows
// nothing of the database; a store hands it heads and asks it for Problem.
package witness

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nabij/nabij/records"
)

// Witness keeps the signed heads of the access log outside the database, in an
// append-only text file. Someone who can rewrite the database can cut its log
// back to an earlier checkpoint and delete the later checkpoints with it; the
// heads already handed to the witness then still say how far the log reached.
// A witness on another disk or host also survives someone who can write the
// whole data dir.
//
// One line per event, fields separated by one space, binary values in standard
// base64:
//
//	head <seq> <hash> <signed at, unix ms> <signature>   a signed checkpoint
//	opened <seq>                                          a store opened for writing at that head
//	closed <seq>                                          a clean close at that head
//	broken <seq> <db seq>                                 the server found records it did not write after <seq>
//
// Every append is fsynced, and so is the directory when the file is new.
type Witness struct {
	path string
	mu   sync.Mutex
	// newest is the newest head this process appended or read, so that an
	// append need not read the file; nil until the first append.
	newest *records.Checkpoint
}

// State is what a witness file says: its newest signed head, whether the
// last event was a clean close (and at which head) and whether the server ever
// saw records it did not write.
type State struct {
	// Head is the newest signed head; Head.Seq is 0 when there is none.
	Head records.Checkpoint
	// ClosedAt is the head of the last clean close, -1 when the newest event is
	// not a clean close (the store was running, or stopped without closing).
	ClosedAt int64
	// Broken describes the newest break the server reported; "" when none.
	Broken string
}

// New is the witness at path; the file is created at the first append.
func New(path string) *Witness { return &Witness{path: path} }

// Path is the witness file.
func (w *Witness) Path() string { return w.path }

// State reads the witness. A missing file is an empty witness. pub, when set,
// checks the signature of the newest head; a line that does not parse, a head
// that goes back on an earlier one, or a newest head that does not verify is
// an error, as the file is written only by nabij.
//
// The file grows by a line a second while records arrive, so only its end is
// read: from the last head on is all that State reports (after a break the
// server signs nothing more, so no head follows one).
func (w *Witness) State(pub ed25519.PublicKey) (State, error) {
	st := State{ClosedAt: -1}
	f, err := os.Open(w.path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("witness %s: %w", w.path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return st, fmt.Errorf("witness %s: %w", w.path, err)
	}
	size := fi.Size()
	for chunk := int64(64 << 10); ; chunk *= 4 {
		off := max(0, size-chunk)
		buf := make([]byte, size-off)
		if _, err := f.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
			return st, fmt.Errorf("witness %s: %w", w.path, err)
		}
		if off > 0 {
			// The chunk may start inside a line.
			nl := bytes.IndexByte(buf, '\n')
			if nl < 0 {
				continue
			}
			buf = buf[nl+1:]
		}
		st, err = w.parse(buf)
		if err != nil {
			return st, err
		}
		if st.Head.Seq > 0 || off == 0 {
			break
		}
	}
	if pub != nil && st.Head.Seq > 0 && !ed25519.Verify(pub, records.CheckpointMessage(st.Head.Seq, st.Head.Hash, st.Head.At), st.Head.Signature) {
		return st, fmt.Errorf("witness %s: the head at record %d has an invalid signature", w.path, st.Head.Seq)
	}
	return st, nil
}

// parse reads whole lines of the witness in order.
func (w *Witness) parse(buf []byte) (State, error) {
	st := State{ClosedAt: -1}
	for n := 1; len(buf) > 0; n++ {
		nl := bytes.IndexByte(buf, '\n')
		if nl < 0 {
			// A torn last line: an append that did not finish (its fsync
			// did not return), so nothing relied on it.
			return st, nil
		}
		line := string(buf[:nl])
		buf = buf[nl+1:]
		f := strings.Fields(line)
		bad := func(why string) error { return fmt.Errorf("witness %s: %s", w.path, why) }
		if len(f) == 0 {
			return st, bad("empty line")
		}
		switch f[0] {
		case "head":
			if len(f) != 5 {
				return st, bad("a head has 4 fields")
			}
			var cp records.Checkpoint
			var at int64
			var e1, e2, e3, e4 error
			cp.Seq, e1 = strconv.ParseInt(f[1], 10, 64)
			cp.Hash, e2 = base64.StdEncoding.DecodeString(f[2])
			at, e3 = strconv.ParseInt(f[3], 10, 64)
			cp.Signature, e4 = base64.StdEncoding.DecodeString(f[4])
			if err := errors.Join(e1, e2, e3, e4); err != nil || cp.Seq <= 0 {
				return st, bad("a head does not parse")
			}
			cp.At = time.UnixMilli(at).UTC()
			if cp.Seq < st.Head.Seq || (cp.Seq == st.Head.Seq && !bytes.Equal(cp.Hash, st.Head.Hash)) {
				return st, bad(fmt.Sprintf("the head at record %d goes back on the head at record %d", cp.Seq, st.Head.Seq))
			}
			st.Head, st.ClosedAt = cp, -1
		case "opened", "closed":
			if len(f) != 2 {
				return st, bad("an open or close has 1 field")
			}
			seq, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return st, bad("an open or close does not parse")
			}
			st.ClosedAt = -1
			if f[0] == "closed" {
				st.ClosedAt = seq
			}
		case "broken":
			if len(f) != 3 {
				return st, bad("a break has 2 fields")
			}
			st.Broken = fmt.Sprintf("the server found records it did not write after record %s (the database's log reached record %s)", f[1], f[2])
			st.ClosedAt = -1
		default:
			return st, bad("unknown event " + strconv.Quote(f[0]))
		}
	}
	return st, nil
}

// AppendHead records a signed checkpoint. It refuses a head before the
// witness's newest one, or at the same record with another hash: the witness
// only moves forward. Whether a later head extends the earlier one is for the
// store to check before it signs (the chain is in the database, not here).
func (w *Witness) AppendHead(cp records.Checkpoint) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.newest == nil {
		st, err := w.State(nil)
		if err != nil {
			return err
		}
		w.newest = &st.Head
	}
	newest := w.newest
	if cp.Seq < newest.Seq || (cp.Seq == newest.Seq && !bytes.Equal(cp.Hash, newest.Hash)) {
		return fmt.Errorf("witness %s: refusing the head at record %d: it has record %d already", w.path, cp.Seq, newest.Seq)
	}
	if cp.Seq == newest.Seq {
		return nil
	}
	err := w.appendLine(fmt.Sprintf("head %d %s %d %s\n", cp.Seq, base64.StdEncoding.EncodeToString(cp.Hash),
		cp.At.UnixMilli(), base64.StdEncoding.EncodeToString(cp.Signature)))
	if err == nil {
		w.newest = &cp
	}
	return err
}

// AppendEvent records that a store opened ("opened") or closed cleanly
// ("closed") at head seq: records after a clean close and before the next open
// were not written by nabij.
func (w *Witness) AppendEvent(event string, seq int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.appendLine(fmt.Sprintf("%s %d\n", event, seq))
}

// AppendBroken records that the store found records it did not write: its
// own head was seq, the database's dbSeq. Problem reports it from then on.
func (w *Witness) AppendBroken(seq, dbSeq int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.appendLine(fmt.Sprintf("broken %d %d\n", seq, dbSeq))
}

// appendLine appends one line and fsyncs it; a new file is made 0600 and its
// directory fsynced too, so the file itself survives a crash.
func (w *Witness) appendLine(line string) error {
	_, statErr := os.Stat(w.path)
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return fmt.Errorf("witness %s: %w", w.path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("witness %s: %w", w.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("witness %s: %w", w.path, err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		if d, err := os.Open(filepath.Dir(w.path)); err == nil {
			err = d.Sync()
			d.Close()
			if err != nil {
				return fmt.Errorf("witness %s: %w", w.path, err)
			}
		}
	}
	return nil
}

// Problem compares the database's log, which ends at record seq, with the
// witness: it returns "" when the log reaches at least as far as the witness's newest head with the
// same hash there, and when no records were added after a clean close;
// otherwise what is wrong, in words. hashAt reads the hash of one record
// (nil when absent).
//
// at is the first record where the log is wrong.
func Problem(st State, seq int64, hashAt func(seq int64) ([]byte, error)) (at int64, problem string, err error) {
	if st.Broken != "" {
		return st.Head.Seq + 1, st.Broken, nil
	}
	if w := st.Head.Seq; w > 0 {
		if seq < w {
			return seq + 1, fmt.Sprintf("the database's log ends at record %d, but the witness holds a signed head at record %d: records were cut off or the log was put back to an earlier state", seq, w), nil
		}
		h, err := hashAt(w)
		if err != nil {
			return 0, "", err
		}
		if h == nil {
			return w, fmt.Sprintf("record %d, which the witness holds a signed head for, is missing", w), nil
		}
		if !bytes.Equal(h, st.Head.Hash) {
			return w, fmt.Sprintf("record %d differs from the signed head the witness holds for it: the log was rewritten", w), nil
		}
	}
	if st.ClosedAt >= 0 && seq > st.ClosedAt {
		return st.ClosedAt + 1, fmt.Sprintf("records %d to %d were added after the store was closed at record %d, not by nabij", st.ClosedAt+1, seq, st.ClosedAt), nil
	}
	return 0, "", nil
}
