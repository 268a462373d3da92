package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/nabij/nabij/app/edge"
)

// pageAdminAssignmentEnd ends a caseload assignment now; the history stays.
func (s *Server) pageAdminAssignmentEnd(c *fiber.Ctx) error {
	if err := s.Store.EndAssignment(c.UserContext(), edge.Actor(c), edge.Param(c, "aid")); err != nil {
		return err
	}
	return s.redirect(c, "/admin/caseloads", "flash.assignment_ended")
}
