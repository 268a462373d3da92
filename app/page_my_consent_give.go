package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/nabij/nabij/app/edge"
)

// pageMyConsentGive records a consent the client gives online (as
// POST /me/consents: evidence online).
func (s *Server) pageMyConsentGive(c *fiber.Ctx) error {
	in := formValues(c, "purpose", "channel", "recipient", "reason")
	ci, errs := consentInput(in)
	ci.Evidence = "" // online, set by consent.Validate for a client
	if errs == nil {
		a := edge.Actor(c)
		_, err := s.consent().Record(c.UserContext(), a, a.ClientID, ci)
		if err == nil {
			return s.redirect(c, "/my/consents", "flash.consent_given")
		}
		var ok bool
		if errs, ok = consentFormErrors(err); !ok {
			return err
		}
	}
	return s.renderMyConsents(c, fiber.StatusUnprocessableEntity, errs, in)
}
