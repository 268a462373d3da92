package web

import (
	"crypto/sha256"
	"sync"
	"time"
)

// RotationGrace is how long a just-rotated page refresh token still yields the
// token it was rotated to. Two page loads that find the same expired access
// token (two tabs, a fast double click) both present the same refresh token;
// without this, the second looks like reuse and the whole session is revoked.
// Past the window, reuse is treated as theft as before.
const RotationGrace = 10 * time.Second

// pageRotations remembers recent rotations of page refresh tokens, by the
// SHA-256 of the presented token (never the token itself). In memory, per
// instance: with several instances a second tab may still be signed out.
type pageRotations struct {
	mu   sync.Mutex
	seen map[[32]byte]rotation
}

type rotation struct {
	next      string // the refresh token the presented one was rotated to
	userID    string
	sessionID string
	at        time.Time
}

// recent returns the rotation of presented if it happened within the grace window.
func (r *pageRotations) recent(presented string, now time.Time) (rotation, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rot, ok := r.seen[sha256.Sum256([]byte(presented))]
	if !ok || now.Sub(rot.at) > RotationGrace {
		return rotation{}, false
	}
	return rot, true
}

func (r *pageRotations) remember(presented string, rot rotation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[[32]byte]rotation{}
	}
	for k, v := range r.seen { // keep the map small: only the last seconds matter
		if rot.at.Sub(v.at) > RotationGrace {
			delete(r.seen, k)
		}
	}
	r.seen[sha256.Sum256([]byte(presented))] = rot
}
