package records

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each code to a status in one table.
const (
	EINVALID   = "invalid"   // the input breaks a rule; nothing was changed
	ENOTFOUND  = "not_found" // no such record, or not visible to this actor
	ECONFLICT  = "conflict"  // the record exists or its state does not allow this
	EFORBIDDEN = "forbidden" // the actor has no rule that allows this; a denied record was written
	EDESTROYED = "destroyed" // the data was crypto-shredded
	EINTERNAL  = "internal"  // anything else; the caller gets no data
	// EFULL: the disk or the database is full; nothing was changed.
	EFULL = "storage_full"
)

// Error is a domain error with a stable code, a message safe to show
// (never personal data) and, for EINVALID, the offending field.
type Error struct {
	Code    string
	Field   string
	Message string
	Err     error // wrapped cause, never shown to users
}

func (e *Error) Error() string {
	s := e.Code
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of err, EINTERNAL when err is not an *Error, "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorField returns the field of an EINVALID error, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// invalid is the EINVALID error of the input checks in this package: it names
// the field, and nothing was changed.
func invalid(field, format string, args ...any) error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}
