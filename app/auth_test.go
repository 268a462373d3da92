package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/records"
)

func TestRefreshTokensRotate(t *testing.T) {
	e := newEnv(t)
	first := e.login(t, sam)
	if first.TokenType != "Bearer" || first.ExpiresIn <= 0 || first.ExpiresIn > 900 || first.Role != "professional" {
		t.Errorf("token response %+v", first)
	}
	var second tokens
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken}).expect(t, 200).decode(t, &second)
	if second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
		t.Fatal("refresh returned the same tokens")
	}
	e.get(t, second.AccessToken, "/api/v1/clients").expect(t, 200)

	// The used token again: a sign of theft. Refused, and the whole family with it.
	p := e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken}).expect(t, 401).problem(t)
	if p.Type != "urn:nabij:problem:unauthorized" {
		t.Errorf("reuse problem %+v", p)
	}
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": second.RefreshToken}).expect(t, 401)

	// Another sign-in is another family: unaffected.
	other := e.login(t, sam)
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": other.RefreshToken}).expect(t, 200)
}

func TestLogoutRevokesTheRefreshToken(t *testing.T) {
	e := newEnv(t)
	tk := e.login(t, noor)
	e.post(t, "", "/api/v1/auth/logout", map[string]string{"refresh_token": tk.RefreshToken}).expect(t, 204)
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": tk.RefreshToken}).expect(t, 401)
	// Logging out twice, or with no token, still succeeds.
	e.post(t, "", "/api/v1/auth/logout", map[string]string{"refresh_token": tk.RefreshToken}).expect(t, 204)
	e.post(t, "", "/api/v1/auth/logout", map[string]string{}).expect(t, 204)
}

// newUser makes an account through the admin API and activates it with its
// code and demoPassword, as its holder would.
func (e *env) newUser(t *testing.T, username string, role records.Role, clientID string) records.User {
	t.Helper()
	body := map[string]any{"username": username, "role": role, "display_name": "Test " + username}
	if clientID != "" {
		body["client_id"] = clientID
	}
	var u createdAccount
	e.post(t, e.token(t, admin), "/api/v1/users", body).expect(t, 201).decode(t, &u)
	e.activate(t, username, u.Activation.Code, demoPassword)
	return u.User
}

