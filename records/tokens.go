package records

import "time"

// RefreshToken is a stored refresh token: only its SHA-256 is kept. Tokens of one
// sign-in form a family; rotation issues the next token of the family.
type RefreshToken struct {
	ID        string
	Family    string
	UserID    string
	ExpiresAt time.Time
}

// ErrTokenReused is returned by RotateRefreshToken when a token that was already
// rotated is presented again: a sign of theft, so the whole family is revoked.
var ErrTokenReused = &Error{Code: EFORBIDDEN, Message: "refresh token was used before; the session is revoked"}
