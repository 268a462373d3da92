package auth

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/crypto"
)

// DefaultMaxHashing is how many Argon2id hashes may run at once: each takes
// about 19 MiB, so four keep a burst of sign-ins within a small server's memory.
const DefaultMaxHashing = 4

// hashWait is how long a sign-in waits for a hashing slot before it is told to
// come back (429 with Retry-After).
const hashWait = 3 * time.Second

// hashGate lets at most cap(slots) Argon2id hashes run at once. running, peak
// and total count them, so a test can see the bound hold and the work done.
type hashGate struct {
	slots   chan struct{}
	running atomic.Int64
	peak    atomic.Int64
	total   atomic.Int64
}

func newHashGate(n int) *hashGate {
	if n <= 0 {
		n = DefaultMaxHashing
	}
	return &hashGate{slots: make(chan struct{}, n)}
}

// do runs fn in a slot, waiting at most hashWait for one.
func (g *hashGate) do(ctx context.Context, fn func()) error {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		return edge.FailRetry(edge.ProbRateLimited, "too many sign-ins at once; try again in a moment", time.Second)
	case <-ctx.Done():
		return edge.FailRetry(edge.ProbRateLimited, "too many sign-ins at once; try again in a moment", time.Second)
	}
	defer func() { <-g.slots }()
	n := g.running.Add(1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	defer g.running.Add(-1)
	g.total.Add(1)
	fn()
	return nil
}

// VerifyPassword is crypto.VerifyPassword within the bound on concurrent
// hashes. A sign-in that gets no slot in time is refused with 429 and
// Retry-After.
func (s *Service) VerifyPassword(ctx context.Context, hash, password string) (ok, rehash bool, err error) {
	if gerr := s.hashing.do(ctx, func() { ok, rehash, err = crypto.VerifyPassword(hash, password) }); gerr != nil {
		return false, false, gerr
	}
	return ok, rehash, err
}

// HashPassword is crypto.HashPassword within the bound on concurrent hashes;
// every password set through the server should be hashed here.
func (s *Service) HashPassword(ctx context.Context, password string) (hash string, err error) {
	if gerr := s.hashing.do(ctx, func() { hash, err = crypto.HashPassword(password) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

// HashesRun is how many hashes have run so far.
func (s *Service) HashesRun() int { return int(s.hashing.total.Load()) }

// HashingPeak is the largest number of hashes that ran at once so far.
func (s *Service) HashingPeak() int { return int(s.hashing.peak.Load()) }
