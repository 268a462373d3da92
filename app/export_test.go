package app

import (
	"crypto/ed25519"
	"time"
)

// Hooks for the external tests in package app_test.

// TokenKeyForTest is the server's token-signing key, so tests can make tokens
// the server would have issued (expired ones, for instance).
func TokenKeyForTest(s *Server) ed25519.PrivateKey { return s.tokenKey }

// SetLoginLimitForTest replaces the per-address and per-account sign-in limiter:
// at most max attempts per key in window.
func SetLoginLimitForTest(s *Server, max int, window time.Duration) {
	s.logins = newLoginLimiter(max, window)
	s.loginsByAddr = newLoginLimiter(max, window)
}

// LoginLimitsForTest are the default limits: per account, per address.
func LoginLimitsForTest(s *Server) (perAccount, perAddress int) {
	return s.logins.max, s.loginsByAddr.max
}

// TokenIssuer and TokenAudience are what access tokens must carry.
const (
	TokenIssuer   = tokenIssuer
	TokenAudience = tokenAudience
)

// RotationGraceForTest is how long a rotated page refresh token still yields its successor.
const RotationGraceForTest = rotationGrace
