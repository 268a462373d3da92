package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// pageDPOLegalHoldLift lifts a hold (DELETE /legal-holds/{id}); retention
// applies again from the next run. The hold stays listed with its release time.
func (s *Server) pageDPOLegalHoldLift(c *fiber.Ctx) error {
	err := s.Store.ReleaseLegalHold(c.UserContext(), edge.Actor(c), edge.Param(c, "hid"))
	if isCode(err, records.ECONFLICT) {
		return s.redirect(c, "/dpo/legal-holds", "flash.hold_lifted_already")
	}
	if err != nil {
		return err
	}
	return s.redirect(c, "/dpo/legal-holds", "flash.hold_lifted")
}
