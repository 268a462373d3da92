// Command load is nabij's loopback load test. It builds the nabij binary, seeds a
// fresh data dir (nabij bench-seed), starts a real `nabij serve` on loopback and
// runs three mixes at a fixed concurrency (a closed loop: each worker sends its
// next request when the previous one is answered):
//
//	read    professionals read client files        GET  /api/v1/clients/{id}/file
//	client  clients read their own file and log    GET  /api/v1/me/file, /api/v1/me/access-log
//	write   professionals write notes               POST /api/v1/clients/{id}/notes
//
// For each it prints throughput, p50/p95/p99/max latency, the error count and the
// server's peak RSS (VmHWM of the server process). After the write mix it stops
// the server and checks that every acknowledged note (201) is in the database,
// and runs `nabij verify-log` on the data dir. With -peer-pocketbase PATH the
// read and write mixes then run against that PocketBase binary too (peer.go).
//
//	go run ./bench/load -duration 20s
//
// See bench/README.md.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/nabij/nabij/bench/corpus"
	"github.com/nabij/nabij/records/sqlite"
)

type manifest struct {
	Password      string `json:"password"`
	Notes         int    `json:"notes_per_client"`
	Professionals []struct {
		Username string `json:"username"`
		Clients  []struct {
			ID           string   `json:"id"`
			TrajectoryID string   `json:"trajectory_id"`
			ContactIDs   []string `json:"contact_ids"`
		} `json:"clients"`
	} `json:"professionals"`
	ClientAccounts []struct {
		Username string `json:"username"`
		ClientID string `json:"client_id"`
	} `json:"client_accounts"`
}

