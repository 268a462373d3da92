package sqlite

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver, registered as "sqlite3"

	"github.com/google/uuid"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/witness"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options configure a Store.
type Options struct {
	// Keyring wraps the clients' data keys. Required.
	Keyring *crypto.Keyring
	// Signer signs access-log checkpoints. Required.
	Signer ed25519.PrivateKey
	// Jurisdiction decides whether clients read personal working notes (BE) or not (NL).
	// When set it is stored as the organisation's setting; when empty the stored setting
	// is used, NL when there is none.
	Jurisdiction records.Jurisdiction
	// CheckpointEvery is how many access records pass between signed checkpoints. Default 1000.
	CheckpointEvery int64
	// MaxBatch bounds how many writes share one transaction and one fsync. Default 256.
	MaxBatch int
	// KeyCacheTTL is how long an unwrapped data key stays in memory. Default 5 minutes;
	// a negative value disables the cache.
	KeyCacheTTL time.Duration
	// Now is the clock; tests and `retention run --now` set it. Default time.Now.
	Now func() time.Time
	// MinFreeDisk is the free space (bytes) the database's disk must keep for
	// Ready to pass. Default 64 MiB; negative disables the check.
	MinFreeDisk int64
	// Witness, when set, receives every signed checkpoint, and Open refuses a
	// database whose log is behind it or differs from it.
	Witness *witness.Witness
	// ReadsOnWriter runs every read of one client inside the writer's
	// transaction instead of in a snapshot on a reader connection (see
	// ReadPath; OpenDir sets it by DirOptions.Reads).
	ReadsOnWriter bool
}

// Store is nabij's storage: one SQLite database in WAL mode with a single writer.
// Writes (and every read of client data, because a read writes its access record)
// go through a group committer: concurrent requests share one transaction and one
// fsync, each in its own savepoint, and none is acknowledged before the commit.
type Store struct {
	path   string  // the SQLite file; "" on PostgreSQL
	pg     bool    // the engine is PostgreSQL (engine.go)
	w      *sql.DB // exactly one connection: the single writer
	r      *sql.DB // readers, for queries that return no client data
	kr     *crypto.Keyring
	signer ed25519.PrivateKey
	opts   Options
	keys   *keyCache

	// prepared are statements prepared once on the writer connection, by query
	// text; toPrepare are queued for it. Only the committer goroutine uses them.
	prepared  map[string]*sql.Stmt
	toPrepare map[string]bool

	jobs     chan *job
	quit     chan struct{}
	loopDone chan struct{}
	closeMu  sync.RWMutex
	closed   bool
	closing  bool
	// unlock releases the data dir's lock (OpenDir); nil for Open.
	unlock func()

	// written is the chain head as this store last committed it. Only the
	// committer changes it; any other head found in the database before a batch
	// means someone else wrote the log, and then nothing more is signed.
	written logHead
	// healthMu guards logProblem: why the log can no longer be vouched for
	// ("" while it can).
	healthMu   sync.Mutex
	logProblem string
	brokenFrom int64

	// readerStmts are statements prepared on the reader pool, by query text
	// (snapshot reads); readerStmtCount bounds them.
	readerStmts     sync.Map
	readerStmtCount atomic.Int64

	// beforeReadCommit, set by tests only, runs between a read's snapshot and
	// the commit of its access record.
	beforeReadCommit func()
	// verifyParts, set by tests only, is the number of parts verify reads the
	// access log in, however short (0: by the log's length and the cores).
	verifyParts int
}

// readerCacheKiB is the page cache of each reader connection (see Open).
const readerCacheKiB = 512

