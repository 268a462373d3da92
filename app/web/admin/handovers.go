package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type handoversView struct {
	Handovers     []records.Handover
	Professionals []option
}

// handovers lists the handovers, newest first, with a form to move or
// share a professional's caseload with another until a date (GET
// /admin/handovers).
func (h *Handler) handovers(c *fiber.Ctx) error {
	return h.renderHandovers(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderHandovers(c *fiber.Ctx, status int, errs, form map[string]string) error {
	ctx, a := c.UserContext(), edge.Actor(c)
	list, err := h.Store.Handovers(ctx, a)
	if err != nil {
		return err
	}
	users, err := h.Store.Users(ctx, a)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"mode": records.HandoverShare}
	}
	v := h.View(c, "staff.handover_title")
	v.Errors, v.Form = errs, form
	v.Data = handoversView{Handovers: list, Professionals: professionals(users)}
	return h.Render(c, status, "admin_handovers", v)
}