var (
	duration       = flag.Duration("duration", 20*time.Second, "how long each mix runs")
	warmup         = flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before each mix")
	concurrency    = flag.Int("c", 64, "concurrent requests (workers)")
	nClients       = flag.Int("clients", 1000, "clients to seed")
	nNotes         = flag.Int("notes", 50, "notes per client")
	nPros          = flag.Int("pros", 20, "professionals")
	nAccounts      = flag.Int("client-accounts", 100, "client accounts")
	mixes          = flag.String("mix", "read,client,write", "mixes to run, in this order")
	keep           = flag.Bool("keep", false, "keep the temp dir (binary, data, server log)")
	bin            = flag.String("bin", "", "use this nabij binary instead of building one")
	serverEnv      = flag.String("server-env", "", "extra environment for the server, comma-separated K=V (e.g. GOGC=50)")
	db             = flag.String("db", "", "a fresh, empty PostgreSQL database (postgres://…) for seed and serve instead of SQLite; the keys stay in the temp dir")
	instances      = flag.Int("instances", 1, "nabij serve processes on the one database (more than 1 needs -db); workers spread over them")
	crash          = flag.Bool("crash", false, "end the write mix with SIGKILL while requests are in flight, then check every acknowledged note")
	peerPocketBase = flag.String("peer-pocketbase", "", "after nabij's mixes, run the read and write mixes against this PocketBase binary on the same data shape (see peer.go)")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type server struct {
	cmd     *exec.Cmd
	base    string
	dataDir string
	exited  chan error
	maxRSS  int64 // the highest VmHWM seen before a reset
}

func run() error {
	tmp, err := os.MkdirTemp("", "nabij-load-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Println("temp dir:", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	nabij := *bin
	if nabij == "" {
		nabij = filepath.Join(tmp, "nabij")
		t := time.Now()
		out, err := exec.Command("go", "build", "-o", nabij, "github.com/nabij/nabij").CombinedOutput()
		if err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
		fmt.Printf("built nabij in %s\n", time.Since(t).Round(time.Millisecond))
	}
	dataDir := filepath.Join(tmp, "data")
	t := time.Now()
	if *instances < 1 || (*instances > 1 && *db == "") {
		return errors.New("-instances: 1, or more with -db (several instances share only a PostgreSQL database)")
	}
	out, err := exec.Command(nabij, append([]string{"bench-seed", "--data", dataDir, "--clients", strconv.Itoa(*nClients),
		"--notes", strconv.Itoa(*nNotes), "--pros", strconv.Itoa(*nPros), "--client-accounts", strconv.Itoa(*nAccounts)}, dbArgs()...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("bench-seed: %v\n%s", err, out)
	}
	fmt.Printf("%s(seed took %s)\n", out, time.Since(t).Round(time.Millisecond))
	var m manifest
	b, err := os.ReadFile(filepath.Join(dataDir, "bench-manifest.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}

	var srvs servers
	for i := range *instances {
		s, err := startServer(nabij, dataDir, filepath.Join(tmp, fmt.Sprintf("server%d.log", i)))
		if err != nil {
			return err
		}
		defer s.kill()
		srvs = append(srvs, s)
		fmt.Printf("server pid %d on %s; machine: %d CPUs, %s\n", s.cmd.Process.Pid, s.base, runtime.NumCPU(), runtime.Version())
	}
	srv := srvs[0]

	hc := newHTTPClient(*concurrency, nil)
	t = time.Now()
	pros, clients, err := signIn(srv.base, &m)
	if err != nil {
		return err
	}
	fmt.Printf("signed in %d professionals and %d clients in %s\n\n", len(pros), len(clients), time.Since(t).Round(time.Millisecond))

	var results []result
	var acked []string
	ranWrite := false
	for _, mix := range strings.Split(*mixes, ",") {
		var r result
		switch strings.TrimSpace(mix) {
		case "read":
			r = runMix("read", hc, srvs, func(rng *rand.Rand) request {
				p := pros[rng.IntN(len(pros))]
				c := p.clients[rng.IntN(len(p.clients))]
				return request{method: "GET", path: "/api/v1/clients/" + c.ID + "/file", sess: p.sess, want: 200}
			}, nil)
		case "client":
			r = runMix("client", hc, srvs, func(rng *rand.Rand) request {
				c := clients[rng.IntN(len(clients))]
				if rng.IntN(2) == 0 {
					return request{method: "GET", path: "/api/v1/me/file", sess: c, want: 200}
				}
				return request{method: "GET", path: "/api/v1/me/access-log", sess: c, want: 200}
			}, nil)
		case "write":
			ranWrite = true
			var mu sync.Mutex
			r = runMix("write", hc, srvs, func(rng *rand.Rand) request {
				p := pros[rng.IntN(len(pros))]
				c := p.clients[rng.IntN(len(p.clients))]
				body, _ := json.Marshal(map[string]string{"trajectory_id": c.TrajectoryID,
					"body": corpus.NoteBody(rng), "visibility": "shared"})
				return request{method: "POST", path: "/api/v1/clients/" + c.ID + "/notes", body: body, sess: p.sess, want: 201}
			}, func(resp []byte) {
				var n struct {
					ID string `json:"id"`
				}
				if json.Unmarshal(resp, &n) == nil && n.ID != "" {
					mu.Lock()
					acked = append(acked, n.ID)
					mu.Unlock()
				}
			})
		default:
			return fmt.Errorf("unknown mix %q (read, client, write)", mix)
		}
		results = append(results, r)
	}
	lifetimePeak := max(srv.maxRSS, srv.peakRSS())

	// Stop the servers (gracefully, or with SIGKILL under -crash) before checking.
	for _, srv := range srvs {
		if *crash {
			srv.kill()
		} else if err := srv.stop(); err != nil {
			fmt.Println("server stop:", err)
		}
	}

	fmt.Println()
	printTable(results)
	fmt.Printf("server peak RSS over the whole run (sign-ins included): %.1f MiB\n", float64(lifetimePeak)/(1<<20))
	printErrors(results)

	failed := false
	if ranWrite {
		missing, err := missingNotes(dataDir, acked)
		if err != nil {
			return err
		}
		if missing > 0 {
			failed = true
		}
		fmt.Printf("\nacknowledged notes: %d; present in the database after the server stopped: %d; missing: %d\n",
			len(acked), len(acked)-missing, missing)
	}
	t = time.Now()
	out, err = exec.Command(nabij, append([]string{"verify-log", "--data", dataDir}, dbArgs()...)...).CombinedOutput()
	fmt.Printf("verify-log (%s): %s", time.Since(t).Round(time.Millisecond), out)
	if err != nil {
		failed = true
	}
	if *peerPocketBase != "" {
		if err := runPocketBase(*peerPocketBase, tmp, results); err != nil {
			return fmt.Errorf("pocketbase: %w", err)
		}
	}
	if failed {
		return errors.New("checks failed")
	}
	return nil
}

func printTable(results []result) {
	fmt.Printf("%-8s %9s %9s %8s %8s %8s %8s %7s %10s %12s\n", "mix", "requests", "req/s", "p50", "p95", "p99", "max", "errors", "peak RSS", "server CPU/req")
	for _, r := range results {
		fmt.Printf("%-8s %9d %9.0f %8s %8s %8s %8s %7d %6.1f MiB %12s\n", r.name, r.n, r.rate(), ms(r.pct(50)), ms(r.pct(95)),
			ms(r.pct(99)), ms(r.pct(100)), r.errors, float64(r.peakRSS)/(1<<20), fmt.Sprintf("%.0fµs", float64(r.cpuPerRequest().Microseconds())))
	}
}

func printErrors(results []result) {
	for _, r := range results {
		for k, v := range r.errKinds {
			fmt.Printf("  %s errors: %d × %s\n", r.name, v, k)
		}
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// ---- server process ----

func startServer(nabij, dataDir, logPath string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(nabij, append([]string{"serve", "--addr", addr, "--data", dataDir}, dbArgs()...)...)
	cmd.Env = os.Environ()
	if *serverEnv != "" {
		cmd.Env = append(cmd.Env, strings.Split(*serverEnv, ",")...)
	}
	return launch(cmd, logf, "http://"+addr, "/readyz", dataDir)
}

// freeAddr is a loopback address with a port that was free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// launch starts cmd with its output in logf and waits until GET base+ready
// answers 200.
func launch(cmd *exec.Cmd, logf *os.File, base, ready, dataDir string) (*server, error) {
	logPath := logf.Name()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	s := &server{cmd: cmd, base: base, dataDir: dataDir, exited: make(chan error, 1)}
	go func() { s.exited <- cmd.Wait(); logf.Close() }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.base + ready)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		select {
		case err := <-s.exited:
			return nil, fmt.Errorf("server exited: %v (log: %s)", err, logPath)
		default:
		}
		if time.Now().After(deadline) {
			s.kill()
			return nil, errors.New("server not ready after 30s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// peakRSS is VmHWM of the server process, in bytes.
func (s *server) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			f := strings.Fields(v)
			n, _ := strconv.ParseInt(f[0], 10, 64)
			return n << 10
		}
	}
	return 0
}

// cpuTime is the server process's user+system CPU time so far.
func (s *server) cpuTime() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) start after ") ".
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ is 100 on Linux
}

// resetPeakRSS sets VmHWM back to the current RSS (Linux ≥ 4.0), so that each
// mix reports its own peak; the peak before the reset is kept in maxRSS.
// Reports whether it worked.
func (s *server) resetPeakRSS() bool {
	s.maxRSS = max(s.maxRSS, s.peakRSS())
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0) == nil
}

func (s *server) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-s.exited:
		s.exited <- err
		return err
	case <-time.After(30 * time.Second):
		s.kill()
		return errors.New("server did not stop within 30s; killed")
	}
}

func (s *server) kill() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Kill()
	}
}

