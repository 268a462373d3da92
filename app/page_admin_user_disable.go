package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/nabij/nabij/app/edge"
)

func (s *Server) pageAdminUserDisable(c *fiber.Ctx) error { return s.pageAdminSetDisabled(c, true) }
func (s *Server) pageAdminUserEnable(c *fiber.Ctx) error  { return s.pageAdminSetDisabled(c, false) }

// pageAdminSetDisabled disables (which also revokes its sessions) or enables
// an account.
func (s *Server) pageAdminSetDisabled(c *fiber.Ctx, disabled bool) error {
	if err := s.Store.SetUserDisabled(c.UserContext(), edge.Actor(c), edge.Param(c, "uid"), disabled); err != nil {
		return err
	}
	flash := "flash.user_enabled"
	if disabled {
		flash = "flash.user_disabled"
	}
	return s.redirect(c, "/admin/users", flash)
}
