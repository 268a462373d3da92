package auth

import (
	"context"
	"testing"
	"time"
)

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