// ---- HTTP ----

func newHTTPClient(conns int, local *net.TCPAddr) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: local}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2,
		DisableCompression: true, IdleConnTimeout: time.Minute,
	}}
}

// session is one signed-in account: its access token, refreshed when it expires.
type session struct {
	base    string
	mu      sync.Mutex
	access  string
	refresh string
	expires time.Time
}

func (s *session) token(hc *http.Client) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Until(s.expires) > 30*time.Second {
		return s.access, nil
	}
	body, _ := json.Marshal(map[string]string{"refresh_token": s.refresh})
	return s.access, s.tokens(hc, "/api/v1/auth/refresh", body)
}

// tokens posts to a sign-in or refresh route and keeps the answer. Holds s.mu or
// is called before s is shared.
func (s *session) tokens(hc *http.Client, path string, body []byte) error {
	resp, err := hc.Post(s.base+path, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: %d %s", path, resp.StatusCode, b)
	}
	var t struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int    `json:"expires_in"`
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	s.access, s.refresh = t.AccessToken, t.RefreshToken
	s.expires = time.Now().Add(time.Duration(t.ExpiresIn) * time.Second)
	return nil
}

type pro struct {
	sess    *session
	clients []struct {
		ID           string   `json:"id"`
		TrajectoryID string   `json:"trajectory_id"`
		ContactIDs   []string `json:"contact_ids"`
	}
}