// Open opens (creating when absent) the database at path, applies the migrations
// and starts the committer. Returns an error when the keyring or signer is missing.
func Open(path string, opts Options) (*Store, error) {
	if opts.Keyring == nil || opts.Signer == nil {
		return nil, errors.New("records: Open needs a keyring and a signer")
	}
	// synchronous=FULL: an acknowledged commit survives power loss.
	// secure_delete: deleted rows are overwritten, so shredded wrapped keys and
	// destroyed ciphertexts do not linger in free pages.
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "FULL")
	q.Set("_busy_timeout", "10000")
	q.Set("_secure_delete", "on")
	q.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("records: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := migrate(w); err != nil {
		w.Close()
		return nil, err
	}
	q.Set("_query_only", "on")
	q.Del("_txlock")
	// A reader's page cache is emptied whenever it starts a read after a
	// commit (WAL), and every read of client data commits its access record,
	// so a large cache only costs memory and the time to empty it: with
	// 512 KiB instead of SQLite's 2 MiB the load test measured 15–20 % less
	// CPU per snapshot read, and no change for reads on the writer.
	q.Set("_cache_size", strconv.Itoa(-readerCacheKiB))
	r, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("records: open readers %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return newStore(path, w, r, false, opts)
}

// newStore completes the options, loads the settings and the chain head
// from the migrated database and starts the committer; on failure it closes
// w and r.
func newStore(path string, w, r *sql.DB, pg bool, opts Options) (*Store, error) {
	if opts.CheckpointEvery <= 0 {
		opts.CheckpointEvery = defaultCheckpointEvery
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if opts.KeyCacheTTL == 0 {
		opts.KeyCacheTTL = 5 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MinFreeDisk == 0 {
		opts.MinFreeDisk = 64 << 20
	}
	s := &Store{
		path: path, w: w, r: r, pg: pg, kr: opts.Keyring, signer: opts.Signer, opts: opts,
		keys:      newKeyCache(opts.KeyCacheTTL, 4096),
		prepared:  map[string]*sql.Stmt{},
		toPrepare: map[string]bool{},
		jobs:      make(chan *job, 1024),
		quit:      make(chan struct{}),
		loopDone:  make(chan struct{}),
	}
	if err := s.loadSettings(); err != nil {
		s.w.Close()
		s.r.Close()
		return nil, err
	}
	if err := s.loadHead(); err != nil {
		s.w.Close()
		s.r.Close()
		return nil, err
	}
	go s.commitLoop()
	return s, nil
}

// loadHead reads the chain head the store starts from and holds it against
// the witness: a log that is behind the witness's newest signed head, differs
// from it, or grew while no store had it open is refused, so that nothing is
// signed on top of it.
func (s *Store) loadHead() error {
	tx, err := s.w.Begin()
	if err != nil {
		return fmt.Errorf("records: chain head: %w", err)
	}
	defer tx.Rollback()
	seq, head, err := chainHead(tx)
	if err != nil {
		return fmt.Errorf("records: chain head: %w", err)
	}
	s.written = logHead{seq: seq, hash: head}
	if s.opts.Witness == nil {
		return nil
	}
	_, problem, err := witnessCheck(tx, s.opts.Witness, s.PublicKey(), s.written)
	if err != nil {
		return err
	}
	if problem != "" {
		return fmt.Errorf("%w: %s (witness %s); run nabij verify-log", ErrLogBehindWitness, problem, s.opts.Witness.Path())
	}
	// A witness that is new, or was moved to another disk, learns the newest
	// signed checkpoint at once (it is signed, so it is nabij's own; and the
	// check above found the log consistent with what the witness held).
	var cp records.Checkpoint
	var at int64
	err = tx.QueryRow(`SELECT seq, hash, at, signature FROM access_checkpoints ORDER BY seq DESC LIMIT 1`).
		Scan(&cp.Seq, &cp.Hash, &at, &cp.Signature)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("records: checkpoints: %w", err)
	}
	if err == nil {
		cp.At = fromMS(at)
		if !ed25519.Verify(s.PublicKey(), records.CheckpointMessage(cp.Seq, cp.Hash, cp.At), cp.Signature) {
			return fmt.Errorf("%w: the newest checkpoint (record %d) has an invalid signature; run nabij verify-log", ErrLogBehindWitness, cp.Seq)
		}
		ws, err := s.opts.Witness.State(nil)
		if err != nil {
			return fmt.Errorf("records: %w", err)
		}
		// Only a newer head: the witness may know a later one whose
		// checkpoint row is gone while the records it vouches for are there.
		if cp.Seq > ws.Head.Seq {
			if err := s.opts.Witness.AppendHead(cp); err != nil {
				return fmt.Errorf("%w: %v", ErrLogBehindWitness, err)
			}
		}
	}
	return s.opts.Witness.AppendEvent("opened", seq)
}

// logHead is one position of the chain as the database holds it.
type logHead struct {
	seq  int64
	hash []byte
}

// ErrLogBehindWitness is returned by Open when the database's access log is
// behind its witness or differs from it.
var ErrLogBehindWitness = errors.New("records: the access log does not match its witness")

// witnessCheck compares the log as q sees it with the witness.
func witnessCheck(q interface {
	QueryRow(string, ...any) *sql.Row
}, w *witness.Witness, pub ed25519.PublicKey, head logHead) (int64, string, error) {
	st, err := w.State(pub)
	if err != nil {
		return 0, "", fmt.Errorf("records: %w", err)
	}
	return witness.Problem(st, head.seq, func(seq int64) ([]byte, error) {
		var h []byte
		err := q.QueryRow(`SELECT hash FROM access_log WHERE seq = ?`, seq).Scan(&h)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return h, err
	})
}

// LogHealth says whether the store can still vouch for its access log.
// It never fails.
func (s *Store) LogHealth() records.LogHealth {
	s.healthMu.Lock()
	defer s.healthMu.Unlock()
	return records.LogHealth{OK: s.logProblem == "", Problem: s.logProblem, Since: s.brokenFrom}
}

// markBroken records why the log can no longer be vouched for from record
// from on; the first reason stays.
func (s *Store) markBroken(from int64, problem string) {
	s.healthMu.Lock()
	defer s.healthMu.Unlock()
	if s.logProblem == "" {
		s.logProblem, s.brokenFrom = problem, from
	}
}

func (s *Store) logBroken() bool {
	s.healthMu.Lock()
	defer s.healthMu.Unlock()
	return s.logProblem != ""
}

// migrate applies the embedded migrations in order with goose.
func migrate(db *sql.DB) error {
	p, err := goose.NewProvider(goose.DialectSQLite3, db, mustSub(migrations, "migrations"))
	if err != nil {
		return fmt.Errorf("records: migrations: %w", err)
	}
	return migrateWith(p, db)
}

// migrateWith applies the migrations of p and then gives every client
// without a case code one, through db.
func migrateWith(p *goose.Provider, db *sql.DB) error {
	if _, err := p.Up(context.Background()); err != nil {
		return fmt.Errorf("records: migrate: %w", err)
	}
	if err := assignCaseCodes(db); err != nil {
		return fmt.Errorf("records: case codes: %w", err)
	}
	return nil
}

// Migrate opens the database at path only to apply pending migrations, and
// reports the version it is at. It needs no keys.
func Migrate(path string) (int64, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_foreign_keys=on&_synchronous=FULL&_busy_timeout=10000")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := migrate(db); err != nil {
		return 0, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, mustSub(migrations, "migrations"))
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(context.Background())
}

