package main

// bench-seed is a hidden command (not in the usage text) that fills a fresh data
// dir with load-test data for bench/load:
//
//	nabij bench-seed --data DIR [--clients 1000] [--notes 50] [--pros 20] [--client-accounts 100]
//
// It makes --pros professionals (pro01…), spreads the clients over their
// caseloads (client i is on the caseload of professional i mod pros), gives each
// client one trajectory, five blended contacts and --notes notes (mostly shared,
// some restricted and personal, about 500 characters each), and client accounts
// (client0001…) for the first --client-accounts clients. Every account has the
// same random password. It writes DIR/bench-manifest.json (mode 0600) with the
// password, the usernames and the client, trajectory and contact ids, which the
// load generator reads.
//
// It goes through the ordinary records.Store methods, so every write has its
// access record; the writes run from many goroutines at once so that the group
// committer batches them into few transactions.

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/app/demo"
	"github.com/nabij/nabij/bench/corpus"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// BenchManifest is what bench-seed writes and bench/load reads.
type BenchManifest struct {
	Password       string               `json:"password"`
	Notes          int                  `json:"notes_per_client"`
	Professionals  []BenchProfessional  `json:"professionals"`
	ClientAccounts []BenchClientAccount `json:"client_accounts"`
}

// BenchProfessional is one professional and their caseload.
type BenchProfessional struct {
	Username string        `json:"username"`
	Clients  []BenchClient `json:"clients"`
}

// BenchClient is one seeded client.
type BenchClient struct {
	ID           string   `json:"id"`
	TrajectoryID string   `json:"trajectory_id"`
	ContactIDs   []string `json:"contact_ids"`
}

// BenchClientAccount is a client's own account.
type BenchClientAccount struct {
	Username string `json:"username"`
	ClientID string `json:"client_id"`
}

func cmdBenchSeed(args []string) error {
	var cfg app.Config
	fs := serverFlags("bench-seed", &cfg)
	nClients := fs.Int("clients", 1000, "clients to create")
	nNotes := fs.Int("notes", 50, "notes per client")
	nPros := fs.Int("pros", 20, "professionals (the clients are spread over their caseloads)")
	nAccounts := fs.Int("client-accounts", 100, "client accounts, for the first clients")
	workers := fs.Int("workers", 256, "concurrent writers (group commit batches them)")
	if err := parse(fs, args, &cfg); err != nil {
		return err
	}
	if cfg.DataDir == "" {
		return exitError{2, "bench-seed needs --data DIR"}
	}
	if *nClients < 1 || *nPros < 1 || *nNotes < 0 || *nAccounts < 0 || *nAccounts > *nClients || *workers < 1 {
		return exitError{2, "bench-seed: --clients and --pros at least 1, --client-accounts at most --clients"}
	}
	if _, err := os.Stat(sqlite.DBPath(cfg.DataDir)); err == nil {
		return exitError{2, cfg.DataDir + " holds a database already; bench-seed fills a fresh data dir"}
	}
	st, _, err := sqlite.OpenDir(cfg.DataDir, cfg.DirOptions())
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	start := time.Now()

	password := demo.DemoPassword("")
	hash, err := crypto.HashPassword(password)
	if err != nil {
		return err
	}
	m := BenchManifest{Password: password, Notes: *nNotes}
	pros := make([]records.Actor, *nPros)
	for i := range pros {
		name := fmt.Sprintf("pro%02d", i+1)
		u, err := st.CreateUser(ctx, records.System(), records.NewUser{Username: name, Role: records.RoleProfessional,
			DisplayName: "Professional " + name, PasswordHash: hash})
		if err != nil {
			return err
		}
		pros[i] = records.Actor{UserID: u.ID, Role: records.RoleProfessional, Remote: "bench-seed"}
		m.Professionals = append(m.Professionals, BenchProfessional{Username: name})
	}

	clients := make([]BenchClient, *nClients)
	var writes atomic.Int64
	var firstErr error
	var errOnce sync.Once
	work := make(chan int)
	var wg sync.WaitGroup
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				c, n, err := seedBenchClient(ctx, st, pros[i%len(pros)], i, *nNotes)
				writes.Add(int64(n))
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					continue
				}
				clients[i] = c
			}
		}()
	}
	for i := range *nClients {
		work <- i
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	for i, c := range clients {
		p := &m.Professionals[i%len(pros)]
		p.Clients = append(p.Clients, c)
	}
	for i := range *nAccounts {
		name := fmt.Sprintf("client%04d", i+1)
		if _, err := st.CreateUser(ctx, records.System(), records.NewUser{Username: name, Role: records.RoleClient,
			PasswordHash: hash, ClientID: clients[i].ID}); err != nil {
			return err
		}
		m.ClientAccounts = append(m.ClientAccounts, BenchClientAccount{Username: name, ClientID: clients[i].ID})
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(cfg.DataDir, "bench-manifest.json"), b, 0o600); err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Printf("seeded %d clients × %d notes over %d professionals, %d client accounts: %d writes in %s (%.0f writes/s)\n",
		*nClients, *nNotes, *nPros, *nAccounts, writes.Load(), d.Round(time.Millisecond), float64(writes.Load())/d.Seconds())
	return nil
}