// signIn signs every account in once, through POST /auth/login. The server
// allows 10 sign-ins a minute per address, so the sign-ins come from several
// loopback addresses (127.0.0.0/8 is all loopback on Linux), 8 per address.
func signIn(base string, m *manifest) ([]pro, []*session, error) {
	var names []string
	for _, p := range m.Professionals {
		names = append(names, p.Username)
	}
	for _, c := range m.ClientAccounts {
		names = append(names, c.Username)
	}
	sessions := make([]*session, len(names))
	for i, name := range names {
		local := &net.TCPAddr{IP: net.IPv4(127, 0, 1+byte(i/8/250), 2+byte(i/8%250))}
		hc := newHTTPClient(1, local)
		s := &session{base: base}
		body, _ := json.Marshal(map[string]string{"username": name, "password": m.Password})
		if err := s.tokens(hc, "/api/v1/auth/login", body); err != nil {
			return nil, nil, fmt.Errorf("sign in %s: %w", name, err)
		}
		hc.CloseIdleConnections()
		sessions[i] = s
	}
	pros := make([]pro, len(m.Professionals))
	for i, p := range m.Professionals {
		pros[i] = pro{sess: sessions[i], clients: p.Clients}
	}
	return pros, sessions[len(m.Professionals):], nil
}

// ---- mixes ----

type request struct {
	method, path string
	base         string // the instance to send it to; "" is the one signed in through
	body         []byte
	sess         *session
	want         int
}

type result struct {
	name      string
	n, errors int
	elapsed   time.Duration
	lat       []time.Duration
	peakRSS   int64
	serverCPU time.Duration // user+system CPU time of the server during the mix
	errKinds  map[string]int
}

// cpuPerRequest is the server's CPU time per request: unlike throughput, it
// hardly changes when other programs share the machine.
func (r result) cpuPerRequest() time.Duration {
	if r.n == 0 {
		return 0
	}
	return r.serverCPU / time.Duration(r.n)
}

func (r result) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

func (r result) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(float64(len(r.lat))*p/100+0.5) - 1
	return r.lat[max(0, min(i, len(r.lat)-1))]
}

