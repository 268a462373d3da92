package auth

import (
	"sync"
	"time"
)

// loginLimiter counts sign-in attempts per key (an address or a username) in a
// fixed window. It is in memory: with several instances each has its own count,
// which still bounds guessing; the per-account lock-out is in the database.
type loginLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	seen   map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newLoginLimiter(max int, w time.Duration) *loginLimiter {
	return &loginLimiter{max: max, window: w, seen: map[string]*window{}}
}

// allow counts one attempt for key and reports whether it is within the limit.
func (l *loginLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) > 100_000 { // bound memory under a spray of addresses
		for k, w := range l.seen {
			if now.Sub(w.start) > l.window {
				delete(l.seen, k)
			}
		}
	}
	w, ok := l.seen[key]
	if !ok || now.Sub(w.start) > l.window {
		l.seen[key] = &window{start: now, n: 1}
		return true
	}
	w.n++
	return w.n <= l.max
}
