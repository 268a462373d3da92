package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// logRow is one access_log row with every column, as stored.
type logRow struct {
	seq, at                                                 int64
	id, actorID, actorRole, clientID, recordKind, recordIDs string
	action, purpose, rule, grantID, remote, outcome         string
	prevHash, hash                                          []byte
}

const logColumns = `seq, at, id, actor_id, actor_role, client_id, record_kind, record_ids, action, purpose,
	rule, grant_id, remote, outcome, prev_hash, hash`

func (r *logRow) values() []any {
	return []any{r.seq, r.at, r.id, r.actorID, r.actorRole, r.clientID, r.recordKind, r.recordIDs, r.action,
		r.purpose, r.rule, r.grantID, r.remote, r.outcome, r.prevHash, r.hash}
}

func loadLog(t testing.TB, db *sql.DB) []logRow {
	t.Helper()
	rows, err := db.Query(`SELECT ` + logColumns + ` FROM access_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []logRow
	for rows.Next() {
		var r logRow
		if err := rows.Scan(&r.seq, &r.at, &r.id, &r.actorID, &r.actorRole, &r.clientID, &r.recordKind, &r.recordIDs,
			&r.action, &r.purpose, &r.rule, &r.grantID, &r.remote, &r.outcome, &r.prevHash, &r.hash); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// chainHash is the access-log hash as documented in accesslog.go, written out
// here independently: "nabij/access/v1" || prev hash || seq (8 bytes, big
// endian) || at in Unix ms (8 bytes) || each of the 12 text fields, in column
// order, as a 4-byte big-endian length and the bytes. SHA-256 of that.
func chainHash(r logRow) []byte {
	buf := []byte("nabij/access/v1")
	buf = append(buf, r.prevHash...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(r.seq))
	buf = binary.BigEndian.AppendUint64(buf, uint64(r.at))
	for _, f := range []string{r.id, r.actorID, r.actorRole, r.clientID, r.recordKind, r.recordIDs,
		r.action, r.purpose, r.rule, r.grantID, r.remote, r.outcome} {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(f)))
		buf = append(buf, f...)
	}
	sum := sha256.Sum256(buf)
	return sum[:]
}

// seedLog makes an access log of 23 records on a store that signs a checkpoint
// every 5 records: one record per request, so the checkpoints vouch for records
// 5, 10, 15 and 20, and 21..23 are the tail after the last checkpoint.
func seedLog(t testing.TB) (*testEnv, *sql.DB) {
	t.Helper()
	env := mustOpen(t, func(o *sqlite.Options) { o.CheckpointEvery = 5 })
	ctx := context.Background()
	sam := mustCreateUser(t, env.store, "sam", records.RoleProfessional, "")
	olga := mustCreateUser(t, env.store, "olga", records.RoleProfessional, "")
	c, err := env.store.CreateClient(ctx, sam, records.NewClient{Name: "Noor Jansen"})
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, env.dbPath())
	for i := 0; maxSeq(t, db) < 23; i++ {
		if i%4 == 3 { // some denied records among them
			if _, err := env.store.ClientFile(ctx, olga, records.PurposeCare, c.ID); records.ErrorCode(err) != records.EFORBIDDEN {
				t.Fatal(err)
			}
		} else if _, err := env.store.ClientFile(ctx, sam, records.PurposeCare, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	return env, db
}

// TestAccessLogEncoding pins the chain's hash encoding: every stored record's
// hash is the documented encoding of its own columns, and names the hash of
// the record before it (32 zero bytes before the first). A change to the
// encoding would make every existing log fail verification.
func TestAccessLogEncoding(t *testing.T) {
	_, db := seedLog(t)
	rows := loadLog(t, db)
	if len(rows) != 23 {
		t.Fatalf("%d records", len(rows))
	}
	prev := make([]byte, sha256.Size)
	for i, r := range rows {
		if r.seq != int64(i+1) {
			t.Fatalf("row %d has seq %d", i, r.seq)
		}
		if !bytes.Equal(r.prevHash, prev) {
			t.Errorf("record %d: prev_hash is not the hash of record %d", r.seq, r.seq-1)
		}
		if !bytes.Equal(r.hash, chainHash(r)) {
			t.Errorf("record %d: hash is not the documented encoding", r.seq)
		}
		prev = r.hash
	}
}

// TestAccessLogAppendOnly: the database itself refuses to change or remove an
// access record — plain UPDATE and DELETE, an upsert, INSERT OR REPLACE (which
// deletes without firing DELETE triggers), and a record slipped in below the
// head — while the store keeps appending.
func TestAccessLogAppendOnly(t *testing.T) {
	env, db := seedLog(t)
	rows := loadLog(t, db)
	forged := rows[7]
	forged.actorID = "someone-else"
	insert := `INSERT INTO access_log (` + logColumns + `) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	tests := []struct {
		name  string
		query string
		args  []any
	}{
		{"Update", `UPDATE access_log SET actor_id = 'someone-else' WHERE seq = 8`, nil},
		{"UpdateAll", `UPDATE access_log SET outcome = 'ok'`, nil},
		{"Delete", `DELETE FROM access_log WHERE seq = 8`, nil},
		{"DeleteTail", `DELETE FROM access_log WHERE seq > 20`, nil},
		{"Upsert", insert + ` ON CONFLICT(seq) DO UPDATE SET actor_id = excluded.actor_id`, forged.values()},
		{"InsertBelowHead", insert, func() []any { r := forged; r.seq, r.id = 0, "forged-id"; return r.values() }()},
	}
	if !onPostgres() {
		// SQLite's own ways to replace a row (PostgreSQL has no such syntax).
		tests = append(tests, []struct {
			name  string
			query string
			args  []any
		}{
			{"InsertOrReplace", strings.Replace(insert, "INSERT", "INSERT OR REPLACE", 1), forged.values()},
			{"ReplaceInto", strings.Replace(insert, "INSERT", "REPLACE", 1), forged.values()},
		}...)
	} else {
		tests = append(tests, struct {
			name  string
			query string
			args  []any
		}{"Truncate", `TRUNCATE access_log`, nil})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.Exec(tt.query, tt.args...)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("got %v, want the append-only refusal", err)
			}
			if got := loadLog(t, db); len(got) != len(rows) || got[7].actorID != rows[7].actorID {
				t.Fatalf("the log changed")
			}
		})
	}
	// The first record by a professional is sam creating the client (the
	// records before it are the accounts being made).
	var sam records.Actor
	for _, r := range rows {
		if r.actorRole == string(records.RoleProfessional) {
			sam = records.Actor{UserID: r.actorID, Role: records.RoleProfessional}
			break
		}
	}
	if _, err := env.store.Caseload(context.Background(), sam); err != nil {
		t.Fatalf("the store no longer appends: %v", err)
	}
	if rep := mustVerifyOK(t, env.store); rep.Records != int64(len(rows))+1 {
		t.Fatalf("report %+v", rep)
	}
}

