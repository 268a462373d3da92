package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sync/atomic"
	"time"

	"github.com/nabij/nabij/records"
)

// Failed attempts are counted in the store (records.Shared), so that every
// instance behind a load balancer slows the same guesses. An attempt counts
// against two keys: the address, and the thing guessed at from that address
// (an account's password, an activation code, the current password). Never an
// account alone, so failures from one address never refuse the right password
// from another. The store sees only keyed hashes of the keys: no username or
// address is written down for throttling.

// guessOutcome is how an attempt that was counted as a failure turned out.
type guessOutcome int

const (
	guessWrong    guessOutcome = iota // a wrong guess: the failure stays
	guessNotWrong                     // not a guess that failed (a refusal for another reason): given back
	guessRight                        // the right secret: the key's failures are forgotten
)

// throttleKeys are the store's keys for an attempt from remote at what.
func (s *Service) throttleKeys(remote, what string) (address, attempt records.ThrottleKey) {
	return records.ThrottleKey{Key: s.throttleHash("address\x00" + remote), Rule: s.limits.perAddress},
		records.ThrottleKey{Key: s.throttleHash("attempt\x00" + what + "\x00" + remote), Rule: s.limits.perAccount}
}

// throttleHash is the HMAC-SHA256 of a throttling key under a key derived
// from the token signing key, which every instance shares: without it, an
// address (2^32 of them) could be found again from its hash.
func (s *Service) throttleHash(key string) string {
	m := hmac.New(sha256.New, s.throttleSecret)
	m.Write([]byte(key))
	return hex.EncodeToString(m.Sum(nil))
}

// guess starts an attempt that guesses a secret from remote, slowed per
// address and per what: it counts as a failure from the start (parallel
// guesses then cannot all slip through before the first of them fails), and
// done tells how it turned out. While a delay runs it returns the wait and
// counts nothing; the store's error when the count cannot be written (the
// caller refuses the attempt then).
func (s *Service) guess(ctx context.Context, remote, what string) (done func(guessOutcome), wait time.Duration, err error) {
	address, attempt := s.throttleKeys(remote, what)
	wait, err = s.Store.ThrottleAttempt(ctx, s.Now(), address, attempt)
	if err != nil || wait > 0 {
		return nil, wait, err
	}
	return func(o guessOutcome) {
		// The attempt was counted even if the request has ended meanwhile.
		// A write that fails here leaves one failure too many: it can only
		// slow down, never let a guess through.
		bg := context.WithoutCancel(ctx)
		switch o {
		case guessNotWrong:
			_ = s.Store.ThrottleForgive(bg, address, attempt)
		case guessRight:
			_ = s.Store.ThrottleReset(bg, attempt)
			_ = s.Store.ThrottleForgive(bg, address)
		}
	}, 0, nil
}

// writeTime is a moving average of how long a write takes (the durable commit
// of a failed sign-in), starting from a typical figure.
type writeTime struct{ avg atomic.Int64 } // nanoseconds; 0: none seen yet

const typicalWrite = 20 * time.Millisecond

func (w *writeTime) observe(d time.Duration) {
	for {
		old := w.avg.Load()
		next := int64(d)
		if old != 0 {
			next = old + (int64(d)-old)/8
		}
		if w.avg.CompareAndSwap(old, next) {
			return
		}
	}
}

// pad waits as long as a write takes on average (less if ctx ends).
func (w *writeTime) pad(ctx context.Context) {
	d := time.Duration(w.avg.Load())
	if d == 0 {
		d = typicalWrite
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
