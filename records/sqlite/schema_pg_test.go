package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nabij/nabij/records/sqlite"
)

// TestSchemasMatch: the PostgreSQL migrations give the same tables, columns
// (with their NOT NULLs), indexes and append-only triggers as SQLite's, so
// one set of queries means the same on both.
func TestSchemasMatch(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: compares the two engines' schemas")
	}
	lite := filepath.Join(t.TempDir(), "nabij.db")
	if _, err := sqlite.Migrate(lite); err != nil {
		t.Fatal(err)
	}
	ldb, err := sql.Open("sqlite3", "file:"+lite)
	if err != nil {
		t.Fatal(err)
	}
	defer ldb.Close()
	// A fresh database, copied from the template the migrations made.
	pdb := rawDB(t, filepath.Join(t.TempDir(), "nabij.db"))

	strs := func(db *sql.DB, q string) []string {
		t.Helper()
		out, err := scanStrings(db.Query(q))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		slices.Sort(out)
		return out
	}
	notInternal := func(names []string) []string {
		return slices.DeleteFunc(names, func(n string) bool {
			return strings.HasPrefix(n, "sqlite_") || strings.HasPrefix(n, "goose_")
		})
	}
	lt := notInternal(strs(ldb, `SELECT name FROM sqlite_master WHERE type = 'table'`))
	pt := notInternal(strs(pdb, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`))
	if !slices.Equal(lt, pt) {
		t.Fatalf("tables differ:\nsqlite   %v\npostgres %v", lt, pt)
	}
	for _, table := range lt {
		lc := strs(ldb, `SELECT name || CASE WHEN "notnull" = 1 OR pk = 1 THEN ' not null' ELSE '' END FROM pragma_table_info('`+table+`')`)
		pc := strs(pdb, `SELECT column_name || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
			FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '`+table+`'`)
		if !slices.Equal(lc, pc) {
			t.Errorf("%s: columns differ:\nsqlite   %v\npostgres %v", table, lc, pc)
		}
	}
	li := notInternal(strs(ldb, `SELECT name FROM sqlite_master WHERE type = 'index'`))
	pi := strs(pdb, `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'`)
	if !slices.Equal(li, pi) {
		t.Errorf("indexes differ:\nsqlite   %v\npostgres %v", li, pi)
	}
	ltr := strs(ldb, `SELECT name FROM sqlite_master WHERE type = 'trigger'`)
	ptr := strs(pdb, `SELECT DISTINCT trigger_name FROM information_schema.triggers WHERE trigger_schema = 'public'`)
	ptr = slices.DeleteFunc(ptr, func(n string) bool { return n == "access_log_append_only_truncate" })
	if !slices.Equal(ltr, ptr) {
		t.Errorf("triggers differ:\nsqlite   %v\npostgres %v", ltr, ptr)
	}
}
