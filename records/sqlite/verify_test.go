package sqlite_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/nabij/nabij/records/sqlite"
)

// dropAppendOnly removes the append-only triggers, as someone with write access
// to the file could: only the hash chain and the checkpoints are left to
// catch what follows.
func dropAppendOnly(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, tr := range []string{"access_log_append_only_update", "access_log_append_only_delete", "access_log_append_only_insert",
		"access_checkpoints_append_only_update", "access_checkpoints_append_only_delete"} {
		if onPostgres() {
			table, _, _ := strings.Cut(tr, "_append_only")
			mustExec(t, db, `DROP TRIGGER IF EXISTS `+tr+` ON `+table)
			continue
		}
		mustExec(t, db, `DROP TRIGGER IF EXISTS `+tr)
	}
}

// putRow overwrites every column of the row stored at seq with r.
func putRow(t *testing.T, db *sql.DB, seq int64, r logRow) {
	t.Helper()
	mustExec(t, db, `UPDATE access_log SET seq=?, at=?, id=?, actor_id=?, actor_role=?, client_id=?, record_kind=?,
		record_ids=?, action=?, purpose=?, rule=?, grant_id=?, remote=?, outcome=?, prev_hash=?, hash=? WHERE seq = ?`,
		append(r.values(), seq)...)
}

// rehashFrom recomputes prev_hash and hash of every record from seq on, so the
// chain is consistent again from there: what a careful forger would do.
func rehashFrom(t *testing.T, db *sql.DB, seq int64) {
	t.Helper()
	rows := loadLog(t, db)
	for i := range rows {
		if rows[i].seq < seq {
			continue
		}
		if i > 0 {
			rows[i].prevHash = rows[i-1].hash
		}
		rows[i].hash = chainHash(rows[i])
		putRow(t, db, rows[i].seq, rows[i])
	}
}

