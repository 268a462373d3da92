package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/records/sqlite"
)

// rawDataDB opens a data dir's database behind nabij's back, with the
// append-only triggers dropped, as someone with write access to the file could.
func rawDataDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", sqlite.DBPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, tr := range []string{"access_log_append_only_update", "access_log_append_only_delete", "access_log_append_only_insert",
		"access_checkpoints_append_only_update", "access_checkpoints_append_only_delete"} {
		mustExecRaw(t, db, `DROP TRIGGER IF EXISTS `+tr)
	}
	return db
}

func mustExecRaw(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func queryInt(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// forgeAppend appends one record after the head, chained and hashed as nabij
// would: the chain alone cannot tell it from a real one.
func forgeAppend(t *testing.T, db *sql.DB) {
	t.Helper()
	var seq, at int64
	var prev []byte
	if err := db.QueryRow(`SELECT seq, at, hash FROM access_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &at, &prev); err != nil {
		t.Fatal(err)
	}
	seq++
	at += 1000
	fields := []string{"0190a000-0000-7000-8000-00000000f0f0", "someone", "professional", "", "file", "", "read",
		"care", "caseload", "", "", "ok"}
	buf := append([]byte("nabij/access/v1"), prev...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(seq))
	buf = binary.BigEndian.AppendUint64(buf, uint64(at))
	for _, f := range fields {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(f)))
		buf = append(buf, f...)
	}
	sum := sha256.Sum256(buf)
	args := []any{seq, at}
	for _, f := range fields {
		args = append(args, f)
	}
	args = append(args, prev, sum[:])
	mustExecRaw(t, db, `INSERT INTO access_log (seq, at, id, actor_id, actor_role, client_id, record_kind,
		record_ids, action, purpose, rule, grant_id, remote, outcome, prev_hash, hash)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, args...)
}

// TestLogTailAttacks: with write access to the database file one could cut the
// access log back to an earlier signed checkpoint (deleting the later ones),
// cut its tail, or append a forged record for the server to sign. Each leaves a
// chain that is consistent in itself, so the chain and the checkpoints in the
// database cannot show it; the witness of signed heads outside the database
// does: verify-log fails, naming the problem, and serve does not start.
func TestLogTailAttacks(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(*testing.T, *sql.DB)
		says   string // what verify-log must say
	}{
		{"TruncateToEarlierCheckpoint", func(t *testing.T, db *sql.DB) {
			cps := queryInt(t, db, `SELECT COUNT(*) FROM access_checkpoints`)
			if cps < 2 {
				t.Fatalf("the seeded log has %d checkpoints; the attack needs two", cps)
			}
			earlier := queryInt(t, db, `SELECT MIN(seq) FROM access_checkpoints`)
			mustExecRaw(t, db, `DELETE FROM access_log WHERE seq > ?`, earlier)
			mustExecRaw(t, db, `DELETE FROM access_checkpoints WHERE seq > ?`, earlier)
		}, "put back to an earlier state"},
		{"CutTail", func(t *testing.T, db *sql.DB) {
			last := queryInt(t, db, `SELECT MAX(seq) FROM access_log`)
			mustExecRaw(t, db, `DELETE FROM access_log WHERE seq > ?`, last-3)
			mustExecRaw(t, db, `DELETE FROM access_checkpoints WHERE seq > ?`, last-3)
		}, "cut off"},
		{"ForgedAppend", func(t *testing.T, db *sql.DB) { forgeAppend(t, db) }, "not by nabij"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := seededDir(t)
			// A second run adds a checkpoint after the seed's, as a day of
			// work would.
			noorCanRead(t, dir)
			if err := run([]string{"verify-log", "--data", dir}); err != nil {
				t.Fatalf("untouched log: %v", err)
			}
			db := rawDataDB(t, dir)
			tt.tamper(t, db)
			db.Close()
			err := run([]string{"verify-log", "--data", dir})
			if exitCode(err) != 1 || !strings.Contains(err.Error(), "BROKEN") || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("verify-log: exit %d, %v; want exit 1 saying %q", exitCode(err), err, tt.says)
			}
			srv, err := app.New(app.Config{DataDir: dir, Logf: t.Logf})
			if err == nil {
				srv.Shutdown(0)
				t.Fatal("serve started on a log behind its witness")
			}
			if !errors.Is(err, sqlite.ErrLogBehindWitness) {
				t.Errorf("serve: %v, want ErrLogBehindWitness", err)
			}
		})
	}
}

