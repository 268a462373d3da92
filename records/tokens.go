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

// RotationGrace is how long after a refresh token was rotated the same token
// may be presented again with the same successor (one the caller derives from
// the token, as the pages do) and get that successor back. Two page loads that
// find the same expired access token (two tabs, a fast double click, on one
// instance or on two) both present the same refresh token; without this, the
// second looks like reuse and the whole session ends. Past the window, or with
// any other successor (the API's random ones), reuse is taken for theft.
const RotationGrace = 10 * time.Second

// SessionLifetime is how long a sign-in lasts whatever the activity: after it,
// access tokens of the session are refused and its refresh tokens rotate no
// more, so a stolen or forgotten session cannot be kept alive by use.
const SessionLifetime = 12 * time.Hour

// Session is one sign-in: its access tokens carry its id, its refresh tokens
// are one family with the same id. Ending it (sign-out, token reuse) refuses
// both at once.
type Session struct {
	ID        string
	UserID    string
	CreatedAt time.Time
	EndedAt   *time.Time
}

// Active reports whether the session may still be used at now: not ended and
// younger than SessionLifetime.
func (s *Session) Active(now time.Time) bool {
	return s.EndedAt == nil && now.Before(s.CreatedAt.Add(SessionLifetime))
}

// ErrSessionOver is returned by RotateRefreshToken when the token's session has
// reached SessionLifetime: the person must sign in again.
var ErrSessionOver = &Error{Code: ENOTFOUND, Message: "the session has reached its time limit; sign in again"}
