package app_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestSecurityHeaders: every response carries the CSP and nosniff; every
// /api/v1 response with a body (client data or a problem) is no-store.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	st, nt := e.token(t, sam), e.token(t, noor)
	calls := []struct {
		token, path string
		status      int
	}{
		{st, "/api/v1/clients", 200},
		{st, "/api/v1/clients/" + e.noorID, 200},
		{st, "/api/v1/clients/" + e.noorID + "/file", 200},
		{nt, "/api/v1/me/file", 200},
		{nt, "/api/v1/me/access-log", 200},
		{e.token(t, dpo), "/api/v1/access-log?client_id=" + e.noorID, 200},
		{st, "/api/v1/clients/" + e.milanID + "/file", 403},
		{"", "/api/v1/clients", 401},
		{st, "/api/v1/no-such-route", 404},
		{"", "/healthz", 200},
		{"", "/api/openapi.json", 200},
	}
	for _, c := range calls {
		r := e.do(t, req{method: http.MethodGet, path: c.path, token: c.token, undocumented: c.status == 404})
		r.expect(t, c.status)
		if c.status >= 400 {
			r.problem(t)
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", c.path, csp)
		}
		if v := r.header.Get("X-Content-Type-Options"); v != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", c.path, v)
		}
		if strings.HasPrefix(c.path, "/api/v1/") && r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", c.path, r.header.Get("Cache-Control"))
		}
	}
}

// TestNoSecretsInLogs: the server's log lines never hold an access token, a
// refresh token, a password, a note body, a client's name or a query string.
func TestNoSecretsInLogs(t *testing.T) {
	e := newEnv(t)
	tk := e.login(t, sam)
	const body = "LOG-LEAK-CANARY note body"
	var tr struct{ ID string }
	e.post(t, tk.AccessToken, "/api/v1/clients/"+e.noorID+"/trajectories", map[string]any{"goal": "LOG-LEAK-CANARY goal"}).expect(t, 201).decode(t, &tr)
	e.post(t, tk.AccessToken, "/api/v1/clients/"+e.noorID+"/notes", map[string]any{"trajectory_id": tr.ID, "body": body, "visibility": "shared"}).expect(t, 201)
	e.get(t, tk.AccessToken, "/api/v1/clients/"+e.noorID+"/file").expect(t, 200)
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": tk.RefreshToken}).expect(t, 200)
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": tk.RefreshToken}).expect(t, 401)
	e.get(t, e.token(t, dpo), "/api/v1/access-log?actor=sam&client_id="+e.noorID).expect(t, 200)
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": sam, "password": "wrong password LOG-LEAK-CANARY"}).expect(t, 401)
	e.get(t, tk.AccessToken+"x", "/api/v1/me").expect(t, 401)

	logs := e.logs.all()
	if !strings.Contains(logs, "/api/v1/clients/:id/file") {
		t.Fatalf("the log has no request lines; nothing was checked:\n%s", logs)
	}
	for what, secret := range map[string]string{
		"access token":  tk.AccessToken,
		"token payload": strings.Split(tk.AccessToken, ".")[1],
		"refresh token": tk.RefreshToken,
		"password":      demoPassword,
		"canary":        "LOG-LEAK-CANARY",
		"client name":   "Noor El Amrani",
		"client id":     e.noorID,
		"query string":  "actor=sam",
	} {
		if strings.Contains(logs, secret) {
			t.Errorf("the server log holds the %s", what)
		}
	}
}
