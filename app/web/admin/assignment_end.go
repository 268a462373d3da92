package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
)

// assignmentEnd ends a caseload assignment now; the history stays.
func (h *Handler) assignmentEnd(c *fiber.Ctx) error {
	if err := h.Store.EndAssignment(c.UserContext(), edge.Actor(c), edge.Param(c, "aid")); err != nil {
		return err
	}
	return h.Redirect(c, "/admin/caseloads", "flash.assignment_ended")
}
