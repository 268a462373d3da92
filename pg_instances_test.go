package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nabij/nabij/records/sqlite"
	"github.com/nabij/nabij/records/sqlite/storetest"
)

// TestPostgresTwoInstancesKill: two `nabij serve --db` processes on one PostgreSQL
// database with the same keys, each on its own loopback port, take note
// writes and file reads at once; one is killed with SIGKILL mid-load and
// the other keeps answering. Afterwards every note either acknowledged with
// 201 is in the database and verify-log finds one intact chain. The demo
// reaches PostgreSQL through migrate-store's move.
func TestPostgresTwoInstancesKill(t *testing.T) {
	if storetest.Postgres() == "" {
		t.Skip("needs a PostgreSQL server: set NABIJ_TEST_POSTGRES (./scripts/test starts one)")
	}
	bin := filepath.Join(t.TempDir(), "nabij")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := seededDir(t)
	dsn := pgURL(t, storetest.Database(t, dir))
	if out, err := exec.Command(bin, "migrate-store", "--from", dir, "--to", dsn).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "access log on arrival: intact") || !strings.Contains(string(out), "note_versions") {
		t.Fatalf("migrate-store the demo into PostgreSQL: %v\n%s", err, out)
	}
	db, err := sqlite.OpenPostgresDB(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var clientID, trajectoryID string
	if err := db.QueryRow(`SELECT c.client_id, tr.id FROM caseload c JOIN users u ON u.id = c.user_id
		JOIN trajectories tr ON tr.client_id = c.client_id
		WHERE u.username = 'sam' AND c.to_at IS NULL AND tr.closed_at IS NULL ORDER BY tr.id LIMIT 1`).Scan(&clientID, &trajectoryID); err != nil {
		t.Fatalf("a client of sam's with an open trajectory: %v", err)
	}

	a, b := startPG(t, bin, dir, dsn), startPG(t, bin, dir, dsn)
	ta, tb := a.signIn(t), b.signIn(t)

	var (
		mu                 sync.Mutex
		acked              []string
		killed             atomic.Bool
		afterKill, bFailed atomic.Int64
	)
	note := func(s *pgServer, token string, i int) (int, error) {
		body, _ := json.Marshal(map[string]string{"trajectory_id": trajectoryID,
			"body": fmt.Sprintf("Gesprek %d via %s", i, s.addr), "visibility": "shared"})
		code, resp, err := s.do("POST", "/api/v1/clients/"+clientID+"/notes", token, body)
		if code == http.StatusCreated {
			var n struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(resp, &n) != nil || n.ID == "" {
				return code, fmt.Errorf("201 without an id: %s", resp)
			}
			mu.Lock()
			acked = append(acked, n.ID)
			mu.Unlock()
		}
		return code, err
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, inst := range []struct {
		s     *pgServer
		token string
	}{{a, ta}, {b, tb}} {
		for w := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					code, err := note(inst.s, inst.token, w*100000+i)
					want := http.StatusCreated
					if err == nil && code == want {
						code, _, err = inst.s.do("GET", "/api/v1/clients/"+clientID+"/file", inst.token, nil)
						want = http.StatusOK
					}
					if inst.s == a {
						if err != nil && killed.Load() {
							return // the killed instance: its requests fail, as they should
						}
						if err != nil || code != want {
							t.Errorf("instance A before the kill: %d %v", code, err)
							return
						}
						continue
					}
					if err != nil || code != want {
						bFailed.Add(1)
						t.Errorf("instance B: %d, want %d (%v)", code, want, err)
						return
					}
					if killed.Load() {
						afterKill.Add(1)
					}
				}
			}()
		}
	}
	time.Sleep(2 * time.Second)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed.Store(true)
	_ = a.cmd.Wait()
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()
	if afterKill.Load() == 0 {
		t.Errorf("instance B answered nothing after A was killed")
	}
	if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = b.cmd.Wait()

	present := map[string]bool{}
	rows, err := db.Query(`SELECT id FROM notes`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		present[id] = true
	}
	rows.Close()
	missing := 0
	for _, id := range acked {
		if !present[id] {
			missing++
		}
	}
	t.Logf("%d notes acknowledged through both instances, %d requests answered by B after the kill, %d missing", len(acked), afterKill.Load(), missing)
	if len(acked) == 0 || missing > 0 {
		t.Errorf("%d of %d acknowledged notes missing", missing, len(acked))
	}
	out, err := exec.Command(bin, "verify-log", "--db", dsn, "--data", dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "access log intact") {
		t.Errorf("verify-log after the kill: %v\n%s", err, out)
	}
	var records, maxSeq int64
	if err := db.QueryRow(`SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM access_log`).Scan(&records, &maxSeq); err != nil || records != maxSeq {
		t.Errorf("access log: %d records, highest seq %d (%v): not one chain from 1", records, maxSeq, err)
	}
}

// pgURL is dsn as a postgres:// URL, which --db takes.
func pgURL(t *testing.T, dsn string) string {
	t.Helper()
	if sqlite.IsPostgresDSN(dsn) {
		return dsn
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"sslmode": {"disable"}, "host": {cfg.Host}, "port": {strconv.Itoa(int(cfg.Port))}}
	u := url.URL{Scheme: "postgres", User: url.User(cfg.User), Path: "/" + cfg.Database, RawQuery: q.Encode()}
	if cfg.Password != "" {
		u.User = url.UserPassword(cfg.User, cfg.Password)
	}
	return u.String()
}

type pgServer struct {
	cmd  *exec.Cmd
	addr string
	log  *bytes.Buffer
	hc   *http.Client
}

// startPG starts `nabij serve --db dsn --data dir` on a free loopback port
// and waits until it is ready.
func startPG(t *testing.T, bin, dir, dsn string) *pgServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &pgServer{addr: ln.Addr().String(), log: &bytes.Buffer{},
		hc: &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}}
	ln.Close()
	s.cmd = exec.Command(bin, "serve", "--addr", s.addr, "--db", dsn, "--data", dir)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	s.cmd.Env = append(os.Environ(), "NABIJ_DB=")
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			_ = s.cmd.Wait()
		}
		if t.Failed() {
			t.Logf("server %s:\n%s", s.addr, s.log.String())
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get("http://" + s.addr + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server on %s not ready after 30 s:\n%s", s.addr, s.log.String())
		}
	}
}

// signIn signs sam in through this instance and returns the access token.
func (s *pgServer) signIn(t *testing.T) string {
	t.Helper()
	code, b, err := s.do("POST", "/api/v1/auth/login", "", []byte(`{"username":"sam","password":"a demo password for tests"}`))
	if err != nil || code != http.StatusOK {
		t.Fatalf("sign in through %s: %d %v %s", s.addr, code, err, b)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(b, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("sign in through %s: %s", s.addr, b)
	}
	return tok.AccessToken
}

func (s *pgServer) do(method, path, token string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, "http://"+s.addr+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := s.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}
