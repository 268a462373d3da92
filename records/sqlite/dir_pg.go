package sqlite

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/witness"
)

// A data dir whose database is on PostgreSQL (DirOptions.DB): the dir (or
// DirOptions.KeysDir) holds only the keys; the database is shared, so no
// lock file keeps a second instance out, and the witness is used only when
// one is named (DirOptions.Witness): the default witness in the key dir
// speaks for one instance, and several instances append to the one log.

// keyDir is where the keys of a data dir are.
func (o DirOptions) keyDir(dir string) string {
	if o.KeysDir != "" {
		return o.KeysDir
	}
	return KeyDir(dir)
}

// pgWitness is the witness of a store on PostgreSQL: only one named.
func (o DirOptions) pgWitness() *witness.Witness {
	if o.Witness == "" {
		return nil
	}
	return witness.New(o.Witness)
}

// openDirPG is OpenDir for a database on PostgreSQL: beside a database that
// holds data it creates no key and checks that the keys open that data
// (ErrKeysDoNotOpenData otherwise); beside a new one it creates the keyring
// and the signing keys.
func openDirPG(dir string, opts DirOptions) (*Store, *crypto.Keyring, error) {
	kd := opts.keyDir(dir)
	if kd == "" {
		return nil, nil, errors.New("records: no key dir (--data DIR or NABIJ_KEYS_DIR)")
	}
	db, err := OpenPostgresDB(opts.DB)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	holds, err := holdsDataPG(db)
	if err != nil {
		return nil, nil, err
	}
	var kr *crypto.Keyring
	if holds {
		if kr, err = crypto.LoadKeyring(kd); err != nil {
			return nil, nil, fmt.Errorf("%w: the database holds data, but %v; nothing was created: restore %s from the backup of the keys", ErrKeysDoNotOpenData, err, kd)
		}
	} else if kr, err = crypto.OpenKeyring(kd); err != nil {
		return nil, nil, err
	}
	for _, name := range signingKeys {
		if holds {
			if _, err := kr.SigningKey(name); err != nil {
				return nil, nil, fmt.Errorf("%w: %v", ErrKeysDoNotOpenData, err)
			}
		} else if _, err := kr.SigningKey(name); err != nil {
			return nil, nil, err
		}
	}
	signer, err := kr.SigningKey("checkpoints")
	if err != nil {
		return nil, nil, err
	}
	if holds {
		if err := keysOpen(db, kr, signer.Public().(ed25519.PublicKey)); err != nil {
			return nil, nil, fmt.Errorf("%w: %v; nothing was created: restore %s from the backup of the keys", ErrKeysDoNotOpenData, err, kd)
		}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	st, err := OpenPostgres(opts.DB, Options{ReadsOnWriter: opts.Reads.onWriter(true), Keyring: kr, Signer: signer, Jurisdiction: opts.Jurisdiction, Now: now,
		Witness: opts.pgWitness(), MinFreeDisk: opts.MinFreeDisk})
	if err != nil {
		return nil, nil, err
	}
	return st, kr, nil
}

// holdsDataPG is holdsData for a PostgreSQL database: a database without
// nabij's tables, or with them empty, holds nothing.
func holdsDataPG(db *sql.DB) (bool, error) {
	var tables int
	if err := db.QueryRow(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()
		AND table_name IN ('users', 'client_keys', 'access_log', 'access_checkpoints')`).Scan(&tables); err != nil {
		return false, fmt.Errorf("records: postgres: %w", err)
	}
	if tables < 4 {
		return tables > 0, nil
	}
	var any bool
	err := db.QueryRow(`SELECT EXISTS(SELECT 1 FROM users) OR EXISTS(SELECT 1 FROM client_keys)
		OR EXISTS(SELECT 1 FROM access_log) OR EXISTS(SELECT 1 FROM access_checkpoints)`).Scan(&any)
	if err != nil {
		return false, fmt.Errorf("records: postgres: %w", err)
	}
	return any, nil
}

// verifyDirPG is VerifyDir for a database on PostgreSQL: in REPEATABLE READ
// READ ONLY transactions, so appends by running instances do not move the
// head under the walk. It writes nothing.
func verifyDirPG(ctx context.Context, dir string, opts DirOptions) (records.VerifyReport, error) {
	pub, err := checkpointKey(opts.keyDir(dir))
	if err != nil {
		return records.VerifyReport{}, err
	}
	db, err := OpenPostgresDB(opts.DB)
	if err != nil {
		return records.VerifyReport{}, err
	}
	defer db.Close()
	// Each part of the chain read at once (verifyParts) has its own
	// snapshot; the log is append-only, so a later snapshot holds every
	// record of the first one's range unchanged.
	return verifyOn(ctx, db, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, pub, opts.pgWitness())
}

// ErrBackupPostgres is returned by BackupDir for a database on PostgreSQL.
var ErrBackupPostgres = errors.New("records: nabij backup copies a SQLite database; on PostgreSQL use pg_dump or the server's own backups (base backups, WAL archiving), and back up the key files apart")
