package sqlite_test

import (
	"errors"
	"fmt"
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
			first, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t1", ttl)
			if err != nil {
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
			// Signing out ends the session too: its access tokens are refused.
			sess, err := w.s.Session(w.ctx, first.Family)
			if err != nil || sess.EndedAt == nil || sess.UserID != user.UserID {
				t.Fatalf("session after sign-out: %+v, %v", sess, err)
			}
		}},
		{"SessionLifetime", func(t *testing.T, w *world, user records.Actor) {
			first, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t0", ttl)
			if err != nil {
				t.Fatal(err)
			}
			// Busy all day: a refresh every ten minutes keeps each token fresh,
			// but not the session past its lifetime.
			prev := "t0"
			for i := 1; ; i++ {
				w.clock.Advance(10 * time.Minute)
				next := fmt.Sprintf("t%d", i)
				tok, err := w.s.RotateRefreshToken(w.ctx, prev, next, ttl)
				if elapsed := time.Duration(i) * 10 * time.Minute; elapsed < records.SessionLifetime {
					if err != nil {
						t.Fatalf("rotate after %v: %v", elapsed, err)
					}
					if end := first.ExpiresAt.Add(-ttl).Add(records.SessionLifetime); tok.ExpiresAt.After(end) {
						t.Fatalf("token expires %v, after the session's end %v", tok.ExpiresAt, end)
					}
					prev = next
					continue
				}
				if !errors.Is(err, records.ErrSessionOver) {
					t.Fatalf("rotate at the session's end: %v, want ErrSessionOver", err)
				}
				break
			}
			// Nor may a new token be added to the family.
			if _, err := w.s.StoreRefreshToken(w.ctx, user.UserID, first.Family, "late", ttl); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("store in an expired session: %v", err)
			}
		}},
		{"SameSuccessorWithinGrace", func(t *testing.T, w *world, user records.Actor) {
			// Two tabs present t1 at once; both ask for the successor t2.
			if _, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t1", ttl); err != nil {
				t.Fatal(err)
			}
			a, err := w.s.RotateRefreshToken(w.ctx, "t1", "t2", ttl)
			if err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(records.RotationGrace)
			b, err := w.s.RotateRefreshToken(w.ctx, "t1", "t2", ttl)
			if err != nil || b.ID != a.ID || b.Family != a.Family || !b.ExpiresAt.Equal(a.ExpiresAt) {
				t.Fatalf("second tab within the grace: %+v, %v; want %+v", b, err, a)
			}
			if _, err := w.s.RotateRefreshToken(w.ctx, "t2", "t3", ttl); err != nil {
				t.Fatalf("the successor after the second tab: %v", err)
			}
		}},
		{"OtherSuccessorWithinGraceIsReuse", func(t *testing.T, w *world, user records.Actor) {
			if _, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t1", ttl); err != nil {
				t.Fatal(err)
			}
			if _, err := w.s.RotateRefreshToken(w.ctx, "t1", "t2", ttl); err != nil {
				t.Fatal(err)
			}
			if _, err := w.s.RotateRefreshToken(w.ctx, "t1", "stolen", ttl); !errors.Is(err, records.ErrTokenReused) {
				t.Fatalf("another successor within the grace: %v, want ErrTokenReused", err)
			}
			if _, err := w.s.RotateRefreshToken(w.ctx, "t2", "t3", ttl); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("the family after reuse: %v", err)
			}
		}},
		{"SameSuccessorAfterGraceIsReuse", func(t *testing.T, w *world, user records.Actor) {
			if _, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t1", ttl); err != nil {
				t.Fatal(err)
			}
			if _, err := w.s.RotateRefreshToken(w.ctx, "t1", "t2", ttl); err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(records.RotationGrace + time.Millisecond)
			if _, err := w.s.RotateRefreshToken(w.ctx, "t1", "t2", ttl); !errors.Is(err, records.ErrTokenReused) {
				t.Fatalf("after the grace: %v, want ErrTokenReused", err)
			}
		}},
		{"SameSuccessorAfterSignOut", func(t *testing.T, w *world, user records.Actor) {
			if _, err := w.s.StoreRefreshToken(w.ctx, user.UserID, "", "t1", ttl); err != nil {
				t.Fatal(err)
			}
			if _, err := w.s.RotateRefreshToken(w.ctx, "t1", "t2", ttl); err != nil {
				t.Fatal(err)
			}
			if err := w.s.RevokeRefreshFamily(w.ctx, "t2"); err != nil {
				t.Fatal(err)
			}
			if _, err := w.s.RotateRefreshToken(w.ctx, "t1", "t2", ttl); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("a tab within the grace after sign-out: %v, want ENOTFOUND", err)
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
