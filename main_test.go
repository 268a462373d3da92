package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/nabij/nabij/app/demo"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
	"github.com/nabij/nabij/records/sqlite/storetest"
)

// seededDir makes a data dir with the demo in it, as `nabij demo --data DIR`
// would, and closes it again.
func seededDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, _, err := sqlite.OpenDir(dir, sqlite.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(context.Background(), st, "a demo password for tests", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ec exitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return 1
}

// noorCanRead opens the data dir and reads noor's file as noor.
func noorCanRead(t *testing.T, dir string) {
	t.Helper()
	st, _, err := sqlite.OpenDir(dir, sqlite.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByUsername(context.Background(), "noor")
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.ClientFile(context.Background(), records.Actor{UserID: u.ID, Role: u.Role, ClientID: u.ClientID}, records.PurposeOwnFile, u.ClientID)
	if err != nil || f.Client.Name != "Noor El Amrani" {
		t.Fatalf("noor's file: %v", err)
	}
}

func TestVerifyLogCommand(t *testing.T) {
	dir := seededDir(t)
	if err := run([]string{"verify-log", "--data", dir}); err != nil {
		t.Fatalf("intact log: %v", err)
	}
	// Edit one record behind nabij's back (dropping the trigger first, as
	// someone with the file could): exit 1, naming that record.
	db, err := sql.Open("sqlite3", filepath.Join(dir, "nabij.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER access_log_append_only_update`, `UPDATE access_log SET purpose = 'audit' WHERE seq = 7`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	err = run([]string{"verify-log", "--data", dir})
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "BROKEN at record 7") {
		t.Fatalf("tampered log: exit %d, %v", exitCode(err), err)
	}
}

func TestRotateKeyCommand(t *testing.T) {
	dir := seededDir(t)
	if err := run([]string{"rotate-key", "--data", dir, "--retire"}); err != nil {
		t.Fatal(err)
	}
	noorCanRead(t, dir)
	// Version 1 is gone from the key file: only version 2 unwraps anything now.
	b, err := os.ReadFile(filepath.Join(sqlite.KeyDir(dir), "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	var kf struct {
		Active int `json:"active"`
		Keys   []struct {
			Version int `json:"version"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(b, &kf); err != nil {
		t.Fatal(err)
	}
	if kf.Active != 2 || len(kf.Keys) != 1 || kf.Keys[0].Version != 2 {
		t.Errorf("key file after rotate --retire: %+v, want only version 2", kf)
	}
}

func TestBackupCommand(t *testing.T) {
	dir := seededDir(t)
	backup := filepath.Join(t.TempDir(), "copy.db")
	if err := run([]string{"backup", "--data", dir, backup}); err != nil {
		t.Fatal(err)
	}
	// The copy, with the key files, is a working data dir.
	restored := t.TempDir()
	if err := os.CopyFS(filepath.Join(restored, "keys"), os.DirFS(sqlite.KeyDir(dir))); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(restored, "keys"), 0o700); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(restored, "keys"))
	for _, e := range entries {
		if err := os.Chmod(filepath.Join(restored, "keys", e.Name()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "nabij.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	noorCanRead(t, restored)
	if err := run([]string{"verify-log", "--data", restored}); err != nil {
		t.Errorf("the backup's log: %v", err)
	}
	// A backup never overwrites.
	if err := run([]string{"backup", "--data", dir, backup}); err == nil {
		t.Error("backup overwrote an existing file")
	}
}

func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("NABIJ_PASSWORD", "short")
	if err := run([]string{"user", "add", "--data", dir, "--username", "ria", "--role", "professional"}); exitCode(err) != 2 {
		t.Fatalf("short password: %v", err)
	}
	t.Setenv("NABIJ_PASSWORD", "Password1234")
	if err := run([]string{"user", "add", "--data", dir, "--username", "ria", "--role", "professional"}); exitCode(err) != 2 {
		t.Fatalf("common password: %v", err)
	}
	// Without NABIJ_PASSWORD the account waits for its holder to activate it.
	t.Setenv("NABIJ_PASSWORD", "")
	if err := run([]string{"user", "add", "--data", dir, "--username", "noa", "--role", "data_officer", "--name", "Noa"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NABIJ_PASSWORD", "a long enough password")
	if err := run([]string{"user", "add", "--data", dir, "--username", "ria", "--role", "professional", "--name", "Ria"}); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"user", "disable", "--data", dir, "--username", "ria"}); err != nil {
		t.Fatal(err)
	}
	st, _, err := sqlite.OpenDir(dir, sqlite.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if noa, err := st.UserByUsername(context.Background(), "noa"); err != nil || !noa.ActivationPending || noa.PasswordHash != "" {
		t.Errorf("noa %+v, %v: want an account waiting for activation", noa, err)
	}
	u, err := st.UserByUsername(context.Background(), "ria")
	if err != nil || !u.Disabled || u.Role != records.RoleProfessional {
		t.Fatalf("ria: %+v, %v", u, err)
	}
}

func TestUnknownCommand(t *testing.T) {
	if err := run([]string{"frobnicate"}); exitCode(err) != 2 {
		t.Fatalf("unknown command: %v", err)
	}
}

// TestUsageListsEveryCommand reads the command switch in commands.go and
// checks that the usage text names each command, so a new command cannot be
// added without telling people it exists. bench-seed is hidden on purpose: it
// only makes load-test data.
func TestUsageListsEveryCommand(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "commands.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	ast.Inspect(f, func(n ast.Node) bool {
		fn, ok := n.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "run" {
			return true
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if cc, ok := n.(*ast.CaseClause); ok {
				for _, e := range cc.List {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						cmds = append(cmds, strings.Trim(lit.Value, `"`))
					}
				}
			}
			return true
		})
		return false
	})
	if len(cmds) < 8 {
		t.Fatalf("found only %v in run's switch", cmds)
	}
	for _, c := range cmds {
		if c == "bench-seed" || strings.HasPrefix(c, "-") {
			continue
		}
		if !strings.Contains(usage, "  nabij "+c+" ") && !strings.Contains(usage, "  nabij "+c+"\n") {
			t.Errorf("usage does not list %q", c)
		}
	}
	for _, sub := range []string{"user add", "user list", "user disable", "retention run"} {
		if !strings.Contains(usage, "nabij "+sub) {
			t.Errorf("usage does not list %q", sub)
		}
	}
}

