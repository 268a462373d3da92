package crypto

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// maxKeyFileSize bounds what we read from a key file.
const maxKeyFileSize = 1 << 20

// readKeyFile reads a key file after checking, on the opened file, that it
// has no group or other permission bits. A missing file gives an error
// satisfying errors.Is(err, os.ErrNotExist).
func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("crypto: key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o; fix it with: chmod 600 %s",
			ErrKeyFilePermissions, path, perm, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxKeyFileSize {
		return nil, fmt.Errorf("crypto: key file %s is too large", path)
	}
	return b, nil
}

// writeFileAtomic writes data to path with mode 0600: it writes a temporary
// file in the same directory, fsyncs it, then renames it over path (or, when
// noClobber is set, links it to path, failing with os.ErrExist if path
// already exists), and finally fsyncs the directory.
func writeFileAtomic(path string, data []byte, noClobber bool) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer func() {
		if tmp != nil {
			tmp.Close()
		}
		os.Remove(tmpName) // no-op after a successful rename
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		tmp = nil
		return err
	}
	tmp = nil
	if noClobber {
		// A hard link never replaces an existing file, so two processes
		// creating the same key cannot overwrite each other's key.
		if err := os.Link(tmpName, path); err != nil {
			if errors.Is(err, os.ErrExist) {
				return err
			}
			// Filesystems without hard links: fall back to exclusive create.
			if err := writeExclusive(path, data); err != nil {
				return err
			}
		}
	} else if err := os.Rename(tmpName, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// writeExclusive is the fallback for writeFileAtomic(noClobber) on
// filesystems without hard links.
func writeExclusive(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
