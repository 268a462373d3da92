package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// pageConsentWithdraw records a withdrawal the client gave the professional
// (as POST /consents/{id}/withdraw); it takes effect at once.
func (s *Server) pageConsentWithdraw(c *fiber.Ctx) error {
	back := clientPath(edge.Param(c, "id")) + "#consents"
	v, err := s.consent().Withdraw(c.UserContext(), edge.Actor(c), edge.Param(c, "cid"))
	if isCode(err, records.ECONFLICT) {
		return s.redirect(c, back, "flash.consent_withdrawn_already")
	}
	if err != nil {
		return err
	}
	return s.redirect(c, clientPath(v.ClientID)+"#consents", "flash.consent_withdrawn_pro")
}