// TestPostgresCommands: the commands run against a PostgreSQL database with
// the keys in the data dir; backup refuses and names the engine's tools.
func TestPostgresCommands(t *testing.T) {
	if err := run([]string{"migrate", "--db", "nabij.db"}); err == nil {
		t.Fatal("--db took a file name")
	}
	if storetest.Postgres() == "" {
		t.Skip("the rest needs NABIJ_TEST_POSTGRES (./scripts/test sets it)")
	}
	dir := t.TempDir()
	db := storetest.URL(t, storetest.Database(t, dir))
	for _, args := range [][]string{
		{"migrate", "--db", db},
		{"user", "add", "--db", db, "--data", dir, "--username", "ria", "--role", "professional", "--name", "Ria"},
		{"user", "list", "--db", db, "--data", dir},
		{"rotate-key", "--db", db, "--data", dir},
		{"retention", "run", "--db", db, "--data", dir, "--dry-run"},
		{"verify-log", "--db", db, "--data", dir},
	} {
		if err := run(args); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	err := run([]string{"backup", "--db", db, "--data", dir, filepath.Join(t.TempDir(), "copy.db")})
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup on PostgreSQL: %v", err)
	}
	st, _, err := sqlite.OpenDir(dir, sqlite.DirOptions{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if u, err := st.UserByUsername(context.Background(), "ria"); err != nil || u.Role != records.RoleProfessional {
		t.Fatalf("ria: %+v, %v", u, err)
	}
}
