package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSignInBurstMemory starts the real `nabij serve` and sends 60 correct
// sign-ins at once. Each Argon2id verification takes about 19 MiB; unbounded,
// the burst took the server past 1 GiB. With at most NABIJ_MAX_HASHING (default
// 4) at once, the server's peak RSS stays at most 250 MiB, and every sign-in
// either succeeds or is told to come back (429 with Retry-After).
func TestSignInBurstMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the nabij binary")
	}
	const burst, budget = 60, 250 << 20
	bin := filepath.Join(t.TempDir(), "nabij")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := seededDir(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var log bytes.Buffer
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data", dir)
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.Env = os.Environ()
	if v := os.Getenv("NABIJ_TEST_MAX_HASHING"); v != "" { // to see the bound matter: 60 is no bound
		cmd.Env = append(cmd.Env, "NABIJ_MAX_HASHING="+v)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	base := "http://" + addr
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready after 30 s:\n%s", log.String())
		}
	}
	before := peakRSS(t, cmd.Process.Pid)

	hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: burst}}
	body := []byte(`{"username":"sam","password":"a demo password for tests"}`)
	statuses := make([]int, burst)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := hc.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Errorf("sign-in %d: %v", i, err)
				return
			}
			res.Body.Close()
			statuses[i] = res.StatusCode
			if res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") == "" {
				t.Errorf("sign-in %d: 429 without Retry-After", i)
			}
		}()
	}
	close(start)
	wg.Wait()
	peak := peakRSS(t, cmd.Process.Pid)
	ok := 0
	for i, s := range statuses {
		switch s {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
		default:
			t.Errorf("sign-in %d: status %d", i, s)
		}
	}
	t.Logf("%d of %d sign-ins succeeded; peak RSS %d MiB before, %d MiB after", ok, burst, before>>20, peak>>20)
	if ok == 0 {
		t.Error("no sign-in succeeded")
	}
	if peak > budget {
		t.Errorf("peak RSS %d MiB after %d simultaneous sign-ins, want at most %d MiB", peak>>20, burst, budget>>20)
	}
}

// peakRSS is VmHWM of a process, in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n << 10
		}
	}
	t.Skip("no VmHWM in /proc")
	return 0
}
