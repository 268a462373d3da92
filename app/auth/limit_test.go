package auth

import (
	"context"
	"testing"
	"time"
)

// The delay after failures: none for the free ones, then doubling from the
// first delay up to the cap; a success forgets the key; a key with no failure
// for the forget time starts afresh; one key's failures never delay another.
func TestFailureDelays(t *testing.T) {
	d := newFailureDelays(3, time.Second, 30*time.Second)
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	want := []time.Duration{0, 0, 0, 1, 2, 4, 8, 16, 30, 30, 30}
	for i, w := range want {
		if got := d.wait("a", now); got != 0 {
			t.Fatalf("failure %d: still waiting %v after the last wait passed", i+1, got)
		}
		d.fail("a", now)
		if got := d.wait("a", now); got != w*time.Second {
			t.Fatalf("after failure %d: wait %v, want %v", i+1, got, w*time.Second)
		}
		if got := d.wait("b", now); got != 0 {
			t.Fatalf("another key waits %v", got)
		}
		now = now.Add(w * time.Second)
	}
	// Halfway through a wait, the rest remains.
	d.fail("a", now)
	if got := d.wait("a", now.Add(10*time.Second)); got != 20*time.Second {
		t.Errorf("10 s into a 30 s wait: %v left", got)
	}
	d.succeed("a")
	if got := d.wait("a", now); got != 0 {
		t.Errorf("after a success: wait %v", got)
	}
	for range 5 {
		d.fail("c", now)
	}
	later := now.Add(d.forget + time.Second)
	if got := d.wait("c", later); got != 0 {
		t.Errorf("after the forget time: wait %v", got)
	}
	d.fail("c", later)
	if got := d.wait("c", later); got != 0 {
		t.Errorf("the first failure after the forget time is free again, but waits %v", got)
	}
}

// No more than the gate's size run at once, and a caller that gets no slot
// in time is refused rather than queued for ever.
func TestHashGateBounds(t *testing.T) {
	g := newHashGate(2)
	release := make(chan struct{})
	started := make(chan struct{}, 2)
	for range 2 {
		go func() { _ = g.do(t.Context(), func() { started <- struct{}{}; <-release }) }()
	}
	<-started
	<-started
	short, stop := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer stop()
	if err := g.do(short, func() { t.Error("a third hash ran while two held the slots") }); err == nil {
		t.Fatal("no slot, yet no refusal")
	}
	close(release)
	if err := g.do(t.Context(), func() {}); err != nil {
		t.Fatalf("after the slots were freed: %v", err)
	}
	if p := g.peak.Load(); p != 2 {
		t.Errorf("peak %d, want 2", p)
	}
}

// attempt counts before the outcome is known; forgive gives an attempt back
// that was not a wrong guess, so right passwords never add up to a wait.
func TestFailureDelaysAttemptAndForgive(t *testing.T) {
	d := newFailureDelays(2, time.Second, 30*time.Second)
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 10 { // ten right passwords in a row
		if w := d.attempt("x", now); w != 0 {
			t.Fatalf("right password %d waits %v", i+1, w)
		}
		d.forgive("x")
	}
	// Three started at once, none finished: the third sets the wait, the fourth waits.
	for i := range 3 {
		if w := d.attempt("x", now); w != 0 {
			t.Fatalf("attempt %d waits %v", i+1, w)
		}
	}
	if w := d.attempt("x", now); w != time.Second {
		t.Fatalf("fourth parallel attempt: wait %v, want 1s", w)
	}
	// One of the three was no wrong guess: back within the free failures.
	d.forgive("x")
	if w := d.wait("x", now); w != 0 {
		t.Errorf("after forgiving: wait %v", w)
	}
}