var benchChannels = []records.Channel{"office", "home_visit", "phone", "video", "chat"}

// seedBenchClient creates one client with a trajectory, five contacts and n
// notes; it returns how many writes it made.
func seedBenchClient(ctx context.Context, st records.Store, pro records.Actor, i, n int) (BenchClient, int, error) {
	var out BenchClient
	writes := 0
	rng := rand.New(rand.NewPCG(uint64(i), 42))
	c, err := st.CreateClient(ctx, pro, records.NewClient{Name: fmt.Sprintf("Bench Client %04d", i+1),
		BirthDate: fmt.Sprintf("%d-%02d-%02d", 1950+rng.IntN(55), 1+rng.IntN(12), 1+rng.IntN(28)),
		Contact:   fmt.Sprintf("+32 470 %02d %02d %02d", rng.IntN(100), rng.IntN(100), rng.IntN(100))})
	if err != nil {
		return out, writes, err
	}
	writes++
	out.ID = c.ID
	opened := time.Now().Add(-90 * 24 * time.Hour)
	t, err := st.CreateTrajectory(ctx, pro, c.ID, records.NewTrajectory{Goal: "Find stable housing and sort out debts", OpenedAt: &opened})
	if err != nil {
		return out, writes, err
	}
	writes++
	out.TrajectoryID = t.ID
	prev := ""
	for k, ch := range benchChannels {
		k, err := st.CreateContact(ctx, pro, c.ID, records.NewContact{TrajectoryID: t.ID, Channel: ch,
			Synchronous: ch != "chat", OccurredAt: opened.Add(time.Duration(k+1) * 7 * 24 * time.Hour),
			DurationMinutes: 15 + 15*k, FollowUpOf: prev})
		if err != nil {
			return out, writes, err
		}
		writes++
		prev = k.ID
		out.ContactIDs = append(out.ContactIDs, k.ID)
	}
	for j := range n {
		in := records.NewNote{Body: corpus.NoteBody(rng), Visibility: records.VisibilityShared}
		switch {
		case j%10 == 3:
			in.Visibility, in.RestrictedReason = records.VisibilityRestricted, "third-party information"
		case j%10 == 7:
			in.Visibility = records.VisibilityPersonal
		}
		if j%5 == 0 {
			in.ContactID = out.ContactIDs[(j/5)%len(out.ContactIDs)]
		} else {
			in.TrajectoryID = t.ID
		}
		if _, err := st.CreateNote(ctx, pro, c.ID, in); err != nil {
			return out, writes, err
		}
		writes++
	}
	return out, writes, nil
}
