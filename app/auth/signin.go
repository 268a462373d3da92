package auth

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"strings"
	"time"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

// RecordLogin's lock-out is not used: a lock-out lets anyone lock anyone out.
// Failures slow sign-in down per (account, address) and per address instead.
const (
	noLockAfter = 0
	noLockFor   = 0
)

// The sign-in delays: the first failures are free (typing mistakes), then each
// failure doubles the wait for the next attempt, from one second up to half a
// minute. An address gets more free failures than an (account, address) pair,
// as a whole office may share one.
const (
	freeFailuresPerAccount = 3
	freeFailuresPerAddress = 20
	firstDelay             = time.Second
	maxDelay               = 30 * time.Second
	forgetFailures         = 15 * time.Minute // a key without a failure this long starts afresh
)

// Config is what sign-in needs from the server.
type Config struct {
	Store records.Store
	// Key signs the access tokens (and CSRF keys are derived from it).
	Key         ed25519.PrivateKey
	Now         func() time.Time
	AccessTTL   time.Duration
	RequireTOTP map[records.Role]bool // roles that must sign in with a second factor
	// MaxHashing is how many Argon2id hashes may run at once (default
	// DefaultMaxHashing).
	MaxHashing int
	// Outcome counts each sign-in attempt by its outcome (for metrics).
	Outcome func(outcome string)
}

// Service signs people in. Its failure counts and the TOTP steps already
// used are in the store, shared by every instance (records.Shared).
type Service struct {
	Config
	limits signinLimits
	// throttleSecret keys the hashes the store keeps for throttling.
	throttleSecret []byte
	// hashing bounds the Argon2id hashes that run at once.
	hashing *hashGate
	// failWrite is how long writing down a failed sign-in takes, for the
	// answer to an unknown username to take as long.
	failWrite writeTime
}

// signinLimits are the two rules of failure delays.
type signinLimits struct {
	perAccount records.ThrottleRule // key: what is guessed at (an account) and the address
	perAddress records.ThrottleRule
}

func newSigninLimits(freeAccount, freeAddress int, forget time.Duration) signinLimits {
	return signinLimits{
		perAccount: records.ThrottleRule{Free: freeAccount, First: firstDelay, Max: maxDelay, Forget: forget},
		perAddress: records.ThrottleRule{Free: freeAddress, First: firstDelay, Max: maxDelay, Forget: forget},
	}
}

// New makes the sign-in service.
func New(cfg Config) *Service {
	s := &Service{Config: cfg, limits: newSigninLimits(freeFailuresPerAccount, freeFailuresPerAddress, forgetFailures),
		hashing: newHashGate(cfg.MaxHashing)}
	s.throttleSecret = s.DeriveKey("throttling keys")
	return s
}

// SetFreeFailures replaces the failure delays with ones that start after free
// failures, per (account, address) and per address, and forget a failure
// after forget (tests loosen or tighten them).
func (s *Service) SetFreeFailures(free int, forget time.Duration) {
	s.limits = newSigninLimits(free, free, forget)
}

// FreeFailures are the failures that cost no delay yet: per (account,
// address), per address.
func (s *Service) FreeFailures() (perAccount, perAddress int) {
	return s.limits.perAccount.Free, s.limits.perAddress.Free
}

// dummyHash makes a sign-in for an unknown user cost as much as for a known one.
var dummyHash, _ = crypto.HashPassword("nabij-timing-equaliser")

