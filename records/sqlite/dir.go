package sqlite

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/witness"
)

// DBPath is the database file in a data dir.
func DBPath(dir string) string { return filepath.Join(dir, "nabij.db") }

// KeyDir is where the master key and the signing keys of a data dir live.
func KeyDir(dir string) string { return filepath.Join(dir, "keys") }

// WitnessFile is the default witness in a data dir's key directory.
const WitnessFile = "witness.log"

// WitnessPath is the witness a data dir uses when none is given: in KeyDir,
// outside the database.
func WitnessPath(dir string) string { return filepath.Join(KeyDir(dir), WitnessFile) }

// signingKeys are the signing keys a data dir has from the start.
var signingKeys = []string{"checkpoints", "tokens"}

// DirOptions are the settings OpenDir passes on to Open; the keys come from the
// data dir itself.
type DirOptions struct {
	// Jurisdiction, when set, is stored as the organisation's setting (see Options).
	Jurisdiction records.Jurisdiction
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Witness is the witness file of signed heads; "" means WitnessPath(dir).
	// Another disk or host is better: it survives someone who can write the
	// whole data dir.
	Witness string
	// MinFreeDisk is the store's free-disk margin for Ready (see Options).
	MinFreeDisk int64
	// DB, when set, is a PostgreSQL database (postgres://…) that holds the
	// data instead of the dir's SQLite file; the dir then holds only the
	// keys (dir_pg.go).
	DB string
	// KeysDir, when set, is where the keys are instead of KeyDir(dir); only
	// with DB.
	KeysDir string
	// Reads is where reads of one client run; ReadsAuto picks by engine and
	// machine.
	Reads ReadPath
}

func (o DirOptions) witness(dir string) *witness.Witness {
	if o.Witness != "" {
		return witness.New(o.Witness)
	}
	return witness.New(WitnessPath(dir))
}

// ErrKeysDoNotOpenData is returned when a data dir's database holds data but
// its key files are missing or belong to other data. Nothing is created then:
// a new key beside existing data would leave that data unreadable and its
// signed checkpoints unverifiable, and would hide that the keys were lost.
var ErrKeysDoNotOpenData = errors.New("records: the keys do not open this data")

// OpenDir opens a data dir. Beside a new or empty database it creates what is
// missing: the dir, the keyring in KeyDir, the signing keys, and the database
// (mode 0600, and so its WAL). Beside a database that holds data it creates
// nothing: every key file must be there and must open that data (a stored data
// key unwraps, the newest checkpoint verifies), else it fails with
// ErrKeysDoNotOpenData naming the problem. The store's log is then held
// against its witness (see Open). The server and the commands open a data dir
// the same way through it.
func OpenDir(dir string, opts DirOptions) (*Store, *crypto.Keyring, error) {
	if opts.DB != "" {
		return openDirPG(dir, opts)
	}
	if dir == "" {
		return nil, nil, errors.New("records/sqlite: no data dir")
	}
	path := DBPath(dir)
	holds, err := holdsData(path)
	if err != nil {
		return nil, nil, err
	}
	var kr *crypto.Keyring
	var signer ed25519.PrivateKey
	if holds {
		if kr, signer, err = loadKeys(dir, path); err != nil {
			return nil, nil, err
		}
	} else {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, err
		}
		if kr, err = crypto.OpenKeyring(KeyDir(dir)); err != nil {
			return nil, nil, err
		}
		for _, name := range signingKeys {
			if _, err := kr.SigningKey(name); err != nil {
				return nil, nil, err
			}
		}
		if signer, err = kr.SigningKey("checkpoints"); err != nil {
			return nil, nil, err
		}
		// The database file is made 0600 before SQLite opens it; SQLite gives
		// its WAL and shared-memory files the database file's mode.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, nil, err
		}
		f.Close()
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, nil, err
		}
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	st, err := Open(path, Options{ReadsOnWriter: opts.Reads.onWriter(false), Keyring: kr, Signer: signer, Jurisdiction: opts.Jurisdiction, Now: now,
		Witness: opts.witness(dir), MinFreeDisk: opts.MinFreeDisk})
	if err != nil {
		unlock()
		return nil, nil, err
	}
	st.unlock = unlock
	return st, kr, nil
}

