package sqlite

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/mattn/go-sqlite3"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

// The constructors of the domain errors this store returns; callers match them
// by code (records.ErrorCode) and never see the wrapped cause.

func invalid(field, format string, args ...any) error {
	return &records.Error{Code: records.EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

func notFound(what string) error {
	return &records.Error{Code: records.ENOTFOUND, Message: what + " not found"}
}

func conflict(format string, args ...any) error {
	return &records.Error{Code: records.ECONFLICT, Message: fmt.Sprintf(format, args...)}
}

func forbidden(msg string) error {
	return &records.Error{Code: records.EFORBIDDEN, Message: msg}
}

// internal wraps a failure of the database or the disk. A full disk or
// database (SQLITE_FULL, ENOSPC) gets its own code, so the caller can say
// "storage full" (507) rather than a generic failure.
func internal(op string, err error) error {
	if isFull(err) {
		return &records.Error{Code: records.EFULL, Message: "storage full", Err: err}
	}
	return &records.Error{Code: records.EINTERNAL, Message: op, Err: err}
}

func isFull(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrFull {
		return true
	}
	if pgCode(err) == pgDiskFull {
		return true
	}
	return errors.Is(err, syscall.ENOSPC)
}

// classify gives a write's error the storage-full code when a full disk or
// database caused it, wherever in the job it was wrapped.
func classify(err error) error {
	if err != nil && records.ErrorCode(err) == records.EINTERNAL && isFull(err) {
		return &records.Error{Code: records.EFULL, Message: "storage full", Err: err}
	}
	return err
}

func destroyed() error {
	return &records.Error{Code: records.EDESTROYED, Message: "this client's data was destroyed", Err: crypto.ErrDestroyed}
}
