package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
)

// userNewCode replaces the activation code of a staff account that has no
// password yet (the first code was lost or has expired), as POST
// /api/v1/users/{uid}/activation-code does, and shows the new code once.
func (h *Handler) userNewCode(c *fiber.Ctx) error {
	id := edge.Param(c, "uid")
	act, hash, err := h.NewActivationCode()
	if err != nil {
		return err
	}
	if err := h.Store.IssueActivationCode(c.UserContext(), edge.Actor(c), id, hash); err != nil {
		return err
	}
	u, err := h.Store.UserByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	act.Username, act.BackURL, act.BackKey = u.Username, "/admin/users", "activation.back_users"
	return h.RenderActivation(c, "flash.activation_code_new", act)
}