// TestForgedAppendWhileServing: a record slipped into the database while the
// server runs is not signed into its next checkpoint: the server sees a head
// it did not commit, signs nothing more, /readyz would say not ready, and the
// witness keeps the break, so verify-log and the next serve report it.
func TestForgedAppendWhileServing(t *testing.T) {
	dir := seededDir(t)
	srv, err := app.New(app.Config{DataDir: dir, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if h := srv.Store.LogHealth(); !h.OK {
		t.Fatalf("fresh server: %+v", h)
	}
	db := rawDataDB(t, dir)
	cpsBefore := queryInt(t, db, `SELECT COUNT(*) FROM access_checkpoints`)
	forgeAppend(t, db)
	if err := srv.Store.Checkpoint(ctx); !errors.Is(err, sqlite.ErrLogBroken) {
		t.Errorf("checkpoint over a forged record: %v, want ErrLogBroken", err)
	}
	if n := queryInt(t, db, `SELECT COUNT(*) FROM access_checkpoints`); n != cpsBefore {
		t.Errorf("%d checkpoints after the forgery, want %d: the forged record was signed", n, cpsBefore)
	}
	if h := srv.Store.LogHealth(); h.OK || !strings.Contains(h.Problem, "behind the server's back") {
		t.Errorf("log health after the forgery: %+v", h)
	}
	rep, err := srv.Store.VerifyAccessLog(ctx, nil)
	if err != nil || rep.OK {
		t.Errorf("the data officer's verification: %+v, %v", rep, err)
	}
	if err := srv.Shutdown(0); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := run([]string{"verify-log", "--data", dir}); exitCode(err) != 1 || !strings.Contains(err.Error(), "did not write") {
		t.Errorf("verify-log: exit %d, %v", exitCode(err), err)
	}
	if srv, err := app.New(app.Config{DataDir: dir, Logf: t.Logf}); err == nil {
		srv.Shutdown(0)
		t.Error("serve started after the server saw a forged record")
	}
}

// snapshot is every file under dir with its mode and contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		v := fi.Mode().String()
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			v += " " + string(sum[:])
		}
		out[p] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameSnapshot(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	var diff []string
	for p, v := range after {
		if before[p] != v {
			diff = append(diff, "changed or new: "+p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			diff = append(diff, "gone: "+p)
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		t.Errorf("%s wrote to the data dir:\n%s", what, strings.Join(diff, "\n"))
	}
}

// copyDataDir copies a data dir with its files' modes, so a test can start
// from one seeded dir many times.
func copyDataDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(to, fi.Mode().Perm())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, fi.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestKeysNeverMadeBesideData: a data dir whose database holds data but whose
// key files are missing, or belong to other data, is refused by serve and by
// every command that opens it, with an error naming the problem, and nothing is
// written: no new key file (which would leave the data unreadable and the old
// checkpoints unverifiable while logins still worked). verify-log writes
// nothing either, with or without keys.
func TestKeysNeverMadeBesideData(t *testing.T) {
	other := seededDir(t)
	seeded := seededDir(t)
	tests := []struct {
		name   string
		break_ func(t *testing.T, dir string)
		says   string
	}{
		{"NoKeyDir", func(t *testing.T, dir string) { os.RemoveAll(sqlite.KeyDir(dir)) }, "master.key"},
		{"NoCheckpointKey", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(sqlite.KeyDir(dir), "signing-checkpoints.key"))
		}, "signing-checkpoints.key"},
		{"NoTokenKey", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(sqlite.KeyDir(dir), "signing-tokens.key"))
		}, "signing-tokens.key"},
		{"KeysOfOtherData", func(t *testing.T, dir string) {
			os.RemoveAll(sqlite.KeyDir(dir))
			if err := os.CopyFS(sqlite.KeyDir(dir), os.DirFS(sqlite.KeyDir(other))); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"master.key", "signing-checkpoints.key", "signing-tokens.key"} {
				os.Chmod(filepath.Join(sqlite.KeyDir(dir), f), 0o600)
			}
			os.Remove(filepath.Join(sqlite.KeyDir(dir), sqlite.WitnessFile))
		}, "does not unwrap"},
	}
	commands := []struct {
		name string
		run  func(dir string) error
	}{
		{"serve", func(dir string) error {
			srv, err := app.New(app.Config{DataDir: dir, Logf: t.Logf})
			if err == nil {
				srv.Shutdown(0)
			}
			return err
		}},
		{"user add", func(dir string) error {
			t.Setenv("NABIJ_PASSWORD", "a long enough password")
			return run([]string{"user", "add", "--data", dir, "--username", "stand-in", "--role", "professional", "--name", "X"})
		}},
		{"rotate-key", func(dir string) error { return run([]string{"rotate-key", "--data", dir}) }},
		{"backup", func(dir string) error {
			return run([]string{"backup", "--data", dir, filepath.Join(t.TempDir(), "b.db")})
		}},
		{"retention run", func(dir string) error { return run([]string{"retention", "run", "--data", dir}) }},
		{"demo", func(dir string) error { return run([]string{"demo", "--data", dir}) }},
		{"verify-log", func(dir string) error { return run([]string{"verify-log", "--data", dir}) }},
	}
	for _, tt := range tests {
		for _, c := range commands {
			t.Run(tt.name+"/"+c.name, func(t *testing.T) {
				dir := copyDataDir(t, seeded)
				tt.break_(t, dir)
				before := snapshot(t, dir)
				err := c.run(dir)
				// verify-log needs only the checkpoint key, and a foreign one
				// makes it report a broken log rather than refuse.
				verifyOnly := c.name == "verify-log"
				switch {
				case verifyOnly && tt.name == "NoTokenKey":
				case err == nil:
					t.Fatalf("%s ran on data whose keys are missing or foreign", c.name)
				case verifyOnly && tt.name == "KeysOfOtherData":
					if exitCode(err) != 1 || !strings.Contains(err.Error(), "invalid signature") {
						t.Errorf("%s: %v; want a broken log (invalid signature)", c.name, err)
					}
				case c.name != "demo" && !strings.Contains(err.Error(), tt.says):
					t.Errorf("%s: %v; want it to say %q", c.name, err, tt.says)
				}
				sameSnapshot(t, c.name, before, snapshot(t, dir))
			})
		}
	}
}