// TestVerifyAccessLogDetectsTampering: the access log is tamper-evident. Every way of
// changing the access log behind nabij's back — with the append-only triggers
// dropped first — is reported by VerifyAccessLog with OK false and the first
// broken position. The log of seedLog has records 1..23 and signed
// checkpoints vouching for records 5, 10, 15 and 20.
func TestVerifyAccessLogDetectsTampering(t *testing.T) {
	const k = 8 // the record tampered with, between checkpoints 5 and 10
	edit := func(f func(*logRow)) func(*testing.T, *sql.DB) {
		return func(t *testing.T, db *sql.DB) {
			r := loadLog(t, db)[k-1]
			f(&r)
			putRow(t, db, k, r)
		}
	}
	tests := []struct {
		name   string
		tamper func(*testing.T, *sql.DB)
		pub    func(*testEnv) ed25519.PublicKey // nil: the store's own key
		// brokenAt is where the report must say the log breaks.
		brokenAt int64
		problem  string // a word the problem must mention
		// checkpoint: the server's timer signs the head (record 23) first.
		checkpoint bool
	}{
		// An edited field no longer matches the record's hash: broken at k.
		{"EditActor", edit(func(r *logRow) { r.actorID = "someone-else" }), nil, k, "changed", false},
		{"EditOutcome", edit(func(r *logRow) {
			if r.outcome == "ok" {
				r.outcome = "denied"
			} else {
				r.outcome = "ok"
			}
		}), nil, k, "changed", false},
		{"EditTime", edit(func(r *logRow) { r.at += 60_000 }), nil, k, "changed", false},
		{"EditRecordIDs", edit(func(r *logRow) { r.recordIDs += ",0190a000-0000-7000-8000-000000000000" }), nil, k, "changed", false},
		{"EditPurpose", edit(func(r *logRow) { r.purpose = "break_glass" }), nil, k, "changed", false},
		{"EditRemote", edit(func(r *logRow) { r.remote = "10.0.0.66" }), nil, k, "changed", false},
		// Verify reads the text fields joined by a unit separator (0x1f): a
		// field boundary moved by hiding the separator in a field, and a field
		// ending in it, are still changes.
		{"MoveFieldBoundary", edit(func(r *logRow) { r.actorID, r.actorRole = r.actorID+"\x1f"+r.actorRole, "" }), nil, k, "changed", false},
		{"EditRemoteSeparator", edit(func(r *logRow) { r.remote += "\x1f" }), nil, k, "changed", false},
		// A changed link to the previous record: broken at k.
		{"EditPrevHash", edit(func(r *logRow) { r.prevHash[0] ^= 1 }), nil, k, "follow", false},
		// Verify reads prev_hash and hash as one 64-byte value: a byte moved
		// from the start of hash to the end of prev_hash leaves that value as
		// it was, but the link to the previous record is broken.
		{"ShiftHashByte", edit(func(r *logRow) { r.prevHash, r.hash = append(r.prevHash, r.hash[0]), r.hash[1:] }), nil, k, "follow", false},
		// A deleted record leaves a gap: the first missing seq is k.
		{"DeleteRow", func(t *testing.T, db *sql.DB) { mustExec(t, db, `DELETE FROM access_log WHERE seq = ?`, k) }, nil, k, "missing", false},
		{"DeleteFirstRow", func(t *testing.T, db *sql.DB) { mustExec(t, db, `DELETE FROM access_log WHERE seq = 1`) }, nil, 1, "missing", false},
		// A forged record inserted at k, correctly chained to k-1 and hashed
		// for its own position, with every later record moved up one: the
		// forged record itself checks out, but the record after it (the old k,
		// now k+1) still names the old hash of k-1 as its predecessor and was
		// hashed with its old seq. Broken at k+1.
		{"InsertForgedRow", func(t *testing.T, db *sql.DB) {
			rows := loadLog(t, db)
			mustExec(t, db, `UPDATE access_log SET seq = -(seq + 1) WHERE seq >= ?`, k)
			mustExec(t, db, `UPDATE access_log SET seq = -seq WHERE seq < 0`)
			f := rows[k-1]
			f.id, f.actorID, f.outcome = "forged-0000", "someone-else", "ok"
			f.prevHash = rows[k-2].hash
			f.hash = chainHash(f)
			mustExec(t, db, `INSERT INTO access_log (`+logColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, f.values()...)
		}, nil, k + 1, "follow", false},
		// Two records swapped (each keeps the other's seq): record k now carries
		// the link of k+1, which names k, not k-1. Broken at k.
		{"Reorder", func(t *testing.T, db *sql.DB) {
			rows := loadLog(t, db)
			a, b := rows[k-1], rows[k]
			a.seq, b.seq = k+1, k
			mustExec(t, db, `DELETE FROM access_log WHERE seq IN (?, ?)`, k, k+1)
			for _, r := range []logRow{b, a} {
				mustExec(t, db, `INSERT INTO access_log (`+logColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, r.values()...)
			}
		}, nil, k, "follow", false},
		// Record k edited and its own hash recomputed: k checks out on its own,
		// but record k+1 still links to the old hash of k. Broken at k+1.
		{"EditAndRehashOne", func(t *testing.T, db *sql.DB) {
			r := loadLog(t, db)[k-1]
			r.actorID = "someone-else"
			r.hash = chainHash(r)
			putRow(t, db, k, r)
		}, nil, k + 1, "follow", false},
		// Record k edited and the whole chain after it recomputed: every link
		// and hash checks out, but the signed checkpoint for record 10 names
		// the old hash. Broken at 10, the first checkpoint at or after k.
		{"RewriteWholeChain", func(t *testing.T, db *sql.DB) {
			edit(func(r *logRow) { r.actorID = "someone-else" })(t, db)
			rehashFrom(t, db, k)
		}, nil, 10, "checkpoint", false},
		// The same from the first record on.
		{"RewriteFromGenesis", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE access_log SET outcome = 'ok', remote = '10.0.0.1'`)
			rehashFrom(t, db, 1)
		}, nil, 5, "checkpoint", false},
		// Every checkpoint deleted and the whole chain rewritten: links and
		// hashes check out, but the batch that passed record 20 must have signed
		// a checkpoint there. Broken at 20, the last checkpoint boundary.
		{"DeleteCheckpointsAndRewrite", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `DELETE FROM access_checkpoints`)
			mustExec(t, db, `UPDATE access_log SET outcome = 'ok'`)
			rehashFrom(t, db, 1)
		}, nil, 20, "checkpoint", false},
		// A checkpoint whose signature was altered: broken at that checkpoint.
		{"BadCheckpointSignature", func(t *testing.T, db *sql.DB) {
			// Byte 11 changes whatever it was (setting it to 0x00 alone changed
			// nothing in one run of 256).
			var sig []byte
			if err := db.QueryRow(`SELECT signature FROM access_checkpoints WHERE seq = 15`).Scan(&sig); err != nil {
				t.Fatal(err)
			}
			sig[10] ^= 0xff
			mustExec(t, db, `UPDATE access_checkpoints SET signature = ? WHERE seq = 15`, sig)
		}, nil, 15, "signature", false},
		// A checkpoint moved to the rewritten chain's hash without a new
		// signature: the signature no longer matches. Broken at 15.
		{"CheckpointHashReplaced", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE access_checkpoints SET hash = (SELECT hash FROM access_log WHERE seq = 14) WHERE seq = 15`)
		}, nil, 15, "signature", false},
		// Verified with another public key, no checkpoint is valid: broken at
		// the first one.
		{"OtherPublicKey", func(*testing.T, *sql.DB) {}, func(*testEnv) ed25519.PublicKey {
			pub, _, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				panic(err)
			}
			return pub
		}, 5, "signature", false},
		// The tail cut back past the last checkpoint: checkpoint 20 vouches for
		// a record that is gone. Broken at 18, the first missing record.
		{"TruncateTail", func(t *testing.T, db *sql.DB) { mustExec(t, db, `DELETE FROM access_log WHERE seq >= 18`) }, nil, 18, "missing", false},
		{"TruncateEverything", func(t *testing.T, db *sql.DB) { mustExec(t, db, `DELETE FROM access_log`) }, nil, 1, "missing", false},
		// Records after the last checkpoint are covered once the timer signs
		// the head: dropping the newest record is then caught at 23. (Without
		// that checkpoint a cut after record 20 cannot be told from a log that
		// ends there; the report's LastCheckpoint says how far the guarantee
		// reaches.)
		{"TruncateAfterTimerCheckpoint", func(t *testing.T, db *sql.DB) { mustExec(t, db, `DELETE FROM access_log WHERE seq = 23`) }, nil, 23, "missing", true},
	}
	// Each case also with the log read in three parts at once (records 1–7,
	// 8–14 and 15–23): record k is then the first of a part, so its link to
	// the record before is checked across two parts.
	for _, tt := range tests {
		for _, parts := range []int{0, 3} {
			t.Run(fmt.Sprintf("%s/parts=%d", tt.name, parts), func(t *testing.T) {
				env, db := seedLog(t)
				if parts != 0 {
					sqlite.SetVerifyPartsForTest(env.store, parts)
				}
				rep := mustVerifyOK(t, env.store)
				if rep.Records != 23 || rep.Checkpoints != 4 || rep.LastCheckpoint != 20 {
					t.Fatalf("untouched log: %+v", rep)
				}
				if tt.checkpoint {
					if err := env.store.Checkpoint(t.Context()); err != nil {
						t.Fatal(err)
					}
				}
				dropAppendOnly(t, db)
				tt.tamper(t, db)
				var pub ed25519.PublicKey
				if tt.pub != nil {
					pub = tt.pub(env)
				}
				rep, err := env.store.VerifyAccessLog(t.Context(), pub)
				if err != nil {
					t.Fatal(err)
				}
				if rep.OK || rep.BrokenAt != tt.brokenAt || !strings.Contains(rep.Problem, tt.problem) {
					t.Errorf("got OK=%v BrokenAt=%d %q, want OK=false BrokenAt=%d (%s)", rep.OK, rep.BrokenAt, rep.Problem, tt.brokenAt, tt.problem)
				}
			})
		}
	}
}

