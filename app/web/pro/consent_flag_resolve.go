package pro

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// consentFlagResolve resolves an online contact's consent flag with a reason,
// from the form under the flag on the file page. A missing or too long reason
// comes back on the file page, at the contact, with the error.
func (h *Handler) consentFlagResolve(c *fiber.Ctx) error {
	id, kid := edge.Param(c, "id"), edge.Param(c, "kid")
	in := web.FormValues(c, "reason")
	anchor := clientPath(id) + "#contact-" + url.PathEscape(kid)
	reason := in["reason"]
	if err := records.CheckFlagReason(&reason); err != nil {
		return h.renderClientFile(c, fiber.StatusUnprocessableEntity, kid, "invalid.flag_reason", in["reason"])
	}
	k, err := h.Store.ResolveConsentFlag(c.UserContext(), edge.Actor(c), kid, in["reason"])
	if err != nil {
		if records.ErrorCode(err) == records.EINVALID || records.ErrorCode(err) == records.ECONFLICT {
			return h.renderClientFile(c, fiber.StatusUnprocessableEntity, kid, "invalid.flag_resolve", in["reason"])
		}
		return err
	}
	if k.ClientID != id {
		// Resolved (and recorded) on its own client; show that client's file.
		anchor = clientPath(k.ClientID) + "#contact-" + url.PathEscape(kid)
	}
	return h.Redirect(c, anchor, "flash.flag_resolved")
}
