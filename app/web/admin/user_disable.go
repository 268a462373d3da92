package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
)

func (h *Handler) userDisable(c *fiber.Ctx) error { return h.setDisabled(c, true) }
func (h *Handler) userEnable(c *fiber.Ctx) error  { return h.setDisabled(c, false) }

// setDisabled disables (which also revokes its sessions) or enables
// an account.
func (h *Handler) setDisabled(c *fiber.Ctx, disabled bool) error {
	if err := h.Store.SetUserDisabled(c.UserContext(), edge.Actor(c), edge.Param(c, "uid"), disabled); err != nil {
		return err
	}
	flash := "flash.user_enabled"
	if disabled {
		flash = "flash.user_disabled"
	}
	return h.Redirect(c, "/admin/users", flash)
}