// TestVerifyAccessLogFieldHoldsSeparator: verify reads the text fields of a
// record joined by a unit separator (0x1f), but a record whose own fields hold
// that byte, hashed that way when it was written, is intact: verify hashes it
// from its separate columns. Record 23 lies after the last checkpoint (20), so
// rewriting it with a consistent hash leaves a log that must verify.
func TestVerifyAccessLogFieldHoldsSeparator(t *testing.T) {
	env, db := seedLog(t)
	dropAppendOnly(t, db)
	r := loadLog(t, db)[22]
	r.remote, r.recordIDs = "10.0.0.1\x1f", "\x1f"+r.recordIDs
	putRow(t, db, 23, r)
	rehashFrom(t, db, 23)
	rep := mustVerifyOK(t, env.store)
	if rep.Records != 23 || rep.LastCheckpoint != 20 {
		t.Fatalf("got %+v, want 23 records, last checkpoint 20", rep)
	}
}

// TestVerifyAccessLogFailsClosed: a record verify cannot read (a time that is
// not a number) makes VerifyAccessLog return an error, never a report, also
// when that record lies in a part read on another connection.
func TestVerifyAccessLogFailsClosed(t *testing.T) {
	sqliteOnly(t, "the unreadable record is text in an integer column, which PostgreSQL's types refuse to store")
	for _, parts := range []int{0, 3} {
		t.Run(fmt.Sprintf("parts=%d", parts), func(t *testing.T) {
			env, db := seedLog(t)
			if parts != 0 {
				sqlite.SetVerifyPartsForTest(env.store, parts)
			}
			dropAppendOnly(t, db)
			mustExec(t, db, `UPDATE access_log SET at = 'noon' WHERE seq = 20`)
			if rep, err := env.store.VerifyAccessLog(t.Context(), nil); err == nil {
				t.Fatalf("got report %+v, want an error", rep)
			}
		})
	}
}
