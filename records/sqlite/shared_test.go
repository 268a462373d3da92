package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

var testRule = records.ThrottleRule{Free: 3, First: time.Second, Max: 30 * time.Second, Forget: 15 * time.Minute}

// The delay after failures, counted in the database: none for the free ones,
// then doubling from the first delay up to the cap; halfway through a wait
// the rest remains; a reset forgets the key; a key with no failure for the
// forget time starts afresh (and its row is cleaned up); one key's failures
// never delay another.
func TestThrottleDelays(t *testing.T) {
	ctx := context.Background()
	e := mustOpen(t)
	s := e.store
	a := records.ThrottleKey{Key: "a", Rule: testRule}
	b := records.ThrottleKey{Key: "b", Rule: testRule}
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	// Each attempt is a failure; after it, the next attempt waits this long.
	for i, want := range []time.Duration{0, 0, 0, 1, 2, 4, 8, 16, 30, 30, 30} {
		if w, err := s.ThrottleAttempt(ctx, now, a); err != nil || w != 0 {
			t.Fatalf("failure %d: wait %v, %v; the last wait had passed", i+1, w, err)
		}
		if want > 0 {
			if w, _ := s.ThrottleAttempt(ctx, now, a); w != want*time.Second {
				t.Fatalf("after failure %d: wait %v, want %v", i+1, w, want*time.Second)
			}
		}
		if w, _ := s.ThrottleAttempt(ctx, now, b); w != 0 {
			t.Fatalf("another key waits %v", w)
		}
		if err := s.ThrottleForgive(ctx, b); err != nil {
			t.Fatal(err)
		}
		now = now.Add(want * time.Second)
	}
	if _, err := s.ThrottleAttempt(ctx, now, a); err != nil {
		t.Fatal(err)
	}
	if w, _ := s.ThrottleAttempt(ctx, now.Add(10*time.Second), a); w != 20*time.Second {
		t.Errorf("10 s into a 30 s wait: %v left", w)
	}
	if err := s.ThrottleReset(ctx, a); err != nil {
		t.Fatal(err)
	}
	if w, _ := s.ThrottleAttempt(ctx, now, a); w != 0 {
		t.Errorf("after a reset: wait %v", w)
	}

	c := records.ThrottleKey{Key: "c", Rule: testRule}
	for range 5 {
		if _, err := s.ThrottleAttempt(ctx, now, c); err != nil {
			t.Fatal(err)
		}
	}
	later := now.Add(testRule.Forget + time.Second)
	if w, _ := s.ThrottleAttempt(ctx, later, c); w != 0 {
		t.Errorf("after the forget time: wait %v", w)
	}
	if w, _ := s.ThrottleAttempt(ctx, later, c); w != 0 {
		t.Errorf("the second failure after the forget time is free again, but waits %v", w)
	}
	// Every key but c was last touched before the forget time: cleaned up.
	if n := countRows(t, rawDB(t, e.dbPath()), "throttle"); n != 1 {
		t.Errorf("%d throttle rows kept, want only c's", n)
	}
	if _, err := s.ThrottleAttempt(ctx, now, records.ThrottleKey{Rule: testRule}); records.ErrorCode(err) != records.EINVALID {
		t.Errorf("an empty key: %v, want EINVALID", err)
	}
}