// runMix runs gen's requests from *concurrency workers for the warm-up and then
// *duration, measuring only the latter. onOK sees the body of each expected answer.
func runMix(name string, hc *http.Client, srvs servers, gen func(*rand.Rand) request, onOK func([]byte)) result {
	var measuring, stop atomic.Bool
	type workerOut struct {
		lat      []time.Duration
		errors   int
		errKinds map[string]int
	}
	outs := make([]workerOut, *concurrency)
	var wg sync.WaitGroup
	for w := range *concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			o := &outs[w]
			o.errKinds = map[string]int{}
			buf := make([]byte, 0, 64<<10)
			for !stop.Load() {
				req := gen(rng)
				req.base = srvs[w%len(srvs)].base
				start := time.Now()
				body, status, err := do(hc, req, buf)
				d := time.Since(start)
				buf = body[:0]
				if !measuring.Load() || stop.Load() {
					if err == nil && status == req.want && onOK != nil {
						onOK(body) // acknowledged during warm-up: must be present too
					}
					continue
				}
				switch {
				case err != nil:
					o.errors++
					o.errKinds[errKind(err)]++
				case status != req.want:
					o.errors++
					o.errKinds["HTTP "+strconv.Itoa(status)]++
				default:
					if onOK != nil {
						onOK(body)
					}
				}
				o.lat = append(o.lat, d)
			}
		}()
	}
	time.Sleep(*warmup)
	srv := srvs[0]
	rssReset := srv.resetPeakRSS()
	cpu0 := srvs.cpuTime()
	measuring.Store(true)
	start := time.Now()
	time.Sleep(*duration)
	if *crash && name == "write" {
		for _, s := range srvs {
			s.kill() // in flight: their answers never come, so they were not acknowledged
		}
	}
	cpu := srvs.cpuTime() - cpu0
	stop.Store(true)
	elapsed := time.Since(start)
	wg.Wait()
	r := result{name: name, elapsed: elapsed, errKinds: map[string]int{}, serverCPU: cpu}
	if rssReset {
		r.peakRSS = srv.peakRSS()
	}
	for _, o := range outs {
		r.lat = append(r.lat, o.lat...)
		r.errors += o.errors
		for k, v := range o.errKinds {
			r.errKinds[k] += v
		}
	}
	slices.Sort(r.lat)
	r.n = len(r.lat)
	fmt.Printf("%-7s %d requests in %s: %.0f req/s, p50 %s, p99 %s, %d errors, server CPU %s/request\n", name, r.n,
		elapsed.Round(time.Millisecond), r.rate(), ms(r.pct(50)), ms(r.pct(99)), r.errors, r.cpuPerRequest().Round(time.Microsecond))
	return r
}

func errKind(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

func do(hc *http.Client, r request, buf []byte) ([]byte, int, error) {
	tok, err := r.sess.token(hc)
	if err != nil {
		return buf, 0, err
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	base := r.sess.base
	if r.base != "" {
		base = r.base
	}
	req, err := http.NewRequestWithContext(context.Background(), r.method, base+r.path, body)
	if err != nil {
		return buf, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return buf, 0, err
	}
	defer resp.Body.Close()
	b := bytes.NewBuffer(buf[:0])
	if _, err := b.ReadFrom(resp.Body); err != nil {
		return b.Bytes(), resp.StatusCode, err
	}
	return b.Bytes(), resp.StatusCode, nil
}

// dbArgs passes -db on to bench-seed, serve and verify-log.
func dbArgs() []string {
	if *db == "" {
		return nil
	}
	return []string{"--db", *db}
}

// servers are the instances a run serves from; the first is the one signed
// in through (sessions and tokens are in the database, so any takes them).
type servers []*server

// cpuTime is the CPU time of all instances together.
func (ss servers) cpuTime() time.Duration {
	var t time.Duration
	for _, s := range ss {
		t += s.cpuTime()
	}
	return t
}

// missingNotes counts the acknowledged notes that are not in the database:
// the data dir's SQLite file, or the -db database.
func missingNotes(dataDir string, ids []string) (int, error) {
	if *db == "" {
		return sqlite.MissingNotes(sqlite.DBPath(dataDir), ids)
	}
	pg, err := sqlite.OpenPostgresDB(*db)
	if err != nil {
		return 0, err
	}
	defer pg.Close()
	missing := 0
	for _, id := range ids {
		var n int
		if err := pg.QueryRow(`SELECT COUNT(*) FROM notes WHERE id = ?`, id).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			missing++
		}
	}
	return missing, nil
}
