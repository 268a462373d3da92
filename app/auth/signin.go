package auth

import (
	"context"
	"crypto/ed25519"
	"strings"
	"time"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

const (
	lockAfter = 5                // failed sign-ins in a row lock the account…
	lockFor   = 15 * time.Minute // …for this long
)

// Config is what sign-in needs from the server.
type Config struct {
	Store records.Store
	// Key signs the access tokens (and CSRF keys are derived from it).
	Key         ed25519.PrivateKey
	Now         func() time.Time
	AccessTTL   time.Duration
	RequireTOTP map[records.Role]bool // roles that must sign in with a second factor
	// Outcome counts each sign-in attempt by its outcome (for metrics).
	Outcome func(outcome string)
}

// Service signs people in. Its limits and the TOTP replay guard are in
// memory, per instance.
type Service struct {
	Config
	logins *loginLimiter // per account
	// loginsByAddr is per address: higher, as a whole office may share one.
	loginsByAddr *loginLimiter
	totp         totpSteps
}

// New makes the sign-in service: at most 10 attempts a minute per account
// and 60 per address.
func New(cfg Config) *Service {
	return &Service{Config: cfg, logins: newLoginLimiter(10, time.Minute), loginsByAddr: newLoginLimiter(60, time.Minute)}
}

// SetLoginLimits replaces the per-account and per-address sign-in limits:
// at most max attempts per key in window (tests loosen or tighten them).
func (s *Service) SetLoginLimits(max int, window time.Duration) {
	s.logins = newLoginLimiter(max, window)
	s.loginsByAddr = newLoginLimiter(max, window)
}

// LoginLimits are the current limits: per account, per address.
func (s *Service) LoginLimits() (perAccount, perAddress int) {
	return s.logins.max, s.loginsByAddr.max
}

// dummyHash makes a sign-in for an unknown user cost as much as for a known one.
var dummyHash, _ = crypto.HashPassword("nabij-timing-equaliser")

// Authenticate checks username, password and (when enrolled) the TOTP code, with
// the per-address and per-account limits. It returns the user and whether the
// token must be restricted to enrolling a second factor. Used by the API and the
// sign-in page alike. Refusals are edge problems: rate-limited, locked,
// invalid credentials, TOTP required.
func (s *Service) Authenticate(ctx context.Context, remote, username, password, code string) (*records.User, bool, error) {
	now := s.Now()
	if !s.loginsByAddr.allow(remote, now) || !s.logins.allow(strings.ToLower(strings.TrimSpace(username)), now) {
		s.Outcome("rate_limited")
		return nil, false, edge.Fail(edge.ProbRateLimited)
	}
	u, err := s.Store.UserByUsername(ctx, username)
	if err != nil {
		if records.ErrorCode(err) == records.ENOTFOUND {
			_, _, _ = crypto.VerifyPassword(dummyHash, password)
			s.Outcome("bad_credentials")
			return nil, false, edge.Fail(edge.ProbBadLogin)
		}
		return nil, false, err
	}
	if u.LockedUntil != nil && u.LockedUntil.After(now) {
		s.Outcome("locked")
		return nil, false, edge.FailDetail(edge.ProbLocked, "try again after "+u.LockedUntil.Format(time.RFC3339))
	}
	stored := u.PasswordHash
	if stored == "" {
		// Not activated yet: no password can match, but the check costs the
		// same, so timing does not tell which accounts are waiting for one.
		stored = dummyHash
	}
	ok, rehash, err := crypto.VerifyPassword(stored, password)
	ok = ok && u.PasswordHash != ""
	if err != nil || !ok || u.Disabled {
		if u.Disabled && ok {
			s.Outcome("disabled")
			return nil, false, edge.FailDetail(edge.ProbBadLogin, "this account is disabled")
		}
		if rerr := s.Store.RecordLogin(ctx, u.ID, false, lockAfter, lockFor); rerr != nil {
			return nil, false, rerr
		}
		s.Outcome("bad_credentials")
		return nil, false, edge.Fail(edge.ProbBadLogin)
	}
	pending := false
	switch {
	case u.TOTPEnabled:
		if code == "" {
			return nil, false, edge.Fail(edge.ProbTOTPRequired)
		}
		secret, err := s.Store.TOTPSecret(ctx, u.ID)
		if err != nil {
			return nil, false, err
		}
		if !s.CheckTOTP(u.ID, secret, code) {
			if rerr := s.Store.RecordLogin(ctx, u.ID, false, lockAfter, lockFor); rerr != nil {
				return nil, false, rerr
			}
			s.Outcome("bad_totp")
			return nil, false, edge.FailDetail(edge.ProbTOTPRequired, "the code is wrong or expired")
		}
	case s.RequireTOTP[u.Role]:
		pending = true // may only enrol a second factor
	}
	if err := s.Store.RecordLogin(ctx, u.ID, true, lockAfter, lockFor); err != nil {
		return nil, false, err
	}
	if rehash {
		if h, err := crypto.HashPassword(password); err == nil {
			_ = s.Store.SetPasswordHash(ctx, u.ID, h)
		}
	}
	s.Outcome("ok")
	return u, pending, nil
}

// Pending reports whether a session of u may only enrol a second factor: its
// role requires one and none is set up.
func (s *Service) Pending(u *records.User) bool { return !u.TOTPEnabled && s.RequireTOTP[u.Role] }

// SessionUser checks an access token and that its account is still active:
// not disabled, and still in the role the token names. Shared by the API's
// bearer check and the web pages (access cookie). Refused: unauthorized.
func (s *Service) SessionUser(ctx context.Context, raw string) (*Claims, *records.User, error) {
	claims, err := s.parseAccess(raw)
	if err != nil {
		return nil, nil, edge.FailDetail(edge.ProbUnauthorized, "the access token is not valid or has expired")
	}
	u, err := s.Store.UserByID(ctx, claims.Subject)
	if err != nil || u.Disabled || string(u.Role) != claims.Role {
		return nil, nil, edge.FailDetail(edge.ProbUnauthorized, "this account can no longer sign in")
	}
	return claims, u, nil
}
