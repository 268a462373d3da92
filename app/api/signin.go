package api

import (
	"errors"

	"github.com/gofiber/fiber/v2"
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

func (h *Handler) login(c *fiber.Ctx) error {
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
	u, pending, err := h.Auth.Authenticate(c.UserContext(), edge.Remote(c), in.Username, in.Password, in.TOTP)
	if err != nil {
		return err
	}
	return h.sendTokens(c, u, pending)
}

// sendTokens starts a session (a new refresh family) and answers with its
// first tokens.
func (h *Handler) sendTokens(c *fiber.Ctx, u *records.User, pending bool) error {
	refresh, err := auth.NewRefreshToken()
	if err != nil {
		return err
	}
	t, err := h.Store.StoreRefreshToken(c.UserContext(), u.ID, "", refresh, h.RefreshTTL)
	if err != nil {
		return err
	}
	access, ttl, err := h.Auth.IssueAccess(u, pending, t.Family)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, tokenResponse{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer",
		ExpiresIn: int(ttl.Seconds()), Role: string(u.Role), TOTPPending: pending})
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (h *Handler) refresh(c *fiber.Ctx) error {
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
	t, err := h.Store.RotateRefreshToken(c.UserContext(), in.RefreshToken, next, h.RefreshTTL)
	if err != nil {
		if errors.Is(err, records.ErrSessionOver) {
			return edge.FailDetail(edge.ProbUnauthorized, "a session lasts at most 12 hours; sign in again")
		}
		if records.ErrorCode(err) == records.ENOTFOUND || err == records.ErrTokenReused {
			return edge.FailDetail(edge.ProbUnauthorized, "the refresh token is not valid; sign in again")
		}
		return err
	}
	u, err := h.Store.UserByID(c.UserContext(), t.UserID)
	if err != nil {
		return err
	}
	pending := h.Auth.Pending(u)
	access, ttl, err := h.Auth.IssueAccess(u, pending, t.Family)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, tokenResponse{AccessToken: access, RefreshToken: next, TokenType: "Bearer",
		ExpiresIn: int(ttl.Seconds()), Role: string(u.Role), TOTPPending: pending})
}

func (h *Handler) logout(c *fiber.Ctx) error {
	var in refreshRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if in.RefreshToken != "" {
		if err := h.Store.RevokeRefreshFamily(c.UserContext(), in.RefreshToken); err != nil {
			return err
		}
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type totpEnrolResponse struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
}

// totpEnrol starts enrolment: a new secret, stored sealed, not yet enabled.
func (h *Handler) totpEnrol(c *fiber.Ctx) error {
	u := edge.CurrentUser(c)
	if u.TOTPEnabled {
		return edge.Fail(edge.Problem{Type: edge.ProblemBase + "conflict", Title: "A second factor is set up already", Status: fiber.StatusConflict})
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "nabij", AccountName: u.Username})
	if err != nil {
		return err
	}
	if err := h.Store.SetTOTP(c.UserContext(), u.ID, key.Secret(), false); err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, totpEnrolResponse{Secret: key.Secret(), OTPAuthURL: key.URL()})
}

type totpConfirmRequest struct {
	Code string `json:"code"`
}

// totpConfirm enables the second factor once the user shows a valid code.
func (h *Handler) totpConfirm(c *fiber.Ctx) error {
	var in totpConfirmRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	u := edge.CurrentUser(c)
	secret, err := h.Store.TOTPSecret(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	if secret == "" {
		return edge.InvalidField("code", "start enrolment first")
	}
	ok, err := h.Auth.CheckTOTP(c.UserContext(), u.ID, secret, in.Code)
	if err != nil {
		return err
	}
	if !ok {
		return edge.InvalidField("code", "the code is wrong or expired")
	}
	if err := h.Store.SetTOTP(c.UserContext(), u.ID, secret, true); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
