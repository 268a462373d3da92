package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// pageDPOErasureApprove approves a request (POST /erasure-requests/{id}/approve):
// the client's whole file is destroyed by crypto-shredding, and a purge report
// is kept. It cannot be undone, so the form asks to tick a confirmation.
func (s *Server) pageDPOErasureApprove(c *fiber.Ctx) error { return s.pageDPOErasureDecide(c, true) }

// pageDPOErasureRefuse refuses a request with a reason the client reads, e.g.
// a legal retention duty (POST /erasure-requests/{id}/refuse).
func (s *Server) pageDPOErasureRefuse(c *fiber.Ctx) error { return s.pageDPOErasureDecide(c, false) }

func (s *Server) pageDPOErasureDecide(c *fiber.Ctx, approve bool) error {
	rid := edge.Param(c, "rid")
	reason := ""
	if approve {
		if formValue(c, "confirm") != "yes" {
			return s.renderDPOErasureRequests(c, fiber.StatusUnprocessableEntity, rid, map[string]string{"confirm": "invalid.erasure_confirm"})
		}
	} else {
		reason = formValue(c, "reason")
	}
	_, _, err := s.Store.DecideErasure(c.UserContext(), edge.Actor(c), rid, approve, reason)
	switch {
	case err == nil && approve:
		return s.redirect(c, "/dpo/erasure-requests", "flash.erasure_approved")
	case err == nil:
		return s.redirect(c, "/dpo/erasure-requests", "flash.erasure_refused")
	case isCode(err, records.EINVALID):
		return s.renderDPOErasureRequests(c, fiber.StatusUnprocessableEntity, rid, map[string]string{"reason": "invalid.erasure_reason"})
	case isCode(err, records.ECONFLICT):
		// Decided already, or the client is under a legal hold.
		field := "reason"
		if approve {
			field = "confirm"
		}
		return s.renderDPOErasureRequests(c, fiber.StatusConflict, rid, map[string]string{field: "invalid.erasure_conflict"})
	}
	return err
}
