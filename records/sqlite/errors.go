package sqlite

import (
	"fmt"

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

func internal(op string, err error) error {
	return &records.Error{Code: records.EINTERNAL, Message: op, Err: err}
}

func destroyed() error {
	return &records.Error{Code: records.EDESTROYED, Message: "this client's data was destroyed", Err: crypto.ErrDestroyed}
}
