package pro

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

type breakGlassView struct {
	ClientID string
	Hours    int
}

// breakGlass asks for the reason for emergency access. It shows no
// client data: the professional has no access yet.
func (h *Handler) breakGlass(c *fiber.Ctx) error {
	return h.renderBreakGlass(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderBreakGlass(c *fiber.Ctx, status int, errs, form map[string]string) error {
	v := h.View(c, "break_glass.title")
	v.Errors, v.Form = errs, form
	v.Data = breakGlassView{ClientID: edge.Param(c, "id"), Hours: int(records.BreakGlassDuration.Hours())}
	return h.Render(c, status, "break_glass", v)
}

// breakGlassOpen grants time-limited emergency access with a reason;
// records flags it to the data officer and shows it to the client.
func (h *Handler) breakGlassOpen(c *fiber.Ctx) error {
	in := web.FormValues(c, "reason")
	id := edge.Param(c, "id")
	_, err := h.Store.BreakGlass(c.UserContext(), edge.Actor(c), id, strings.TrimSpace(in["reason"]))
	switch {
	case err == nil:
		return h.Redirect(c, "/clients/"+id, "flash.break_glass")
	case records.ErrorCode(err) == records.ECONFLICT:
		return h.renderBreakGlass(c, fiber.StatusConflict, map[string]string{ui.FormError: "error.break_glass_not_needed"}, in)
	}
	errs, ok := web.FormErrors(err, []string{"reason"}, nil, nil)
	if !ok {
		return err
	}
	return h.renderBreakGlass(c, fiber.StatusUnprocessableEntity, errs, in)
}
