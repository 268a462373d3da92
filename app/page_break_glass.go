package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

type breakGlassView struct {
	ClientID string
	Hours    int
}

// pageBreakGlass asks for the reason for emergency access. It shows no
// client data: the professional has no access yet.
func (s *Server) pageBreakGlass(c *fiber.Ctx) error {
	return s.renderBreakGlass(c, fiber.StatusOK, nil, nil)
}

func (s *Server) renderBreakGlass(c *fiber.Ctx, status int, errs, form map[string]string) error {
	v := s.view(c, "break_glass.title")
	v.Errors, v.Form = errs, form
	v.Data = breakGlassView{ClientID: edge.Param(c, "id"), Hours: int(records.BreakGlassDuration.Hours())}
	return s.render(c, status, "break_glass", v)
}

// pageBreakGlassOpen grants time-limited emergency access with a reason;
// records flags it to the data officer and shows it to the client.
func (s *Server) pageBreakGlassOpen(c *fiber.Ctx) error {
	in := formValues(c, "reason")
	id := edge.Param(c, "id")
	_, err := s.Store.BreakGlass(c.UserContext(), edge.Actor(c), id, strings.TrimSpace(in["reason"]))
	switch {
	case err == nil:
		return s.redirect(c, "/clients/"+id, "flash.break_glass")
	case records.ErrorCode(err) == records.ECONFLICT:
		return s.renderBreakGlass(c, fiber.StatusConflict, map[string]string{ui.FormError: "error.break_glass_not_needed"}, in)
	}
	errs, ok := formErrors(err, []string{"reason"}, nil, nil)
	if !ok {
		return err
	}
	return s.renderBreakGlass(c, fiber.StatusUnprocessableEntity, errs, in)
}
