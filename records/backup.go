package records

import (
	"context"
	"database/sql"
	"errors"
	"os"
)

// Backup writes an online, consistent copy of the database to path with VACUUM
// INTO, between write batches. The copy holds only ciphertexts and wrapped keys:
// it is useless without the key file, which must be backed up apart (see README).
// Refuses to overwrite an existing file.
func (s *Store) Backup(ctx context.Context, path string) error {
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
