// Package storetest opens the store for tests on the engine the run asks
// for: SQLite in the test's temp dir, or, when NABIJ_TEST_POSTGRES holds the
// DSN of a PostgreSQL server where the tests may create databases, a fresh
// database per test there. The conformance suite (every store test) then
// runs unchanged on both engines. ./scripts/test starts a throwaway
// cluster and runs the store's tests a second time with it.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/nabij/nabij/records/sqlite"
)

// EnvVar names the variable that holds the PostgreSQL server's DSN.
const EnvVar = "NABIJ_TEST_POSTGRES"

// Postgres is the DSN of the server the tests run on; "" runs them on SQLite.
func Postgres() string { return os.Getenv(EnvVar) }

var (
	dbs      sync.Map // test dir -> DSN of its database
	tplOnce  sync.Once
	tplName  string
	tplErr   error
	storeDir sync.Map // *sqlite.Store -> test dir
)

// Open opens the store kept in dir (a SQLite file there, or the database
// made for dir on PostgreSQL): a second Open of the same dir is a restart of
// the same store. The database is dropped when the test that made it ends.
func Open(tb testing.TB, dir string, o sqlite.Options) (*sqlite.Store, error) {
	tb.Helper()
	var s *sqlite.Store
	var err error
	if Postgres() == "" {
		s, err = sqlite.Open(filepath.Join(dir, "nabij.db"), o)
	} else {
		s, err = sqlite.OpenPostgres(Database(tb, dir), o)
	}
	if err == nil {
		storeDir.Store(s, dir)
	}
	return s, err
}

// Dir is the test dir a store was opened for.
func Dir(s *sqlite.Store) string {
	v, _ := storeDir.Load(s)
	d, _ := v.(string)
	return d
}

// Database returns the DSN of dir's PostgreSQL database, creating it (a
// copy of a migrated template, which is fast) on first use.
func Database(tb testing.TB, dir string) string {
	tb.Helper()
	if v, ok := dbs.Load(dir); ok {
		return v.(string)
	}
	tplOnce.Do(func() { tplName, tplErr = makeTemplate() })
	if tplErr != nil {
		tb.Fatalf("postgres template: %v", tplErr)
	}
	name := "nabij_t_" + randHex()
	admin := adminDB(tb)
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + tplName); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	dsn := WithDatabase(Postgres(), name)
	dbs.Store(dir, dsn)
	tb.Cleanup(func() {
		dbs.Delete(dir)
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	return dsn
}

// makeTemplate creates and migrates the template the tests' databases are
// copied from, once per test binary.
func makeTemplate() (string, error) {
	db, err := sqlite.OpenPostgresDB(Postgres())
	if err != nil {
		return "", err
	}
	defer db.Close()
	name := "nabij_tpl_" + randHex()
	if _, err := db.Exec(`CREATE DATABASE ` + name); err != nil {
		return "", err
	}
	if _, err := sqlite.MigratePostgres(WithDatabase(Postgres(), name)); err != nil {
		return "", err
	}
	return name, nil
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

func adminDB(tb testing.TB) *sql.DB {
	adminOnce.Do(func() { admin, adminErr = sqlite.OpenPostgresDB(Postgres()) })
	if adminErr != nil {
		tb.Fatal(adminErr)
	}
	return admin
}

// RawDB is a plain handle on the store's database, past the store: what
// someone with access to the database could do with the rows. Queries may
// use `?` placeholders on both engines.
func RawDB(tb testing.TB, dir string) *sql.DB {
	tb.Helper()
	var db *sql.DB
	var err error
	if Postgres() == "" {
		db, err = sql.Open("sqlite3", "file:"+filepath.Join(dir, "nabij.db")+"?_busy_timeout=10000")
	} else {
		db, err = sqlite.OpenPostgresDB(Database(tb, dir))
	}
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { db.Close() })
	return db
}

// Stored is everything the engine keeps of dir's database, for tests that
// look for plaintext: the SQLite file and its WAL, or a pg_dump of the
// PostgreSQL database (every row, as the server holds it).
func Stored(tb testing.TB, dir string) []byte {
	tb.Helper()
	if Postgres() == "" {
		var out []byte
		for _, f := range []string{"nabij.db", "nabij.db-wal"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil && !os.IsNotExist(err) {
				tb.Fatal(err)
			}
			out = append(out, b...)
		}
		return out
	}
	out, err := exec.Command(pgBin(tb, "pg_dump"), "--dbname="+Database(tb, dir)).Output()
	if err != nil {
		tb.Fatalf("pg_dump: %v", err)
	}
	if len(out) == 0 {
		tb.Fatal("pg_dump wrote nothing")
	}
	return out
}

// pgBin finds a PostgreSQL program on PATH or in Debian's directory.
func pgBin(tb testing.TB, name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(m) == 0 {
		tb.Fatalf("%s not found", name)
	}
	return m[len(m)-1]
}

// WithDatabase is dsn (a URL or key=value string) naming database name.
func WithDatabase(dsn, name string) string {
	if sqlite.IsPostgresDSN(dsn) {
		u, err := url.Parse(dsn)
		if err == nil {
			u.Path = "/" + name
			return u.String()
		}
	}
	return strings.TrimSpace(dsn) + " dbname=" + name
}

func randHex() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("random: %v", err))
	}
	return hex.EncodeToString(b)
}

// URL is dsn as a postgres:// URL, the form the nabij command takes.
func URL(tb testing.TB, dsn string) string {
	tb.Helper()
	if sqlite.IsPostgresDSN(dsn) {
		return dsn
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	q := url.Values{}
	q.Set("host", cfg.Host)
	q.Set("port", strconv.Itoa(int(cfg.Port)))
	q.Set("sslmode", "disable")
	return (&url.URL{Scheme: "postgres", User: url.User(cfg.User), Host: "", Path: "/" + cfg.Database, RawQuery: q.Encode()}).String()
}