// enrolTOTP sets up and confirms a second factor with the token; returns the
// secret and the code that confirmed it (which is then used up).
func (e *env) enrolTOTP(t *testing.T, access string) (string, string) {
	t.Helper()
	var en struct {
		Secret     string `json:"secret"`
		OTPAuthURL string `json:"otpauth_url"`
	}
	e.post(t, access, "/api/v1/auth/totp/enrol", nil).expect(t, 200).decode(t, &en)
	if en.Secret == "" || !strings.HasPrefix(en.OTPAuthURL, "otpauth://totp/") {
		t.Fatalf("enrolment %+v", en)
	}
	e.post(t, access, "/api/v1/auth/totp/confirm", map[string]string{"code": "000000"}).expect(t, 422)
	code, err := totp.GenerateCode(en.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.post(t, access, "/api/v1/auth/totp/confirm", map[string]string{"code": code}).expect(t, 204)
	return en.Secret, code
}

func TestTOTPSecondFactor(t *testing.T) {
	e := newEnv(t)
	secret, used := e.enrolTOTP(t, e.token(t, sam))
	var me struct {
		TOTPEnabled bool `json:"totp_enabled"`
	}
	e.get(t, e.login(t, lena).AccessToken, "/api/v1/me").expect(t, 200).decode(t, &me)
	if me.TOTPEnabled {
		t.Error("lena has TOTP without enrolling")
	}
	// A second enrolment is refused while one is active.
	e.do(t, req{method: http.MethodPost, path: "/api/v1/auth/totp/enrol", token: e.token(t, sam)}).expect(t, 409)

	p := e.post(t, "", "/api/v1/auth/login", map[string]string{"username": sam, "password": demoPassword}).expect(t, 401).problem(t)
	if p.Type != "urn:nabij:problem:totp-required" {
		t.Errorf("without a code: %+v", p)
	}
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": sam, "password": demoPassword, "totp": "123456"}).expect(t, 401)
	// The code that confirmed the enrolment was used: it cannot be used again.
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": sam, "password": demoPassword, "totp": used}).expect(t, 401)
	// The next step's code is accepted (one step of clock drift), once.
	code, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	var tk tokens
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": sam, "password": demoPassword, "totp": code}).expect(t, 200).decode(t, &tk)
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": sam, "password": demoPassword, "totp": code}).expect(t, 401)
	if tk.TOTPPending {
		t.Error("pending after a good code")
	}
	e.get(t, tk.AccessToken, "/api/v1/me").expect(t, 200).decode(t, &me)
	if !me.TOTPEnabled {
		t.Error("me does not show the second factor")
	}
}

func TestRequireTOTPForRole(t *testing.T) {
	e := newEnv(t, func(c *app.Config) { c.RequireTOTP = map[records.Role]bool{records.RoleProfessional: true} })
	tk := e.login(t, sam)
	if !tk.TOTPPending {
		t.Fatal("no totp_pending for a professional who must enrol")
	}
	// Until enrolled: only /me and the enrolment routes.
	p := e.get(t, tk.AccessToken, "/api/v1/clients").expect(t, 403).problem(t)
	if p.Type != "urn:nabij:problem:totp-enrolment-required" {
		t.Errorf("problem %+v", p)
	}
	e.get(t, tk.AccessToken, "/api/v1/clients/"+e.noorID+"/file").expect(t, 403)
	e.get(t, tk.AccessToken, "/api/v1/me").expect(t, 200)
	// A refreshed token is still pending.
	var rt tokens
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": tk.RefreshToken}).expect(t, 200).decode(t, &rt)
	if !rt.TOTPPending {
		t.Error("refresh dropped totp_pending")
	}
	e.get(t, rt.AccessToken, "/api/v1/clients").expect(t, 403)
	// Other roles are not affected.
	if nt := e.login(t, noor); nt.TOTPPending {
		t.Error("client pending")
	}

	secret, _ := e.enrolTOTP(t, tk.AccessToken)
	code, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second)) // the current code confirmed the enrolment
	var full tokens
	e.post(t, "", "/api/v1/auth/login", map[string]string{"username": sam, "password": demoPassword, "totp": code}).expect(t, 200).decode(t, &full)
	if full.TOTPPending {
		t.Error("still pending after enrolment")
	}
	e.get(t, full.AccessToken, "/api/v1/clients").expect(t, 200)
}

func TestDisabledUserTokensStopWorking(t *testing.T) {
	e := newEnv(t)
	tk := e.login(t, lena)
	e.get(t, tk.AccessToken, "/api/v1/clients").expect(t, 200)
	var u records.User
	e.post(t, e.token(t, admin), "/api/v1/users/"+e.users[lena].ID+"/disable", nil).expect(t, 200).decode(t, &u)
	if !u.Disabled {
		t.Fatal("not disabled")
	}
	e.get(t, tk.AccessToken, "/api/v1/clients").expect(t, 401)
	e.get(t, tk.AccessToken, "/api/v1/me").expect(t, 401)
	e.post(t, "", "/api/v1/auth/refresh", map[string]string{"refresh_token": tk.RefreshToken}).expect(t, 401)
	p := e.post(t, "", "/api/v1/auth/login", map[string]string{"username": lena, "password": demoPassword}).expect(t, 401).problem(t)
	if !strings.Contains(p.Detail, "disabled") {
		t.Errorf("login problem %+v", p)
	}
	// Enabled again, lena signs in as before.
	e.post(t, e.token(t, admin), "/api/v1/users/"+e.users[lena].ID+"/enable", nil).expect(t, 200)
	e.get(t, e.login(t, lena).AccessToken, "/api/v1/clients").expect(t, 200)
}
