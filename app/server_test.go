package app_test

import (
	"net"
	"testing"
	"time"

	"github.com/nabij/nabij/app"
)

// Shutdown may come before Serve has taken the listener (a test that fails or
// skips at once, a signal at start-up): Serve must still return.
func TestShutdownBeforeServe(t *testing.T) {
	for _, tc := range []struct {
		name  string
		first string // which runs first: "serve" (in a goroutine, no wait) or "shutdown"
	}{{"ServeRacingShutdown", "serve"}, {"ShutdownThenServe", "shutdown"}} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := app.New(app.Config{DataDir: t.TempDir(), Logf: t.Logf})
			if err != nil {
				t.Fatal(err)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			if tc.first == "serve" {
				go func() { done <- srv.Serve(ln) }()
				if err := srv.Shutdown(time.Second); err != nil {
					t.Fatal(err)
				}
			} else {
				if err := srv.Shutdown(time.Second); err != nil {
					t.Fatal(err)
				}
				go func() { done <- srv.Serve(ln) }()
			}
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Serve did not return after Shutdown")
			}
		})
	}
}
