package client

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// consentWithdraw withdraws one of the client's consents in one step
// (as POST /me/consents/{id}/withdraw): from this commit on, no request may
// rely on it. A second click (the consent is withdrawn already) changes nothing.
func (h *Handler) consentWithdraw(c *fiber.Ctx) error {
	_, err := h.Consent().Withdraw(c.UserContext(), edge.Actor(c), edge.Param(c, "cid"))
	if web.IsCode(err, records.ECONFLICT) {
		return h.Redirect(c, "/my/consents", "flash.consent_withdrawn_already")
	}
	if err != nil {
		return err
	}
	return h.Redirect(c, "/my/consents", "flash.consent_withdrawn")
}
