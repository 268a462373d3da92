package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

var trajectoryFields = []string{"goal", "opened_at"}

type clientNameView struct{ ClientID, Name string }

func (s *Server) pageTrajectoryNew(c *fiber.Ctx) error {
	return s.renderTrajectoryNew(c, fiber.StatusOK, nil, nil)
}

// renderTrajectoryNew shows the form with the client's name: reading it is
// recorded like any read of the client's identity.
func (s *Server) renderTrajectoryNew(c *fiber.Ctx, status int, errs, form map[string]string) error {
	id := edge.Param(c, "id")
	cl, err := s.Store.Client(c.UserContext(), edge.Actor(c), records.PurposeCare, id)
	if err != nil {
		return err
	}
	v := s.view(c, "trajectory_new.title")
	v.Errors, v.Form = errs, form
	v.Data = clientNameView{ClientID: cl.ID, Name: cl.Name}
	return s.render(c, status, "trajectory_new", v)
}

func (s *Server) pageTrajectoryCreate(c *fiber.Ctx) error {
	in := formValues(c, trajectoryFields...)
	nt := records.NewTrajectory{Goal: strings.TrimSpace(in["goal"])}
	if d := strings.TrimSpace(in["opened_at"]); d != "" {
		t, err := ui.ParseDateInput(d)
		if err != nil {
			return s.renderTrajectoryNew(c, fiber.StatusUnprocessableEntity, map[string]string{"opened_at": "invalid.date"}, in)
		}
		nt.OpenedAt = &t
	}
	id := edge.Param(c, "id")
	if _, err := s.Store.CreateTrajectory(c.UserContext(), edge.Actor(c), id, nt); err != nil {
		errs, ok := formErrors(err, trajectoryFields, nil, nil)
		if !ok {
			return err
		}
		return s.renderTrajectoryNew(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	return s.redirect(c, "/clients/"+id, "flash.trajectory_created")
}
