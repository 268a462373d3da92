package dpo

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// legalHoldLift lifts a hold (DELETE /legal-holds/{id}); retention
// applies again from the next run. The hold stays listed with its release time.
func (h *Handler) legalHoldLift(c *fiber.Ctx) error {
	err := h.Store.ReleaseLegalHold(c.UserContext(), edge.Actor(c), edge.Param(c, "hid"))
	if web.IsCode(err, records.ECONFLICT) {
		return h.Redirect(c, "/dpo/legal-holds", "flash.hold_lifted_already")
	}
	if err != nil {
		return err
	}
	return h.Redirect(c, "/dpo/legal-holds", "flash.hold_lifted")
}
