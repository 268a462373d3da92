package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
)

type activateRequest struct {
	Username string `json:"username"`
	Code     string `json:"code"`
	Password string `json:"password"`
}

// activate lets the holder of a new account set their own password with the
// activation code they were given; then they sign in as usual.
func (h *Handler) activate(c *fiber.Ctx) error {
	var in activateRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if in.Username == "" {
		return edge.InvalidField("username", "username is required")
	}
	if in.Code == "" {
		return edge.InvalidField("code", "code is required")
	}
	if _, err := h.Auth.Activate(c.UserContext(), edge.Remote(c), in.Username, in.Code, in.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword changes the signed-in person's own password. Every session
// of the account ends, this one too; the answer carries a new token pair so
// that this client goes on.
func (h *Handler) changePassword(c *fiber.Ctx) error {
	var in changePasswordRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	a := edge.Actor(c)
	if err := h.Auth.ChangePassword(c.UserContext(), a, in.CurrentPassword, in.NewPassword); err != nil {
		return err
	}
	u, err := h.Store.UserByID(c.UserContext(), a.UserID)
	if err != nil {
		return err
	}
	return h.sendTokens(c, u, h.Auth.Pending(u))
}
