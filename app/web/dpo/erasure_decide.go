package dpo

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// erasureApprove approves a request (POST /erasure-requests/{id}/approve):
// the client's whole file is destroyed by crypto-shredding, and a purge report
// is kept. It cannot be undone, so the form asks to tick a confirmation.
func (h *Handler) erasureApprove(c *fiber.Ctx) error { return h.erasureDecide(c, true) }

// erasureRefuse refuses a request with a reason the client reads, e.g.
// a legal retention duty (POST /erasure-requests/{id}/refuse).
func (h *Handler) erasureRefuse(c *fiber.Ctx) error { return h.erasureDecide(c, false) }

func (h *Handler) erasureDecide(c *fiber.Ctx, approve bool) error {
	rid := edge.Param(c, "rid")
	reason := ""
	if approve {
		if web.FormValue(c, "confirm") != "yes" {
			return h.renderErasureRequests(c, fiber.StatusUnprocessableEntity, rid, map[string]string{"confirm": "invalid.erasure_confirm"})
		}
	} else {
		reason = web.FormValue(c, "reason")
	}
	_, _, err := h.Store.DecideErasure(c.UserContext(), edge.Actor(c), rid, approve, reason)
	switch {
	case err == nil && approve:
		return h.Redirect(c, "/dpo/erasure-requests", "flash.erasure_approved")
	case err == nil:
		return h.Redirect(c, "/dpo/erasure-requests", "flash.erasure_refused")
	case web.IsCode(err, records.EINVALID):
		return h.renderErasureRequests(c, fiber.StatusUnprocessableEntity, rid, map[string]string{"reason": "invalid.erasure_reason"})
	case web.IsCode(err, records.ECONFLICT):
		// Decided already, or the client is under a legal hold.
		field := "reason"
		if approve {
			field = "confirm"
		}
		return h.renderErasureRequests(c, fiber.StatusConflict, rid, map[string]string{field: "invalid.erasure_conflict"})
	}
	return err
}
