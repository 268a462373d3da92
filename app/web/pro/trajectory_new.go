package pro

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

var trajectoryFields = []string{"goal", "opened_at"}

type clientNameView struct{ ClientID, Name string }

func (h *Handler) trajectoryNew(c *fiber.Ctx) error {
	return h.renderTrajectoryNew(c, fiber.StatusOK, nil, nil)
}

// renderTrajectoryNew shows the form with the client's name: reading it is
// recorded like any read of the client's identity.
func (h *Handler) renderTrajectoryNew(c *fiber.Ctx, status int, errs, form map[string]string) error {
	id := edge.Param(c, "id")
	cl, err := h.Store.Client(c.UserContext(), edge.Actor(c), records.PurposeCare, id)
	if err != nil {
		return err
	}
	v := h.View(c, "trajectory_new.title")
	v.Errors, v.Form = errs, form
	v.Data = clientNameView{ClientID: cl.ID, Name: cl.Name}
	return h.Render(c, status, "trajectory_new", v)
}

func (h *Handler) trajectoryCreate(c *fiber.Ctx) error {
	in := web.FormValues(c, trajectoryFields...)
	nt := records.NewTrajectory{Goal: strings.TrimSpace(in["goal"])}
	if d := strings.TrimSpace(in["opened_at"]); d != "" {
		t, err := ui.ParseDateInput(d)
		if err != nil {
			return h.renderTrajectoryNew(c, fiber.StatusUnprocessableEntity, map[string]string{"opened_at": "invalid.date"}, in)
		}
		nt.OpenedAt = &t
	}
	id := edge.Param(c, "id")
	if _, err := h.Store.CreateTrajectory(c.UserContext(), edge.Actor(c), id, nt); err != nil {
		errs, ok := web.FormErrors(err, trajectoryFields, nil, nil)
		if !ok {
			return err
		}
		return h.renderTrajectoryNew(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	return h.Redirect(c, "/clients/"+id, "flash.trajectory_created")
}
