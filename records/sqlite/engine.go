package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// The engine differences of the store live here. The store runs on embedded
// SQLite (Open) or on PostgreSQL (OpenPostgres) with the same code: one set of
// queries written with SQLite's `?` and `?N` placeholders, one read gate, one
// group committer. On PostgreSQL, database/sql talks to pgx through a thin
// driver wrapper that rebinds the placeholders to `$N` (once per query text,
// cached) and passes Go bools as 0/1, since flags are integers on both
// engines. Everything else that differs (begin of the writer batch, the
// readers' isolation, error codes, readiness, backup, the data key cache) is
// decided by Store.pg in the few places that need it.

//go:embed migrations_pg/*.sql
var migrationsPG embed.FS

// chainLockKey is the advisory lock every instance takes at the start of its
// writer batch on PostgreSQL, before it reads the chain head: appends to the
// one hash chain are then serialised across instances.
const chainLockKey = 0x6e6162696a // "nabij"

// IsPostgresDSN tells whether db names a PostgreSQL database (a postgres://
// or postgresql:// URL) rather than a SQLite file.
func IsPostgresDSN(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// OpenPostgres opens the store on the PostgreSQL database named by dsn (a URL
// or libpq key=value string), applies the PostgreSQL migrations and starts
// the committer. Several instances may open the same database: the access
// log's chain is appended under an advisory lock. The keys stay with the
// caller's keyring (files), never in the database.
// Returns an error when the keyring or signer is missing or the database
// cannot be reached or migrated.
func OpenPostgres(dsn string, opts Options) (*Store, error) {
	if opts.Keyring == nil || opts.Signer == nil {
		return nil, errors.New("records: OpenPostgres needs a keyring and a signer")
	}
	w, err := OpenPostgresDB(dsn)
	if err != nil {
		return nil, err
	}
	// One writer connection per instance, as on SQLite: the group committer
	// batches on it.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := migratePG(dsn, w); err != nil {
		w.Close()
		return nil, err
	}
	r, err := OpenPostgresDB(dsn)
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return newStore("", w, r, true, opts)
}

// OpenPostgresDB opens a plain database/sql handle on dsn whose queries may
// use the store's `?` placeholders: the commands' read-only checks and the
// tests' raw handle use it. It does not migrate.
func OpenPostgresDB(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("records: postgres: %w", err)
	}
	return sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)}), nil
}

// MigratePostgres applies pending migrations to the PostgreSQL database
// named by dsn and reports the version it is at. It needs no keys.
func MigratePostgres(dsn string) (int64, error) {
	db, err := OpenPostgresDB(dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := migratePG(dsn, db); err != nil {
		return 0, err
	}
	return pgVersion(dsn)
}

// migratePG applies the PostgreSQL migrations, then gives clients without
// one a case code through db (a store handle). goose gets a plain pgx
// handle of its own: it writes real booleans into its version table. Two
// instances starting at once take turns: goose's session lock serialises
// them.
func migratePG(dsn string, db *sql.DB) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("records: postgres: %w", err)
	}
	plain := stdlib.OpenDB(*cfg)
	defer plain.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, plain, mustSub(migrationsPG, "migrations_pg"),
		goose.WithSessionLocker(pgMigrationLocker()))
	if err != nil {
		return fmt.Errorf("records: migrations: %w", err)
	}
	return migrateWith(p, db)
}

// pgVersion is the migration version of the database at dsn.
func pgVersion(dsn string) (int64, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return 0, fmt.Errorf("records: postgres: %w", err)
	}
	plain := stdlib.OpenDB(*cfg)
	defer plain.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, plain, mustSub(migrationsPG, "migrations_pg"))
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(context.Background())
}

