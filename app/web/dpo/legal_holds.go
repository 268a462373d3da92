package dpo

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

var holdFields = []string{"client_id", "trajectory_id", "reason"}

// legalHolds lists the legal holds, active first, each active one with
// a lift button, and a form to place one (GET /legal-holds; recorded).
func (h *Handler) legalHolds(c *fiber.Ctx) error {
	return h.renderLegalHolds(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderLegalHolds(c *fiber.Ctx, status int, errs, form map[string]string) error {
	list, err := h.Store.LegalHolds(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	v := h.View(c, "dpo_holds.title")
	v.Errors, v.Form = errs, form
	v.Data = struct{ Holds []records.LegalHold }{list}
	return h.Render(c, status, "dpo_holds", v)
}

// legalHoldPlace places a hold on a client or a trajectory, with a
// reason (POST /legal-holds).
func (h *Handler) legalHoldPlace(c *fiber.Ctx) error {
	in := web.FormValues(c, holdFields...)
	clientID, trajID := strings.TrimSpace(in["client_id"]), strings.TrimSpace(in["trajectory_id"])
	_, err := h.Store.PlaceLegalHold(c.UserContext(), edge.Actor(c), clientID, trajID, in["reason"])
	if err == nil {
		return h.Redirect(c, "/dpo/legal-holds", "flash.hold_placed")
	}
	if web.IsCode(err, records.ENOTFOUND) {
		if trajID != "" {
			return h.renderLegalHolds(c, fiber.StatusUnprocessableEntity, map[string]string{"trajectory_id": "invalid.trajectory_id_unknown"}, in)
		}
		return h.renderLegalHolds(c, fiber.StatusUnprocessableEntity, map[string]string{"client_id": "invalid.client_id_unknown"}, in)
	}
	errs, ok := web.FormErrors(err, holdFields, nil, map[string]string{"client_id": "invalid.hold_target", "reason": "invalid.hold_reason"})
	if !ok {
		return err
	}
	return h.renderLegalHolds(c, fiber.StatusUnprocessableEntity, errs, in)
}
