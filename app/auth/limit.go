package auth

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// failureDelays slows guessing down without locking anyone out: after free
// failed sign-ins for a key, each further failure makes the next attempt wait
// base, then twice as long, up to max. The key is an (account, address) pair or
// an address, never an account alone, so failures from one address never refuse
// the right password from another. A success forgets the key. It is in memory:
// with several instances each slows down its own share.
type failureDelays struct {
	mu     sync.Mutex
	free   int
	base   time.Duration
	max    time.Duration
	forget time.Duration // a key with no failure for this long starts afresh
	seen   map[string]*failures
}

type failures struct {
	n     int
	last  time.Time
	until time.Time // no attempt for this key before
}

func newFailureDelays(free int, base, max time.Duration) *failureDelays {
	return &failureDelays{free: free, base: base, max: max, forget: 15 * time.Minute, seen: map[string]*failures{}}
}

// wait is how long the key must still wait before its next attempt (0: go on).
func (d *failureDelays) wait(key string, now time.Time) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	f, ok := d.seen[key]
	if !ok || now.Sub(f.last) > d.forget {
		return 0
	}
	if w := f.until.Sub(now); w > 0 {
		return w
	}
	return 0
}

// attempt is wait, but when the key need not wait it counts the attempt as a
// failure at once, before its outcome is known: parallel guesses then cannot
// all slip through before the first of them fails. An attempt that turns out
// not to be a wrong guess is given back with forgive.
func (d *failureDelays) attempt(key string, now time.Time) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	if f, ok := d.seen[key]; ok && now.Sub(f.last) <= d.forget {
		if w := f.until.Sub(now); w > 0 {
			return w
		}
	}
	d.failLocked(key, now)
	return 0
}

// fail counts one failed attempt for the key and sets its next delay.
func (d *failureDelays) fail(key string, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.failLocked(key, now)
}

func (d *failureDelays) failLocked(key string, now time.Time) {
	if len(d.seen) > 100_000 { // bound memory under a spray of addresses
		for k, f := range d.seen {
			if now.Sub(f.last) > d.forget {
				delete(d.seen, k)
			}
		}
	}
	f, ok := d.seen[key]
	if !ok || now.Sub(f.last) > d.forget {
		f = &failures{}
		d.seen[key] = f
	}
	f.n++
	f.last = now
	if over := f.n - d.free; over > 0 {
		delay := d.max
		if over <= 30 && d.base<<(over-1) < d.max {
			delay = d.base << (over - 1)
		}
		f.until = now.Add(delay)
	}
}

// forgive gives back one attempt counted by attempt that was not a wrong
// guess; within the free failures again, the key need not wait.
func (d *failureDelays) forgive(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f, ok := d.seen[key]
	if !ok {
		return
	}
	if f.n--; f.n <= 0 {
		delete(d.seen, key)
	} else if f.n <= d.free {
		f.until = time.Time{}
	}
}

// succeed forgets the key's failures.
func (d *failureDelays) succeed(key string) {
	d.mu.Lock()
	delete(d.seen, key)
	d.mu.Unlock()
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
