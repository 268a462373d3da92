package app

import (
	"crypto/ed25519"
	"time"
)

// Hooks for the external tests in package app_test.

// TokenKeyForTest is the server's token-signing key, so tests can make tokens
// the server would have issued (expired ones, for instance).
func TokenKeyForTest(s *Server) ed25519.PrivateKey { return s.auth.Key }

// SetLoginLimitForTest replaces the per-address and per-account sign-in limiter:
// at most max attempts per key in window.
func SetLoginLimitForTest(s *Server, max int, window time.Duration) {
	s.auth.SetLoginLimits(max, window)
}

// LoginLimitsForTest are the default limits: per account, per address.
func LoginLimitsForTest(s *Server) (perAccount, perAddress int) {
	return s.auth.LoginLimits()
}