// LockFile is the file a store holds locked while it has a data dir open.
const LockFile = "nabij.lock"

// ErrDirInUse is returned by OpenDir while another store has the data dir
// open.
var ErrDirInUse = errors.New("records: the data dir is open in another nabij (a running server or command); stop it first (backup and verify-log work while it runs)")

// lockDir takes the data dir's lock, so that one store at a time writes its
// access log: a store takes any head it did not commit for records forged
// behind its back, and signs nothing more.
func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, LockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrDirInUse
		}
		return nil, fmt.Errorf("records: locking %s: %w", dir, err)
	}
	return func() { f.Close() }, nil
}

// BackupDir writes a consistent copy of a data dir's database to path (mode
// 0600) with VACUUM INTO on a read-only connection, so it works while a
// server has the dir open, and writes nothing in the dir. Like OpenDir it
// refuses a database whose keys are missing or do not open it: a copy nobody
// can read is no backup. ECONFLICT when path exists.
func BackupDir(ctx context.Context, dir, path string) error {
	db := DBPath(dir)
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("records: no database in %s: %w", dir, err)
	}
	holds, err := holdsData(db)
	if err != nil {
		return err
	}
	if holds {
		if _, _, err := loadKeys(dir, db); err != nil {
			return err
		}
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return conflict("%s exists; choose a new file", path)
	}
	if err != nil {
		return internal("backup", err)
	}
	out.Close()
	conn, err := openReadOnlyFor(db, false)
	if err != nil {
		os.Remove(path)
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return internal("backup", err)
	}
	return nil
}

// loadKeys loads the keys of a database that holds data, creating nothing,
// and checks that they open it.
func loadKeys(dir, path string) (*crypto.Keyring, ed25519.PrivateKey, error) {
	refuse := func(err error) error {
		return fmt.Errorf("%w: %s holds data, but %v; nothing was created: restore %s from the backup of the keys",
			ErrKeysDoNotOpenData, path, err, KeyDir(dir))
	}
	kr, err := crypto.LoadKeyring(KeyDir(dir))
	if err != nil {
		return nil, nil, refuse(err)
	}
	for _, name := range signingKeys {
		if _, err := kr.SigningKey(name); err != nil {
			return nil, nil, refuse(err)
		}
	}
	signer, err := kr.SigningKey("checkpoints")
	if err != nil {
		return nil, nil, refuse(err)
	}
	db, err := openReadOnly(path)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	if err := keysOpen(db, kr, signer.Public().(ed25519.PublicKey)); err != nil {
		return nil, nil, refuse(err)
	}
	return kr, signer, nil
}

// keysOpen checks that the keyring unwraps one stored data key and that the
// checkpoint key verifies the newest checkpoint.
func keysOpen(db *sql.DB, kr *crypto.Keyring, pub ed25519.PublicKey) error {
	var id string
	var wrapped []byte
	var version int
	err := db.QueryRow(`SELECT client_id, wrapped, kek_version FROM client_keys ORDER BY created_at LIMIT 1`).Scan(&id, &wrapped, &version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		if _, err := kr.Unwrap(id, wrapped, version); err != nil {
			return fmt.Errorf("the master key does not unwrap the stored data keys (%v)", err)
		}
	}
	var cp records.Checkpoint
	var at int64
	err = db.QueryRow(`SELECT seq, hash, at, signature FROM access_checkpoints ORDER BY seq DESC LIMIT 1`).Scan(&cp.Seq, &cp.Hash, &at, &cp.Signature)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		if !ed25519.Verify(pub, records.CheckpointMessage(cp.Seq, cp.Hash, fromMS(at)), cp.Signature) {
			return errors.New("the checkpoint key does not verify the newest signed checkpoint")
		}
	}
	return nil
}

