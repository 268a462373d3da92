package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

var handoverFields = []string{"from", "to", "until", "mode"}

// handoverSave moves or shares a caseload until the last day given (POST
// /admin/handovers), in one step.
func (h *Handler) handoverSave(c *fiber.Ctx) error {
	in := web.FormValues(c, handoverFields...)
	refuse := func(errs map[string]string) error {
		return h.renderHandovers(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	day, err := ui.ParseDateInput(in["until"])
	if err != nil {
		return refuse(map[string]string{"until": "invalid.handover_until"})
	}
	_, err = h.Store.HandOver(c.UserContext(), edge.Actor(c), records.NewHandover{From: in["from"], To: in["to"], Mode: in["mode"],
		Until: records.HandoverUntil(day)})
	if err == nil {
		return h.Redirect(c, "/admin/handovers", "flash.handover_done")
	}
	if web.IsCode(err, records.ENOTFOUND) {
		return refuse(map[string]string{"from": "invalid.handover_empty"})
	}
	errs, ok := web.FormErrors(err, handoverFields, nil, map[string]string{"from": "invalid.handover_from", "to": "invalid.handover_to",
		"until": "invalid.handover_until", "mode": "invalid.handover_mode"})
	if !ok {
		return err
	}
	return refuse(errs)
}
