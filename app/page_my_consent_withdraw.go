package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// pageMyConsentWithdraw withdraws one of the client's consents in one step
// (as POST /me/consents/{id}/withdraw): from this commit on, no request may
// rely on it. A second click (the consent is withdrawn already) changes nothing.
func (s *Server) pageMyConsentWithdraw(c *fiber.Ctx) error {
	_, err := s.consent().Withdraw(c.UserContext(), edge.Actor(c), edge.Param(c, "cid"))
	if isCode(err, records.ECONFLICT) {
		return s.redirect(c, "/my/consents", "flash.consent_withdrawn_already")
	}
	if err != nil {
		return err
	}
	return s.redirect(c, "/my/consents", "flash.consent_withdrawn")
}