// Authenticate checks username, password and (when enrolled) the TOTP code,
// after the failure delays of the address and of this account from this
// address. It returns the user and whether the token must be restricted to
// enrolling a second factor. Used by the API and the sign-in page alike.
// Refusals are edge problems: rate-limited (with Retry-After), invalid
// credentials, TOTP required. An unknown username is answered exactly as a
// wrong password, after the same work.
func (s *Service) Authenticate(ctx context.Context, remote, username, password, code string) (*records.User, bool, error) {
	// Each attempt counts as a failure from the start and is given back unless
	// it turns out to be a wrong guess (see guess).
	done, wait, err := s.guess(ctx, remote, strings.ToLower(strings.TrimSpace(username)))
	if err != nil {
		return nil, false, err
	}
	if wait > 0 {
		s.Outcome("rate_limited")
		return nil, false, edge.FailRetry(edge.ProbRateLimited, "too many failed sign-ins; wait before trying again", wait)
	}
	outcome := guessNotWrong
	defer func() { done(outcome) }()
	failed := func(o string, err error) (*records.User, bool, error) {
		outcome = guessWrong
		s.Outcome(o)
		return nil, false, err
	}
	u, err := s.Store.UserByUsername(ctx, username)
	if err != nil {
		if records.ErrorCode(err) == records.ENOTFOUND {
			if _, _, herr := s.VerifyPassword(ctx, dummyHash, password); herr != nil {
				return nil, false, herr
			}
			// A known account's failure is also written down before the answer:
			// wait as long as that usually takes, so the answer comes as late.
			s.failWrite.pad(ctx)
			return failed("bad_credentials", edge.Fail(edge.ProbBadLogin))
		}
		return nil, false, err
	}
	stored := u.PasswordHash
	if stored == "" {
		// Not activated yet: no password can match, but the check costs the
		// same, so timing does not tell which accounts are waiting for one.
		stored = dummyHash
	}
	ok, rehash, err := s.VerifyPassword(ctx, stored, password)
	if p := edge.ProblemFor(err); err != nil && p.Status == http.StatusTooManyRequests {
		return nil, false, err
	}
	ok = ok && u.PasswordHash != ""
	if err != nil || !ok || u.Disabled {
		if u.Disabled && ok {
			s.Outcome("disabled")
			return nil, false, edge.FailDetail(edge.ProbBadLogin, "this account is disabled")
		}
		t0 := time.Now()
		if rerr := s.Store.RecordLogin(ctx, u.ID, false, noLockAfter, noLockFor); rerr != nil {
			return nil, false, rerr
		}
		if rerr := s.Store.RecordSignIn(ctx, u.ID, false, remote); rerr != nil {
			return nil, false, rerr
		}
		s.failWrite.observe(time.Since(t0))
		return failed("bad_credentials", edge.Fail(edge.ProbBadLogin))
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
		ok, err := s.CheckTOTP(ctx, u.ID, secret, code)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			if rerr := s.Store.RecordLogin(ctx, u.ID, false, noLockAfter, noLockFor); rerr != nil {
				return nil, false, rerr
			}
			if rerr := s.Store.RecordSignIn(ctx, u.ID, false, remote); rerr != nil {
				return nil, false, rerr
			}
			return failed("bad_totp", edge.FailDetail(edge.ProbTOTPRequired, "the code is wrong or expired"))
		}
	case s.RequireTOTP[u.Role]:
		pending = true // may only enrol a second factor
	}
	if err := s.Store.RecordLogin(ctx, u.ID, true, noLockAfter, noLockFor); err != nil {
		return nil, false, err
	}
	// The sign-in is in the access log before any token exists.
	if err := s.Store.RecordSignIn(ctx, u.ID, true, remote); err != nil {
		return nil, false, err
	}
	// Forget this account's failures from this address.
	outcome = guessRight
	if rehash {
		if h, err := s.HashPassword(ctx, password); err == nil {
			_ = s.Store.SetPasswordHash(ctx, u.ID, h)
		}
	}
	s.Outcome("ok")
	return u, pending, nil
}

// Pending reports whether a session of u may only enrol a second factor: its
// role requires one and none is set up.
func (s *Service) Pending(u *records.User) bool { return !u.TOTPEnabled && s.RequireTOTP[u.Role] }

// SessionUser checks an access token, that its session is neither ended nor
// past records.SessionLifetime, and that its account is still active: not
// disabled, and still in the role the token names. Shared by the API's bearer
// check and the web pages (access cookie). Refused: unauthorized.
func (s *Service) SessionUser(ctx context.Context, raw string) (*Claims, *records.User, error) {
	claims, err := s.parseAccess(raw)
	if err != nil {
		return nil, nil, edge.FailDetail(edge.ProbUnauthorized, "the access token is not valid or has expired")
	}
	sess, err := s.Store.Session(ctx, claims.SessionID)
	if err != nil || sess.UserID != claims.Subject || !sess.Active(s.Now()) {
		if err != nil && records.ErrorCode(err) != records.ENOTFOUND {
			return nil, nil, err
		}
		return nil, nil, edge.FailDetail(edge.ProbUnauthorized, "this session has ended; sign in again")
	}
	u, err := s.Store.UserByID(ctx, claims.Subject)
	if err != nil || u.Disabled || string(u.Role) != claims.Role {
		return nil, nil, edge.FailDetail(edge.ProbUnauthorized, "this account can no longer sign in")
	}
	return claims, u, nil
}
