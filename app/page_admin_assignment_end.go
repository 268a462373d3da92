package app

import "github.com/gofiber/fiber/v2"

// pageAdminAssignmentEnd ends a caseload assignment now; the history stays.
func (s *Server) pageAdminAssignmentEnd(c *fiber.Ctx) error {
	if err := s.Store.EndAssignment(c.UserContext(), actor(c), param(c, "aid")); err != nil {
		return err
	}
	return s.redirect(c, "/admin/caseloads", "flash.assignment_ended")
}
