package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

var holdFields = []string{"client_id", "trajectory_id", "reason"}

// pageDPOLegalHolds lists the legal holds, active first, each active one with
// a lift button, and a form to place one (GET /legal-holds; recorded).
func (s *Server) pageDPOLegalHolds(c *fiber.Ctx) error {
	return s.renderDPOLegalHolds(c, fiber.StatusOK, nil, nil)
}

func (s *Server) renderDPOLegalHolds(c *fiber.Ctx, status int, errs, form map[string]string) error {
	list, err := s.Store.LegalHolds(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	v := s.view(c, "dpo_holds.title")
	v.Errors, v.Form = errs, form
	v.Data = struct{ Holds []records.LegalHold }{list}
	return s.render(c, status, "dpo_holds", v)
}

// pageDPOLegalHoldPlace places a hold on a client or a trajectory, with a
// reason (POST /legal-holds).
func (s *Server) pageDPOLegalHoldPlace(c *fiber.Ctx) error {
	in := formValues(c, holdFields...)
	clientID, trajID := strings.TrimSpace(in["client_id"]), strings.TrimSpace(in["trajectory_id"])
	_, err := s.Store.PlaceLegalHold(c.UserContext(), edge.Actor(c), clientID, trajID, in["reason"])
	if err == nil {
		return s.redirect(c, "/dpo/legal-holds", "flash.hold_placed")
	}
	if isCode(err, records.ENOTFOUND) {
		if trajID != "" {
			return s.renderDPOLegalHolds(c, fiber.StatusUnprocessableEntity, map[string]string{"trajectory_id": "invalid.trajectory_id_unknown"}, in)
		}
		return s.renderDPOLegalHolds(c, fiber.StatusUnprocessableEntity, map[string]string{"client_id": "invalid.client_id_unknown"}, in)
	}
	errs, ok := formErrors(err, holdFields, nil, map[string]string{"client_id": "invalid.hold_target", "reason": "invalid.hold_reason"})
	if !ok {
		return err
	}
	return s.renderDPOLegalHolds(c, fiber.StatusUnprocessableEntity, errs, in)
}
