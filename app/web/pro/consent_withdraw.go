package pro

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// consentWithdraw records a withdrawal the client gave the professional
// (as POST /consents/{id}/withdraw); it takes effect at once.
func (h *Handler) consentWithdraw(c *fiber.Ctx) error {
	back := clientPath(edge.Param(c, "id")) + "#consents"
	v, err := h.Consent().Withdraw(c.UserContext(), edge.Actor(c), edge.Param(c, "cid"))
	if web.IsCode(err, records.ECONFLICT) {
		return h.Redirect(c, back, "flash.consent_withdrawn_already")
	}
	if err != nil {
		return err
	}
	return h.Redirect(c, clientPath(v.ClientID)+"#consents", "flash.consent_withdrawn_pro")
}