// MissingNotes opens the database at path read-only, while no server runs on
// it, and counts how many of the given note ids have no note with a first
// version: the load test's check that every acknowledged write survived. It
// reads ids only, no client data, so it writes no access record.
func MissingNotes(path string, ids []string) (int, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_query_only=on")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	missing := 0
	for len(ids) > 0 {
		n := min(500, len(ids))
		chunk := ids[:n]
		ids = ids[n:]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		q := `SELECT COUNT(DISTINCT n.id) FROM notes n JOIN note_versions v ON v.note_id = n.id AND v.version = 1
			WHERE n.id IN (?` + strings.Repeat(",?", n-1) + `)`
		var got int
		if err := db.QueryRow(q, args...).Scan(&got); err != nil {
			return 0, err
		}
		missing += n - got // each id is one new note: no duplicates in a chunk
	}
	return missing, nil
}

// Close stops the committer after the writes already queued, signs the head
// (unless the log is broken) and, with a witness, records the clean close
// there, and closes the database.
// Returns the errors of signing and closing, if any; a second Close returns nil.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed || s.closing {
		s.closeMu.Unlock()
		return nil
	}
	s.closing = true
	s.closeMu.Unlock()
	// A clean close signs the head, so that no record of this run is left
	// without a signature, and tells the witness: records that appear after it
	// were not written by nabij.
	cpErr := s.Checkpoint(context.Background())
	s.closeMu.Lock()
	s.closed = true
	close(s.quit)
	s.closeMu.Unlock()
	<-s.loopDone
	if s.opts.Witness != nil && cpErr == nil && !s.logBroken() {
		cpErr = s.opts.Witness.AppendEvent("closed", s.written.seq)
	}
	s.keys.clear()
	for _, st := range s.prepared {
		st.Close()
	}
	s.readerStmts.Range(func(_, v any) bool {
		if st, ok := v.(*sql.Stmt); ok {
			st.Close()
		}
		return true
	})
	err1 := s.r.Close()
	if !s.pg {
		// Fold the WAL back into the main file so a copied data dir is one file.
		_, _ = s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	err2 := s.w.Close()
	if s.unlock != nil {
		s.unlock()
	}
	if errors.Is(cpErr, ErrLogBroken) {
		cpErr = nil // reported by LogHealth and verification, not by Close
	}
	return errors.Join(cpErr, err1, err2)
}