// An attempt counts before its outcome is known and forgive gives it back, so
// right passwords never add up to a wait and parallel guesses cannot slip
// through. With two keys, a wait on the second gives the first its attempt
// back, as the attempt never happened.
func TestThrottleAttemptAndForgive(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t).store
	rule := records.ThrottleRule{Free: 2, First: time.Second, Max: 30 * time.Second, Forget: 15 * time.Minute}
	x := records.ThrottleKey{Key: "x", Rule: rule}
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 10 { // ten right passwords in a row
		if w, err := s.ThrottleAttempt(ctx, now, x); err != nil || w != 0 {
			t.Fatalf("right password %d: wait %v, %v", i+1, w, err)
		}
		if err := s.ThrottleForgive(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 { // three started at once, none finished
		if w, _ := s.ThrottleAttempt(ctx, now, x); w != 0 {
			t.Fatalf("attempt %d waits %v", i+1, w)
		}
	}
	if w, _ := s.ThrottleAttempt(ctx, now, x); w != time.Second {
		t.Fatalf("fourth parallel attempt: wait %v, want 1s", w)
	}
	if err := s.ThrottleForgive(ctx, x); err != nil { // one of the three was no wrong guess
		t.Fatal(err)
	}
	if w, _ := s.ThrottleAttempt(ctx, now, x); w != 0 {
		t.Fatalf("after forgiving: wait %v", w)
	}

	// Two keys: the address is free, the pair waits. The address's count
	// must not grow from attempts refused on the pair.
	addr := records.ThrottleKey{Key: "addr", Rule: records.ThrottleRule{Free: 1, First: time.Second, Max: 30 * time.Second, Forget: time.Hour}}
	if w, _ := s.ThrottleAttempt(ctx, now, addr, x); w != time.Second {
		t.Fatalf("pair waits: got %v, want 1s", w)
	}
	for range 5 {
		_, _ = s.ThrottleAttempt(ctx, now, addr, x)
	}
	if w, _ := s.ThrottleAttempt(ctx, now, addr); w != 0 {
		t.Errorf("refused attempts on the pair made the address wait %v", w)
	}
}

// A turn has one holder at a time: a second holder is refused while it runs,
// takes it once it has ended or been given up, and the first holder then
// cannot end it any more. The holder may take its own turn again.
func TestTurns(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t).store
	now := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC)
	steps := []struct {
		name   string
		do     func() error
		wantOK bool
		code   string
	}{
		{"a takes the free turn", func() error { return s.TakeTurn(ctx, "retention", "a", now, now.Add(time.Hour)) }, true, ""},
		{"b is refused while a holds it", func() error { return s.TakeTurn(ctx, "retention", "b", now.Add(time.Minute), now.Add(2*time.Hour)) }, false, records.ECONFLICT},
		{"a takes it again, longer", func() error { return s.TakeTurn(ctx, "retention", "a", now, now.Add(2*time.Hour)) }, true, ""},
		{"b is still refused after a's first end", func() error {
			return s.TakeTurn(ctx, "retention", "b", now.Add(90*time.Minute), now.Add(3*time.Hour))
		}, false, records.ECONFLICT},
		{"another name is free", func() error { return s.TakeTurn(ctx, "other", "b", now, now.Add(time.Hour)) }, true, ""},
		{"b cannot end a's turn", func() error { return s.EndTurn(ctx, "retention", "b", now) }, false, records.ECONFLICT},
		{"a gives it up", func() error { return s.EndTurn(ctx, "retention", "a", now.Add(time.Minute)) }, true, ""},
		{"b takes it", func() error { return s.TakeTurn(ctx, "retention", "b", now.Add(time.Minute), now.Add(time.Hour)) }, true, ""},
		{"a cannot end b's turn", func() error { return s.EndTurn(ctx, "retention", "a", now) }, false, records.ECONFLICT},
		{"a is refused", func() error { return s.TakeTurn(ctx, "retention", "a", now.Add(30*time.Minute), now.Add(2*time.Hour)) }, false, records.ECONFLICT},
		{"after b's turn ran out, a takes it", func() error {
			return s.TakeTurn(ctx, "retention", "a", now.Add(time.Hour), now.Add(2*time.Hour))
		}, true, ""},
		{"an empty holder", func() error { return s.TakeTurn(ctx, "retention", "", now, now.Add(time.Hour)) }, false, records.EINVALID},
		{"an end before the start", func() error { return s.TakeTurn(ctx, "x", "a", now, now) }, false, records.EINVALID},
	}
	if _, err := s.Turn(ctx, "retention"); records.ErrorCode(err) != records.ENOTFOUND {
		t.Fatalf("a turn never taken: %v, want ENOTFOUND", err)
	}
	for _, st := range steps {
		err := st.do()
		if st.wantOK && err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !st.wantOK && records.ErrorCode(err) != st.code {
			t.Fatalf("%s: %v, want %s", st.name, err, st.code)
		}
	}
	// The last step: a took it at now+1h until now+2h.
	turn, err := s.Turn(ctx, "retention")
	if err != nil || turn.Holder != "a" || !turn.TakenAt.Equal(now.Add(time.Hour)) || !turn.Until.Equal(now.Add(2*time.Hour)) {
		t.Fatalf("the turn as last taken: %+v, %v", turn, err)
	}
}

// A TOTP step is used once per account: the same or an earlier step is
// refused (a replay), a later one accepted; accounts do not share steps; an
// unknown account uses nothing.
func TestUseTOTPStep(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t).store
	sam := mustCreateUser(t, s, "sam", records.RoleProfessional, "")
	lena := mustCreateUser(t, s, "lena", records.RoleProfessional, "")
	for _, tc := range []struct {
		name string
		user string
		step int64
		want bool
	}{
		{"first code", sam.UserID, 1000, true},
		{"the same code again", sam.UserID, 1000, false},
		{"the step before", sam.UserID, 999, false},
		{"another account, same step", lena.UserID, 1000, true},
		{"the next step", sam.UserID, 1001, true},
		{"no such account", "nobody", 5000, false},
	} {
		got, err := s.UseTOTPStep(ctx, tc.user, tc.step)
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}
