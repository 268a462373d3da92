package app

import (
	"github.com/gofiber/fiber/v2"
)

// pageMyExport explains the download and links to the two formats. The page
// itself reads no client data; the download does (and is recorded).
func (s *Server) pageMyExport(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "my_export", s.view(c, "my_export.title"))
}
