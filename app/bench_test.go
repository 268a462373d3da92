package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// BenchmarkFileReadHTTP reads a client file of 50 notes (about 500 characters
// each) through the whole stack: a real server on loopback, bearer-token check,
// authorization, the audited read (access record committed before the answer),
// decryption and JSON. 64 requests are in flight at once, as in bench/load.
func BenchmarkFileReadHTTP(b *testing.B) {
	s, base, token, clientID := benchServer(b, 50)
	defer s.Shutdown(5 * time.Second)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128, DisableCompression: true}}
	url := base + "/api/v1/clients/" + clientID + "/file"
	get := func() error {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		n, err := io.Copy(io.Discard, resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != 200 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		b.SetBytes(n)
		return nil
	}
	if err := get(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetParallelism(32) // × GOMAXPROCS (2 on the bench machine) = 64 in flight
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := get(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// benchServer starts a server on loopback with one professional and one client
// on their caseload, holding n notes. It returns the base URL, an access token of
// the professional and the client's id.
func benchServer(b *testing.B, n int) (*Server, string, string, string) {
	b.Helper()
	s, err := New(Config{DataDir: b.TempDir(), Logf: func(string, ...any) {}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	u, err := s.Store.CreateUser(ctx, records.System(), records.NewUser{Username: "benchpro", Role: records.RoleProfessional,
		DisplayName: "Bench Pro", PasswordHash: "$argon2id$not-used"})
	if err != nil {
		b.Fatal(err)
	}
	pro := records.Actor{UserID: u.ID, Role: records.RoleProfessional, Remote: "bench"}
	c, err := s.Store.CreateClient(ctx, pro, records.NewClient{Name: "Bench Client", BirthDate: "1990-04-30", Contact: "+32 470 12 34 56"})
	if err != nil {
		b.Fatal(err)
	}
	t, err := s.Store.CreateTrajectory(ctx, pro, c.ID, records.NewTrajectory{Goal: "Find stable housing"})
	if err != nil {
		b.Fatal(err)
	}
	sentence := "Home visit with the client; we talked about the rent arrears and the payment plan. "
	for i := range n {
		body := strings.Repeat(sentence, 4+i%4) // 340 to 600 characters
		if _, err := s.Store.CreateNote(ctx, pro, c.ID, records.NewNote{TrajectoryID: t.ID, Body: body,
			Visibility: records.VisibilityShared}); err != nil {
			b.Fatal(err)
		}
	}
	sess, err := s.Store.StoreRefreshToken(ctx, u.ID, "", "bench-refresh", time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := s.auth.IssueAccess(u, false, sess.Family)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = s.Serve(ln) }()
	return s, "http://" + ln.Addr().String(), token, c.ID
}
