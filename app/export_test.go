package app

import (
	"crypto/ed25519"
	"time"
)

// Hooks for the external tests in package app_test.

// TokenKeyForTest is the server's token-signing key, so tests can make tokens
// the server would have issued (expired ones, for instance).
func TokenKeyForTest(s *Server) ed25519.PrivateKey { return s.auth.Key }

// SetLoginLimitForTest lets free failed sign-ins pass before the growing
// delays start, per (account, address) and per address; a failure is
// forgotten after forget.
func SetLoginLimitForTest(s *Server, free int, forget time.Duration) {
	s.auth.SetFreeFailures(free, forget)
}

// LoginLimitsForTest are the failures free of delay: per (account, address),
// per address.
func LoginLimitsForTest(s *Server) (perAccount, perAddress int) {
	return s.auth.FreeFailures()
}

// HashingPeakForTest is the largest number of password hashes that ran at once.
func HashingPeakForTest(s *Server) int { return s.auth.HashingPeak() }

// HashesRunForTest is how many password hashes the server has run.
func HashesRunForTest(s *Server) int { return s.auth.HashesRun() }

// RetentionOnceForTest runs the scheduled retention once, as the server's
// daily timer does, and reports whether it ran.
func RetentionOnceForTest(s *Server) bool { return s.retentionOnce() }
