package sqlite_test

import (
	"errors"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// TestRefreshTokenRotation: a refresh token is used once. Rotation hands out
// the next token of the family; presenting a token a second time is taken as
// theft: ErrTokenReused, and the whole family — including the newest token —
// stops working. Expired, unknown and revoked tokens are not found; a disabled
// account cannot refresh.
func TestRefreshTokenRotation(t *testing.T) {
	const ttl = time.Hour
	tests := []struct {
		name string
		run  func(t *testing.T, w *world, user records.Actor)
	}{
		{"RotationChain", func(t *testing.T, w *world, user records.Actor) {
			first, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t1", ttl)
			if err != nil {
				t.Fatal(err)
			}
			prev := "t1"
			for _, next := range []string{"t2", "t3", "t4"} {
				tok, err := w.s.RotateRefreshToken(w.ctx, prev, next, ttl)
				if err != nil {
					t.Fatalf("rotate %s -> %s: %v", prev, next, err)
				}
				if tok.Family != first.Family || tok.UserID != user.UserID {
					t.Fatalf("token %+v", tok)
				}
				prev = next
			}
		}},
		{"ReuseRevokesFamily", func(t *testing.T, w *world, user records.Actor) {
			if _, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t1", ttl); err != nil {
				t.Fatal(err)
			}
			// Another sign-in of the same user is a family of its own.
			if _, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "other-device", ttl); err != nil {
				t.Fatal(err)
			}
			for _, step := range [][2]string{{"t1", "t2"}, {"t2", "t3"}} {
				if _, err := w.s.RotateRefreshToken(w.ctx, step[0], step[1], ttl); err != nil {
					t.Fatal(err)
				}
			}
			// The thief presents t1 again.
			tok, err := w.s.RotateRefreshToken(w.ctx, "t1", "stolen", ttl)
			if !errors.Is(err, records.ErrTokenReused) || tok != nil {
				t.Fatalf("reuse: %v", err)
			}
			// The newest token of the family no longer works, nor the thief's.
			for _, presented := range []string{"t3", "stolen", "t2"} {
				if _, err := w.s.RotateRefreshToken(w.ctx, presented, presented+"-next", ttl); records.ErrorCode(err) != records.ENOTFOUND {
					t.Errorf("%s after reuse: %v, want ENOTFOUND", presented, err)
				}
			}
			// The other family is untouched.
			if _, err := w.s.RotateRefreshToken(w.ctx, "other-device", "other-device-2", ttl); err != nil {
				t.Errorf("other family: %v", err)
			}
		}},
		{"Expired", func(t *testing.T, w *world, user records.Actor) {
			if _, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t1", ttl); err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(ttl)
			if _, err := w.s.RotateRefreshToken(w.ctx, "t1", "t2", ttl); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("expired: %v", err)
			}
		}},
		{"Unknown", func(t *testing.T, w *world, user records.Actor) {
			if _, err := w.s.RotateRefreshToken(w.ctx, "never-issued", "t2", ttl); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("unknown: %v", err)
			}
		}},
		{"SignedOut", func(t *testing.T, w *world, user records.Actor) {
			if _, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t1", ttl); err != nil {
				t.Fatal(err)
			}
			if _, err := w.s.RotateRefreshToken(w.ctx, "t1", "t2", ttl); err != nil {
				t.Fatal(err)
			}
			if err := w.s.RevokeRefreshFamily(w.ctx, "t2"); err != nil {
				t.Fatal(err)
			}
			if _, err := w.s.RotateRefreshToken(w.ctx, "t2", "t3", ttl); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("after sign-out: %v", err)
			}
		}},
		{"DisabledAccount", func(t *testing.T, w *world, user records.Actor) {
			if _, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t1", ttl); err != nil {
				t.Fatal(err)
			}
			if err := w.s.SetUserDisabled(w.ctx, w.adm, user.UserID, true); err != nil {
				t.Fatal(err)
			}
			if _, err := w.s.RotateRefreshToken(w.ctx, "t1", "t2", ttl); err == nil {
				t.Fatal("a disabled account refreshed")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			tt.run(t, w, w.sam)
		})
	}
}
