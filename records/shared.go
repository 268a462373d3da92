package records

import (
	"context"
	"time"
)

// Shared is the state that every instance of nabij serving one database must
// see alike: sign-in throttling, the TOTP steps already used, and turns for
// work that one instance at a time may do (the daily retention run). It lives
// in the database, not in a process, so a second instance behind the load
// balancer slows the same guesses, refuses the same replayed code and waits
// for the same turn. None of it is client data and none of it is personal:
// throttling keys are keyed hashes of usernames and addresses, made by the
// caller, and turns name instances, not people.
type Shared interface {
	// ThrottleAttempt starts an attempt that may be a wrong guess, for each key
	// in order: when the key must still wait (a failure less than its rule's
	// Forget ago set a wait that has not passed), nothing of this attempt is
	// counted for any key and the wait is returned; otherwise the attempt
	// counts as a failure at now before its outcome is known, so that parallel
	// guesses cannot all slip through before the first fails, and past the
	// rule's free failures it sets the wait for the key's next attempt. An
	// attempt that was not a wrong guess is given back with ThrottleForgive.
	// Keys no failure touched for their Forget are cleaned up on the way.
	// EINVALID for an empty key; EINTERNAL when the count cannot be written:
	// callers refuse the attempt then.
	ThrottleAttempt(ctx context.Context, now time.Time, keys ...ThrottleKey) (time.Duration, error)
	// ThrottleForgive gives back one attempt per key counted by
	// ThrottleAttempt; back within the free failures, the key need not wait.
	// Unknown keys are not an error. EINTERNAL when the write fails.
	ThrottleForgive(ctx context.Context, keys ...ThrottleKey) error
	// ThrottleReset forgets the failures of the keys (a successful sign-in).
	// Unknown keys are not an error. EINTERNAL when the write fails.
	ThrottleReset(ctx context.Context, keys ...ThrottleKey) error

	// TakeTurn gives holder the turn called name until until, when nobody
	// holds it at now, or holder itself does (then until replaces its end).
	// ECONFLICT when another holder has it, EINVALID for an empty name or
	// holder or an until not after now, EINTERNAL when the write fails.
	TakeTurn(ctx context.Context, name, holder string, now, until time.Time) error
	// Turn returns the turn called name as it was last taken, ended or not.
	// ENOTFOUND when it was never taken, EINTERNAL when the read fails.
	Turn(ctx context.Context, name string) (*Turn, error)
	// EndTurn sets the end of holder's turn to until (now: give it up at once;
	// later: keep others from it that long). ECONFLICT when holder does not
	// hold the turn (it expired and another took it), EINTERNAL when the write
	// fails.
	EndTurn(ctx context.Context, name, holder string, until time.Time) error

	// UseTOTPStep records that the account used the TOTP code of step (a
	// 30-second step since the Unix epoch) and reports true when that step is
	// later than every step it used before; false when it is not (a replayed
	// code, on this instance or another) or there is no such account.
	// EINTERNAL when the write fails.
	UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error)
}

// Turn is who last took a turn (a random name per instance or run, never a
// person), when, and until when.
type Turn struct {
	Name    string
	Holder  string
	TakenAt time.Time
	Until   time.Time
}

// ThrottleKey is one thing attempts are counted for, with its rule. Key is
// opaque to the store: a keyed hash, never a username or an address.
type ThrottleKey struct {
	Key  string
	Rule ThrottleRule
}

// ThrottleRule slows guessing down without locking anyone out: after Free
// failed attempts, each further failure makes the next attempt wait First,
// then twice as long, up to Max. A key without a failure for Forget starts
// afresh.
type ThrottleRule struct {
	Free   int
	First  time.Duration
	Max    time.Duration
	Forget time.Duration
}

// Delay is the wait after the given number of failures in a row.
func (r ThrottleRule) Delay(failures int) time.Duration {
	over := failures - r.Free
	if over <= 0 {
		return 0
	}
	if over <= 30 && r.First<<(over-1) < r.Max {
		return r.First << (over - 1)
	}
	return r.Max
}
