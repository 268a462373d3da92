package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/pquerna/otp/totp"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	TOTP     string `json:"totp,omitempty"`
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	Role         string `json:"role"`
	TOTPPending  bool   `json:"totp_pending,omitempty"`
}

func (s *Server) login(c *fiber.Ctx) error {
	var in loginRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if in.Username == "" {
		return edge.InvalidField("username", "username is required")
	}
	if in.Password == "" {
		return edge.InvalidField("password", "password is required")
	}
	u, pending, err := s.auth.Authenticate(c.UserContext(), c.IP(), in.Username, in.Password, in.TOTP)
	if err != nil {
		return err
	}
	return s.sendTokens(c, u, pending, "")
}

func (s *Server) sendTokens(c *fiber.Ctx, u *records.User, pending bool, family string) error {
	access, ttl, err := s.auth.IssueAccess(u, pending)
	if err != nil {
		return err
	}
	refresh, err := auth.NewRefreshToken()
	if err != nil {
		return err
	}
	if _, err := s.Store.StoreRefreshToken(c.UserContext(), u.ID, family, refresh, s.cfg.RefreshTTL); err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, tokenResponse{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer",
		ExpiresIn: int(ttl.Seconds()), Role: string(u.Role), TOTPPending: pending})
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (s *Server) refresh(c *fiber.Ctx) error {
	var in refreshRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if in.RefreshToken == "" {
		return edge.InvalidField("refresh_token", "refresh_token is required")
	}
	next, err := auth.NewRefreshToken()
	if err != nil {
		return err
	}
	t, err := s.Store.RotateRefreshToken(c.UserContext(), in.RefreshToken, next, s.cfg.RefreshTTL)
	if err != nil {
		if records.ErrorCode(err) == records.ENOTFOUND || err == records.ErrTokenReused {
			return edge.FailDetail(edge.ProbUnauthorized, "the refresh token is not valid; sign in again")
		}
		return err
	}
	u, err := s.Store.UserByID(c.UserContext(), t.UserID)
	if err != nil {
		return err
	}
	pending := s.auth.Pending(u)
	access, ttl, err := s.auth.IssueAccess(u, pending)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, tokenResponse{AccessToken: access, RefreshToken: next, TokenType: "Bearer",
		ExpiresIn: int(ttl.Seconds()), Role: string(u.Role), TOTPPending: pending})
}

func (s *Server) logout(c *fiber.Ctx) error {
	var in refreshRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if in.RefreshToken != "" {
		if err := s.Store.RevokeRefreshFamily(c.UserContext(), in.RefreshToken); err != nil {
			return err
		}
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// requireAuth checks the bearer token and that the account is still active, and
// puts the Actor in the context. Tokens come only from the Authorization header,
// never from the URL.
func (s *Server) requireAuth(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || raw == "" {
		return edge.Fail(edge.ProbUnauthorized)
	}
	claims, u, err := s.auth.SessionUser(c.UserContext(), raw)
	if err != nil {
		return err
	}
	edge.SetActor(c, u)
	if claims.Pending && !strings.HasPrefix(c.Path(), "/api/v1/auth/totp") && c.Path() != "/api/v1/me" {
		return edge.FailDetail(edge.Problem{Type: edge.ProblemBase + "totp-enrolment-required", Title: "Set up a second factor first",
			Status: fiber.StatusForbidden}, "your role requires a second factor: POST /api/v1/auth/totp/enrol")
	}
	return c.Next()
}

// allow lets only the given roles through. A refused request writes a denied
// access record (naming the client when the route has one), then gets 403.
func (s *Server) allow(roles ...records.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a := edge.Actor(c)
		for _, r := range roles {
			if a.Role == r {
				return c.Next()
			}
		}
		if err := s.Store.RecordDenied(c.UserContext(), a, utils.CopyString(c.Params("id")), routeKind(c), records.Action(actionOf(c))); err != nil {
			return err
		}
		return edge.FailDetail(edge.ProbForbidden, "your role does not do this")
	}
}

func actionOf(c *fiber.Ctx) records.Action {
	if c.Method() == fiber.MethodGet {
		return records.ActionRead
	}
	if strings.Contains(c.Path(), "/corrections") {
		return records.ActionCorrect
	}
	return records.ActionCreate
}

// routeKind names what a route is about, for denied records: the last literal
// path segment of the route template (file, notes, access-log…).
func routeKind(c *fiber.Ctx) string {
	parts := strings.Split(strings.TrimPrefix(c.Route().Path, "/api/v1/"), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if p := parts[i]; p != "" && !strings.HasPrefix(p, ":") {
			return p
		}
	}
	return "api"
}

type totpEnrolResponse struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
}

// totpEnrol starts enrolment: a new secret, stored sealed, not yet enabled.
func (s *Server) totpEnrol(c *fiber.Ctx) error {
	u := edge.CurrentUser(c)
	if u.TOTPEnabled {
		return edge.Fail(edge.Problem{Type: edge.ProblemBase + "conflict", Title: "A second factor is set up already", Status: fiber.StatusConflict})
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "nabij", AccountName: u.Username})
	if err != nil {
		return err
	}
	if err := s.Store.SetTOTP(c.UserContext(), u.ID, key.Secret(), false); err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, totpEnrolResponse{Secret: key.Secret(), OTPAuthURL: key.URL()})
}

type totpConfirmRequest struct {
	Code string `json:"code"`
}

// totpConfirm enables the second factor once the user shows a valid code.
func (s *Server) totpConfirm(c *fiber.Ctx) error {
	var in totpConfirmRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	u := edge.CurrentUser(c)
	secret, err := s.Store.TOTPSecret(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	if secret == "" {
		return edge.InvalidField("code", "start enrolment first")
	}
	if !s.auth.CheckTOTP(u.ID, secret, in.Code) {
		return edge.InvalidField("code", "the code is wrong or expired")
	}
	if err := s.Store.SetTOTP(c.UserContext(), u.ID, secret, true); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
