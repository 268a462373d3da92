package app_test

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/app/demo"
	"github.com/nabij/nabij/records"
	"github.com/pquerna/otp/totp"
)

// startInstance starts a nabij on cfg's data dir (seeding the demo first when
// seed is set) and returns its client and a stop.
func startInstance(t *testing.T, cfg app.Config, seed bool) (*env, func()) {
	t.Helper()
	srv, err := app.New(cfg)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	if seed {
		if err := demo.Seed(context.Background(), srv.Store, demoPassword, time.Now()); err != nil {
			srv.Shutdown(time.Second)
			t.Fatalf("seed: %v", err)
		}
	}
	base, stop := serveUntilStopped(t, srv)
	return envFor(t, srv, base, &logSink{}), stop
}

// What one instance learnt about guesses and used codes, the next instance on
// the same database knows: the guesser still waits (and only the guesser),
// and a TOTP code used on the first is refused on the second. A second
// instance beside the first shares the database the same way; one data dir
// cannot be opened twice at once, so the test runs them one after the other.
// The store keeps no username or address for it.
func TestSignInStateHoldsAcrossInstances(t *testing.T) {
	clk := &pageClock{}
	cfg := app.Config{DataDir: t.TempDir(), Logf: func(string, ...any) {}, Now: clk.now}
	behindProxy(&cfg)
	const guesser, owner, lenaAddr = "203.0.113.66", "198.51.100.7", "198.51.100.8"

	first, stop := startInstance(t, cfg, true)
	secret, used := first.enrolTOTP(t, first.token(t, lena))
	free, _ := app.LoginLimitsForTest(first.srv)
	for i := 1; i <= free+1; i++ { // the free failures and the one that sets the first wait
		first.loginFrom(t, guesser, sam, "not the password at all").expect(t, 401)
	}
	wait := retryAfter(t, first.loginFrom(t, guesser, sam, "not the password at all").expect(t, 429))
	stop()

	second, _ := startInstance(t, cfg, false)
	r := second.loginFrom(t, guesser, sam, "not the password at all").expect(t, 429)
	if w := retryAfter(t, r); w > wait {
		t.Errorf("the second instance makes the guesser wait %v, the first said %v", w, wait)
	}
	second.loginFrom(t, owner, sam, demoPassword).expect(t, 200)
	login := func(code string) *resp {
		return second.do(t, req{method: http.MethodPost, path: "/api/v1/auth/login",
			body:   map[string]string{"username": lena, "password": demoPassword, "totp": code},
			header: map[string]string{"X-Forwarded-For": lenaAddr}})
	}
	login(used).expect(t, 401) // used on the first instance
	next, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	login(next).expect(t, 200)
	clk.advance(wait)
	second.loginFrom(t, guesser, sam, "not the password at all").expect(t, 401)

	// The throttling keys are keyed hashes: no username, no address.
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(cfg.DataDir, "nabij.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT key FROM throttle`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(key) {
			t.Errorf("throttling key %q is not a hash", key)
		}
		n++
	}
	if n == 0 {
		t.Error("no throttling key in the database")
	}
}

// The daily retention run is one instance's at a time: while another
// instance holds the day's turn, the scheduled run does not start; once it is
// given back, it runs and holds the turn itself. A run by hand (the data
// officer's, or the command on another instance) holding the retention turn
// makes the scheduled run give the day's turn back, and the API says 409.
func TestRetentionRunsOnOneInstanceAtATime(t *testing.T) {
	e := newEnv(t)
	st := e.srv.Store
	ctx := context.Background()
	now := time.Now()
	if err := st.TakeTurn(ctx, "retention-day", "another instance", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if app.RetentionOnceForTest(e.srv) {
		t.Fatal("the scheduled run started while another instance had the day's turn")
	}
	if err := st.EndTurn(ctx, "retention-day", "another instance", time.Now()); err != nil {
		t.Fatal(err)
	}
	if !app.RetentionOnceForTest(e.srv) {
		t.Fatal("the scheduled run did not start on a free turn")
	}
	now = time.Now()
	if err := st.TakeTurn(ctx, "retention-day", "another instance", now, now.Add(time.Hour)); records.ErrorCode(err) != records.ECONFLICT {
		t.Fatalf("another instance took the day's turn after this one ran: %v", err)
	}

	// A run by hand holds the retention turn: a second run by hand is refused.
	if err := st.TakeTurn(ctx, "retention", "a run by hand", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.post(t, e.token(t, dpo), "/api/v1/retention-runs", map[string]any{}).expect(t, 409)
	e.post(t, e.token(t, dpo), "/api/v1/retention-runs", map[string]any{"dry_run": true}).expect(t, 200)
	if app.RetentionOnceForTest(e.srv) {
		t.Fatal("the scheduled run started during a run by hand")
	}
	now = time.Now()
	if err := st.TakeTurn(ctx, "retention-day", "another instance", now, now.Add(time.Hour)); err != nil {
		t.Fatalf("the scheduled run that could not start kept the day's turn: %v", err)
	}
	if err := st.EndTurn(ctx, "retention", "a run by hand", time.Now()); err != nil {
		t.Fatal(err)
	}
	e.post(t, e.token(t, dpo), "/api/v1/retention-runs", map[string]any{}).expect(t, 200)
	// The API's run gave its turn back.
	now = time.Now()
	if err := st.TakeTurn(ctx, "retention", "a run by hand", now, now.Add(time.Hour)); err != nil {
		t.Fatalf("after the API's run: %v", err)
	}
}

// The data officer's retention page says when the daily run last started,
// whichever instance ran it, and that it has not run yet before that.
func TestRetentionPageShowsTheDailyRun(t *testing.T) {
	h := newPageHarness(t, true)
	d := h.browser("en")
	d.login("dpo")
	d.get("/dpo/retention").want(t, http.StatusOK, "The daily retention run has not run yet")
	if !app.RetentionOnceForTest(h.srv) {
		t.Fatal("the scheduled run did not start")
	}
	d.get("/dpo/retention").want(t, http.StatusOK, "The daily retention run last started on")
	nl := h.browser("nl")
	nl.login("dpo")
	nl.get("/dpo/retention").want(t, http.StatusOK, "De dagelijkse bewaarrun is het laatst begonnen op")
}