// TestFailClosed: no client data leaves without its access record. When the
// access record cannot be written, the reader gets an error and no data, and a
// write leaves nothing behind. A trigger installed through a second connection makes every append
// to the access log fail.
func TestFailClosed(t *testing.T) {
	w := newWorld(t)
	note := w.note(t, w.sam, "before the log broke", records.VisibilityShared, "")
	db := w.raw(t)
	refuseInserts(t, db, "test_block_access_log", "access_log", "disk says no")
	counts := func() [6]int {
		return [6]int{countRows(t, db, "clients"), countRows(t, db, "notes"), countRows(t, db, "note_versions"),
			countRows(t, db, "contacts"), countRows(t, db, "entries"), countRows(t, db, "access_log")}
	}
	before := counts()
	tests := []struct {
		name string
		call func() (any, error)
	}{
		{"ClientFile", func() (any, error) { return w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID) }},
		{"ClientFileOwn", func() (any, error) { return w.s.ClientFile(w.ctx, w.self, records.PurposeOwnFile, w.c.ID) }},
		{"Client", func() (any, error) { return w.s.Client(w.ctx, w.sam, records.PurposeCare, w.c.ID) }},
		{"Caseload", func() (any, error) { return w.s.Caseload(w.ctx, w.sam) }},
		{"ClientAccessLog", func() (any, error) { return w.s.ClientAccessLog(w.ctx, w.self, w.c.ID, 0, 0) }},
		{"AccessLog", func() (any, error) { return w.s.AccessLog(w.ctx, w.dpo, records.AccessFilter{}) }},
		// A refusal whose denied record cannot be written is still a refusal.
		{"Denied", func() (any, error) { return w.s.ClientFile(w.ctx, w.olga, records.PurposeCare, w.c.ID) }},
		{"CreateNote", func() (any, error) {
			return w.s.CreateNote(w.ctx, w.sam, w.c.ID, records.NewNote{ContactID: w.visit.ID, Body: "lost", Visibility: records.VisibilityShared})
		}},
		{"CorrectNote", func() (any, error) {
			return w.s.CorrectNote(w.ctx, w.sam, note.ID, records.Correction{Body: "lost", Visibility: records.VisibilityShared})
		}},
		{"CreateClient", func() (any, error) { return w.s.CreateClient(w.ctx, w.sam, records.NewClient{Name: "Lost Client"}) }},
		{"CreateContact", func() (any, error) {
			return w.s.CreateContact(w.ctx, w.sam, w.c.ID, records.NewContact{TrajectoryID: w.tr.ID, Channel: records.ChannelPhone, OccurredAt: w.now(), DurationMinutes: 5})
		}},
		{"CreateEntry", func() (any, error) { return w.s.CreateEntry(w.ctx, w.self, w.c.ID, "lost") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.call()
			if err == nil {
				t.Fatal("no error while the access log cannot be written")
			}
			if !isNil(got) {
				t.Errorf("data returned along with %v", err)
			}
			if after := counts(); after != before {
				t.Errorf("rows %v -> %v", before, after)
			}
		})
	}
	allowInserts(t, db, "test_block_access_log", "access_log")
	f, err := w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID)
	if err != nil || len(f.Notes) != 1 || f.Notes[0].Body != "before the log broke" {
		t.Fatalf("after repair: %v", err)
	}
	mustVerifyOK(t, w.s)
}

// isNil reports whether v is nil or a typed nil pointer or slice.
func isNil(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case *records.File:
		return x == nil
	case *records.Client:
		return x == nil
	case *records.Note:
		return x == nil
	case *records.Contact:
		return x == nil
	case *records.Entry:
		return x == nil
	case []records.CaseloadEntry:
		return x == nil
	case []records.AccessView:
		return x == nil
	}
	return false
}
