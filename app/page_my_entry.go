package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/nabij/nabij/app/edge"
)

func (s *Server) pageMyEntry(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "my_entry", s.view(c, "my_entry.title"))
}

// pageMyEntryCreate adds the client's own text to their file.
func (s *Server) pageMyEntryCreate(c *fiber.Ctx) error {
	a := edge.Actor(c)
	in := formValues(c, "body")
	if _, err := s.Store.CreateEntry(c.UserContext(), a, a.ClientID, strings.TrimSpace(in["body"])); err != nil {
		errs, ok := formErrors(err, []string{"body"}, nil, map[string]string{"body": "invalid.entry_body"})
		if !ok {
			return err
		}
		v := s.view(c, "my_entry.title")
		v.Errors, v.Form = errs, in
		return s.render(c, fiber.StatusUnprocessableEntity, "my_entry", v)
	}
	return s.redirect(c, "/my/file", "flash.entry_created")
}