// holdsData tells whether the database at path exists and holds anything a
// key would be needed for: accounts, data keys, access records or checkpoints.
// An absent file, an empty file or a database with only its schema (after
// `nabij migrate`) holds nothing. It writes nothing.
func holdsData(path string) (bool, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if fi.Size() == 0 {
		return false, nil
	}
	db, err := openReadOnly(path)
	if err != nil {
		return false, err
	}
	defer db.Close()
	var tables int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'
		AND name IN ('users', 'client_keys', 'access_log', 'access_checkpoints')`).Scan(&tables); err != nil {
		return false, fmt.Errorf("records: %s: %w", path, err)
	}
	if tables < 4 {
		return tables > 0, nil // a part of the schema is not nabij's: do not treat it as new
	}
	var any bool
	err = db.QueryRow(`SELECT EXISTS(SELECT 1 FROM users) OR EXISTS(SELECT 1 FROM client_keys)
		OR EXISTS(SELECT 1 FROM access_log) OR EXISTS(SELECT 1 FROM access_checkpoints)`).Scan(&any)
	if err != nil {
		return false, fmt.Errorf("records: %s: %w", path, err)
	}
	return any, nil
}

// openReadOnly opens the database at path for reading only. Without a WAL
// beside it (no store has it open) it is opened immutable, so that not even
// the WAL and shared-memory files are created; with one, read-only through
// them.
func openReadOnly(path string) (*sql.DB, error) { return openReadOnlyFor(path, true) }

// openReadOnlyFor is openReadOnly; queryOnly false allows VACUUM INTO, which
// writes only its target.
func openReadOnlyFor(path string, queryOnly bool) (*sql.DB, error) {
	dsn := "file:" + path + "?mode=ro"
	if queryOnly {
		dsn += "&_query_only=on"
	}
	if _, err := os.Stat(path + "-wal"); errors.Is(err, os.ErrNotExist) {
		dsn += "&immutable=1"
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("records: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// VerifyDir verifies the access log of a data dir as VerifyAccessLog does,
// and holds it against the witness, without a store: it writes nothing (no
// key file, no migration, no setting, no WAL) and needs every key file there.
// An error means the check could not run; a broken log is a report with OK
// false.
func VerifyDir(ctx context.Context, dir string, opts DirOptions) (records.VerifyReport, error) {
	if opts.DB != "" {
		return verifyDirPG(ctx, dir, opts)
	}
	path := DBPath(dir)
	if _, err := os.Stat(path); err != nil {
		return records.VerifyReport{}, fmt.Errorf("records: no database in %s: %w", dir, err)
	}
	pub, err := checkpointKey(KeyDir(dir))
	if err != nil {
		return records.VerifyReport{}, err
	}
	db, err := openReadOnly(path)
	if err != nil {
		return records.VerifyReport{}, err
	}
	defer db.Close()
	// One connection per part of the chain read at once (verifyParts).
	db.SetMaxOpenConns(maxVerifyParts)
	return verifyOn(ctx, db, &sql.TxOptions{ReadOnly: true}, pub, opts.witness(dir))
}

// checkpointKey is the public key that signs the checkpoints, from the key
// files in keyDir.
func checkpointKey(keyDir string) (ed25519.PublicKey, error) {
	kr, err := crypto.LoadKeyring(keyDir)
	if err != nil {
		return nil, err
	}
	signer, err := kr.SigningKey("checkpoints")
	if err != nil {
		return nil, err
	}
	return signer.Public().(ed25519.PublicKey), nil
}

// verifyOn walks the access log in db as verify-log does, without a store:
// the chain in parts, each in a read-only transaction begun with txOpts, then
// the head against w (no witness when nil).
func verifyOn(ctx context.Context, db *sql.DB, txOpts *sql.TxOptions, pub ed25519.PublicKey, w *witness.Witness) (records.VerifyReport, error) {
	more := func(ctx context.Context) (*sql.Tx, error) { return db.BeginTx(ctx, txOpts) }
	tx, err := more(ctx)
	if err != nil {
		return records.VerifyReport{}, fmt.Errorf("records: verify: %w", err)
	}
	defer tx.Rollback()
	rep, err := verifyChain(ctx, tx, pub, defaultCheckpointEvery, more, verifyMaxParts(), defaultVerifyPart)
	if err != nil || w == nil {
		return rep, err
	}
	seq, head, err := chainHead(tx)
	if err != nil {
		return rep, fmt.Errorf("records: verify: %w", err)
	}
	at, problem, err := witnessCheck(tx, w, pub, logHead{seq: seq, hash: head})
	if err != nil {
		return rep, err
	}
	failReport(&rep, at, problem)
	return rep, nil
}
