package dpo

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
)

// statistics shows the anonymised statistics (GET /statistics): only
// clients who consented count, and cells of fewer than 5 clients show no number.
func (h *Handler) statistics(c *fiber.Ctx) error {
	st, err := h.Consent().Statistics(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	v := h.View(c, "dpo_statistics.title")
	v.Data = st
	return h.Render(c, fiber.StatusOK, "dpo_statistics", v)
}
