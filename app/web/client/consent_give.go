package client

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
)

// consentGive records a consent the client gives online (as
// POST /me/consents: evidence online).
func (h *Handler) consentGive(c *fiber.Ctx) error {
	in := web.FormValues(c, "purpose", "channel", "recipient", "reason")
	ci, errs := web.ConsentInput(in)
	ci.Evidence = "" // online, set by consent.Validate for a client
	if errs == nil {
		a := edge.Actor(c)
		_, err := h.Consent().Record(c.UserContext(), a, a.ClientID, ci)
		if err == nil {
			return h.Redirect(c, "/my/consents", "flash.consent_given")
		}
		var ok bool
		if errs, ok = web.ConsentFormErrors(err); !ok {
			return err
		}
	}
	return h.renderConsents(c, fiber.StatusUnprocessableEntity, errs, in)
}
