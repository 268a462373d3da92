package client

import (
	"github.com/gofiber/fiber/v2"
)

// export explains the download and links to the two formats. The page
// itself reads no client data; the download does (and is recorded).
func (h *Handler) export(c *fiber.Ctx) error {
	return h.Render(c, fiber.StatusOK, "my_export", h.View(c, "my_export.title"))
}
