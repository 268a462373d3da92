package sqlite

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

// DBPath is the database file in a data dir.
func DBPath(dir string) string { return filepath.Join(dir, "nabij.db") }

// KeyDir is where the master key and the signing keys of a data dir live.
func KeyDir(dir string) string { return filepath.Join(dir, "keys") }

// DirOptions are the settings OpenDir passes on to Open; the keys come from the
// data dir itself.
type DirOptions struct {
	// Jurisdiction, when set, is stored as the organisation's setting (see Options).
	Jurisdiction records.Jurisdiction
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MinFreeDisk is the store's free-disk margin for Ready (see Options).
	MinFreeDisk int64
}

// OpenDir opens a data dir, creating it (and its keys) when absent: the
// keyring in KeyDir, the "checkpoints" signing key, and the store at DBPath.
// The server and the commands that need no server (migrate, backup,
// rotate-key, user) open a data dir the same way through it.
func OpenDir(dir string, opts DirOptions) (*Store, *crypto.Keyring, error) {
	if dir == "" {
		return nil, nil, errors.New("records/sqlite: no data dir")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	kr, err := crypto.OpenKeyring(KeyDir(dir))
	if err != nil {
		return nil, nil, err
	}
	signer, err := kr.SigningKey("checkpoints")
	if err != nil {
		return nil, nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	st, err := Open(DBPath(dir), Options{Keyring: kr, Signer: signer, Jurisdiction: opts.Jurisdiction, Now: now, MinFreeDisk: opts.MinFreeDisk})
	if err != nil {
		return nil, nil, err
	}
	return st, kr, nil
}