// TestVerifyLogWritesNothing: verify-log on an intact data dir reads it and
// leaves every file as it was (no WAL, no shared memory, no setting, no key).
func TestVerifyLogWritesNothing(t *testing.T) {
	dir := seededDir(t)
	before := snapshot(t, dir)
	if err := run([]string{"verify-log", "--data", dir}); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, "verify-log", before, snapshot(t, dir))
}

// TestDatabaseFilesPrivate: the database and its WAL and shared-memory files
// are readable by nabij's user only, also under a permissive umask.
func TestDatabaseFilesPrivate(t *testing.T) {
	dir := t.TempDir()
	st, _, err := sqlite.OpenDir(dir, sqlite.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{sqlite.DBPath(dir), sqlite.DBPath(dir) + "-wal", sqlite.DBPath(dir) + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", filepath.Base(p), perm)
		}
	}
}

// TestWitnessElsewhere: --witness puts the signed heads in another file, and
// a log cut back behind it is caught only with that file named.
func TestWitnessElsewhere(t *testing.T) {
	dir := seededDir(t)
	witness := filepath.Join(t.TempDir(), "heads.log")
	// Serve once with the witness elsewhere: it learns the newest head.
	srv, err := app.New(app.Config{DataDir: dir, Witness: witness, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Shutdown(0); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(witness)
	if err != nil || !bytes.Contains(b, []byte("head ")) {
		t.Fatalf("witness elsewhere: %q, %v", b, err)
	}
	if fi, err := os.Stat(witness); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("witness mode: %v, %v", fi.Mode(), err)
	}
	db := rawDataDB(t, dir)
	mustExecRaw(t, db, `DELETE FROM access_log WHERE seq > 3`)
	mustExecRaw(t, db, `DELETE FROM access_checkpoints WHERE seq > 3`)
	db.Close()
	// The default witness in keys/ was cut back too (as someone who can
	// write the whole data dir could); the one elsewhere still knows.
	os.Remove(sqlite.WitnessPath(dir))
	if err := run([]string{"verify-log", "--data", dir}); err != nil {
		t.Errorf("verify-log without the witness elsewhere: %v (the cut is invisible there)", err)
	}
	t.Setenv("NABIJ_WITNESS", witness)
	if err := run([]string{"verify-log", "--data", dir}); exitCode(err) != 1 {
		t.Errorf("verify-log with NABIJ_WITNESS: %v", err)
	}
	t.Setenv("NABIJ_WITNESS", "")
	if err := run([]string{"verify-log", "--data", dir, "--witness", witness}); exitCode(err) != 1 {
		t.Errorf("verify-log --witness: %v", err)
	}
}

// TestOneWriterPerDataDir: while a server has the data dir open, a command
// that would write the access log is refused (the server would take its
// records for forged ones and stop signing), and a backup still works and
// leaves the log intact.
func TestOneWriterPerDataDir(t *testing.T) {
	dir := seededDir(t)
	srv, err := app.New(app.Config{DataDir: dir, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("NABIJ_PASSWORD", "a long enough password")
	err = run([]string{"user", "add", "--data", dir, "--username", "ria", "--role", "professional", "--name", "Ria"})
	if !errors.Is(err, sqlite.ErrDirInUse) {
		t.Errorf("user add beside a running server: %v, want ErrDirInUse", err)
	}
	backup := filepath.Join(t.TempDir(), "copy.db")
	if err := run([]string{"backup", "--data", dir, backup}); err != nil {
		t.Errorf("backup beside a running server: %v", err)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() == 0 {
		t.Errorf("backup file: %v, %v", fi, err)
	}
	if h := srv.Store.LogHealth(); !h.OK {
		t.Errorf("log health after a backup: %+v", h)
	}
	if err := srv.Shutdown(0); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"verify-log", "--data", dir}); err != nil {
		t.Errorf("verify-log after serving: %v", err)
	}
	// Once the server is gone, the command runs.
	if err := run([]string{"user", "add", "--data", dir, "--username", "ria", "--role", "professional", "--name", "Ria"}); err != nil {
		t.Errorf("user add after the server stopped: %v", err)
	}
}