// Ping checks that the database answers; used by /readyz.
// Returns the database error when it does not answer.
func (s *Store) Ping(ctx context.Context) error {
	return s.r.PingContext(ctx)
}

// Path is the database file; "" on PostgreSQL.
// It never fails.
func (s *Store) Path() string { return s.path }

// Jurisdiction is the organisation's setting for personal working notes.
// It never fails.
func (s *Store) Jurisdiction() records.Jurisdiction { return s.opts.Jurisdiction }

func (s *Store) now() time.Time { return s.opts.Now().UTC() }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// monthOf is the UTC month (YYYY-MM) of a time in milliseconds.
func monthOf(v int64) string { return fromMS(v).Format("2006-01") }

func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// loadSettings reads organisation settings kept in the database; an explicit
// option wins over the stored value and is stored.
func (s *Store) loadSettings() error {
	var v string
	err := s.w.QueryRow(`SELECT value FROM settings WHERE key = 'jurisdiction'`).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("records: settings: %w", err)
	}
	switch {
	case s.opts.Jurisdiction != "":
		if s.opts.Jurisdiction != records.JurisdictionNL && s.opts.Jurisdiction != records.JurisdictionBE {
			return fmt.Errorf("records: unknown jurisdiction %q (NL or BE)", s.opts.Jurisdiction)
		}
	case v != "":
		s.opts.Jurisdiction = records.Jurisdiction(v)
		return nil
	default:
		s.opts.Jurisdiction = records.JurisdictionNL
	}
	_, err = s.w.Exec(`INSERT INTO settings(key, value) VALUES ('jurisdiction', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, string(s.opts.Jurisdiction))
	return err
}

func itoa(i int) string { return strconv.Itoa(i) }

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}

// The SQLite store implements the whole domain interface.
var _ records.Store = (*Store)(nil)

// Backup writes an online, consistent copy of the database to path with VACUUM
// INTO, between write batches. The copy holds only ciphertexts and wrapped keys:
// it is useless without the key file, which must be backed up apart (see README).
// Refuses to overwrite an existing file.
// ECONFLICT when the file exists; EINTERNAL when the copy fails.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.pg {
		return invalid("", "backup copies a SQLite database; on PostgreSQL use pg_dump or the server's own backups (and back up the key files apart)")
	}
	if _, err := os.Stat(path); err == nil {
		return conflict("%s exists; choose a new file", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return internal("backup", err)
	}
	return s.writeOutside(ctx, func(db *sql.DB) error {
		if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
			return internal("backup", err)
		}
		return nil
	})
}

// defaultCheckpointEvery is how many records pass at most between checkpoints
// signed inside a batch; verification expects one at every multiple.
const defaultCheckpointEvery = 1000