// readTxOptions are the options of a read in a snapshot: on PostgreSQL a
// REPEATABLE READ READ ONLY transaction, so every query of the read sees one
// snapshot as on SQLite's WAL; SQLite's readers are read-only connections.
func (s *Store) readTxOptions() *sql.TxOptions {
	if s.pg {
		return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return nil
}

// lockChain takes the chain's turn at the start of a writer batch on
// PostgreSQL: until this transaction ends no other instance appends, so the
// head read next is the head this batch extends. A no-op on SQLite, where the
// single writer holds the database's write lock.
func (s *Store) lockChain(tx *sql.Tx) error {
	if !s.pg {
		return nil
	}
	_, err := tx.Exec(`SELECT pg_advisory_xact_lock(?)`, int64(chainLockKey))
	return err
}

// headMoved tells whether the chain head found at the start of a batch
// means someone wrote the log behind this store's back. On SQLite this store
// is the only writer, so any head but the one it wrote is a break. On
// PostgreSQL other instances append too: a later head is expected, but the
// record this store wrote last must still be there with the same hash.
func (s *Store) headMoved(tx *sql.Tx, seq int64, head []byte) bool {
	if !s.pg {
		return seq != s.written.seq || string(head) != string(s.written.hash)
	}
	if seq < s.written.seq {
		return true
	}
	if s.written.seq == 0 || seq == s.written.seq {
		return seq == s.written.seq && string(head) != string(s.written.hash)
	}
	var h []byte
	if err := tx.QueryRow(`SELECT hash FROM access_log WHERE seq = ?`, s.written.seq).Scan(&h); err != nil {
		return true
	}
	return string(h) != string(s.written.hash)
}

// pgCode is the SQLSTATE of a PostgreSQL error, "" for any other error.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// pgDiskFull is PostgreSQL's disk_full (53100): the same EFULL as SQLITE_FULL.
const pgDiskFull = "53100"

// pgConnector hands database/sql the wrapped pgx connection.
type pgConnector struct{ c driver.Connector }

func (p pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := p.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := c.(*stdlib.Conn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("records: unexpected pgx connection %T", c)
	}
	return &pgConn{sc}, nil
}

func (p pgConnector) Driver() driver.Driver { return p.c.Driver() }

// pgConn is pgx's database/sql connection with the store's placeholders
// rebound; transactions, pings and session resets are pgx's own.
type pgConn struct{ *stdlib.Conn }

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(context.Background(), rebind(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(query))
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(query), args)
}

// CheckNamedValue passes a Go bool as 0 or 1: flags are integer columns on
// both engines (SQLite has no booleans), and pgx will not write a bool into
// a BIGINT.
func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		if b {
			nv.Value = int64(1)
		} else {
			nv.Value = int64(0)
		}
	}
	return nil
}

// rebound caches rebind by query text; rebindCount bounds it, since queries
// built at run time (search filters, IN lists) must not grow it without end.
var (
	rebound     sync.Map
	rebindCount atomic.Int64
)

const maxRebound = 4096

// rebind turns SQLite placeholders into PostgreSQL's: `?N` becomes `$N` and
// a bare `?` the next number after the highest so far, as SQLite numbers
// them. Quoted strings, quoted names and comments are left alone.
func rebind(query string) string {
	if v, ok := rebound.Load(query); ok {
		return v.(string)
	}
	out := rebindText(query)
	if rebindCount.Load() < maxRebound {
		if _, loaded := rebound.LoadOrStore(query, out); !loaded {
			rebindCount.Add(1)
		}
	}
	return out
}

func rebindText(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	highest := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // doubled quote inside
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(q))
			b.WriteString(q[i:end])
			i = end - 1
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				b.WriteString(q[i:])
				return b.String()
			}
			b.WriteString(q[i : i+j+1])
			i += j
		case c == '?':
			j := i + 1
			n := 0
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				n = n*10 + int(q[j]-'0')
				j++
			}
			if j == i+1 {
				highest++
				n = highest
			} else {
				highest = max(highest, n)
			}
			b.WriteByte('$')
			b.WriteString(itoa(n))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func pgMigrationLocker() lock.SessionLocker {
	l, err := lock.NewPostgresSessionLocker()
	if err != nil {
		panic(err) // only with invalid options, and it gets none
	}
	return l
}
