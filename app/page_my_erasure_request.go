package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// pageMyErasureRequest records the client's request to erase their data (as
// POST /me/erasure-requests). One pending request at a time.
func (s *Server) pageMyErasureRequest(c *fiber.Ctx) error {
	a := edge.Actor(c)
	_, err := s.Store.RequestErasure(c.UserContext(), a, a.ClientID)
	if isCode(err, records.ECONFLICT) {
		return s.renderMyErasure(c, fiber.StatusConflict, map[string]string{ui.FormError: "invalid.erasure_pending"})
	}
	if err != nil {
		return err
	}
	return s.redirect(c, "/my/erasure", "flash.erasure_requested")
}
