package client

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// erasureRequest records the client's request to erase their data (as
// POST /me/erasure-requests). One pending request at a time.
func (h *Handler) erasureRequest(c *fiber.Ctx) error {
	a := edge.Actor(c)
	_, err := h.Store.RequestErasure(c.UserContext(), a, a.ClientID)
	if web.IsCode(err, records.ECONFLICT) {
		return h.renderErasure(c, fiber.StatusConflict, map[string]string{ui.FormError: "invalid.erasure_pending"})
	}
	if err != nil {
		return err
	}
	return h.Redirect(c, "/my/erasure", "flash.erasure_requested")
}
