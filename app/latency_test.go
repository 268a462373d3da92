package app_test

import (
	"net/http"
	"os"
	"sort"
	"testing"
	"time"
)

// TestLatencySequential measures sign-in and file-read latency over loopback,
// sequentially, through the whole stack (the access record is committed before
// each file answer). It only logs figures; run with -v to see them. Skipped
// with -short. Sign-ins are fewer: each costs an Argon2id hash by design.
func TestLatencySequential(t *testing.T) {
	if testing.Short() || os.Getenv("NABIJ_SKIP_LATENCY") != "" {
		t.Skip("latency figures only")
	}
	e := newEnv(t)
	measure := func(n int, f func()) (p50, p95, max time.Duration) {
		d := make([]time.Duration, n)
		for i := range d {
			start := time.Now()
			f()
			d[i] = time.Since(start)
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[n/2], d[n*95/100], d[n-1]
	}
	login := map[string]string{"username": sam, "password": demoPassword}
	const logins = 40
	p50, p95, max := measure(logins, func() {
		e.do(t, req{method: http.MethodPost, path: "/api/v1/auth/login", body: login}).expect(t, 200)
	})
	t.Logf("POST /api/v1/auth/login, %d sequential: p50 %v, p95 %v, max %v", logins, p50, p95, max)
	st := e.token(t, sam)
	path := "/api/v1/clients/" + e.noorID + "/file"
	const reads = 200
	p50, p95, max = measure(reads, func() { e.get(t, st, path).expect(t, 200) })
	t.Logf("GET /api/v1/clients/{id}/file, %d sequential: p50 %v, p95 %v, max %v (incl. client-side OpenAPI validation)", reads, p50, p95, max)
	// The same without the test client's validation, as a plain client sees it.
	hc := &http.Client{}
	p50, p95, max = measure(reads, func() {
		r, _ := http.NewRequest(http.MethodGet, e.base+path, nil)
		r.Header.Set("Authorization", "Bearer "+st)
		res, err := hc.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
	t.Logf("GET /api/v1/clients/{id}/file, %d sequential, plain client: p50 %v, p95 %v, max %v", reads, p50, p95, max)
}
