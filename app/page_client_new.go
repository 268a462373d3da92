package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

var clientFields = []string{"name", "birth_date", "contact"}

func (s *Server) pageClientNew(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "client_new", s.view(c, "client_new.title"))
}

// pageClientCreate adds a client; records puts them on the professional's
// caseload.
func (s *Server) pageClientCreate(c *fiber.Ctx) error {
	in := formValues(c, clientFields...)
	in["name"] = strings.TrimSpace(in["name"])
	cl, err := s.Store.CreateClient(c.UserContext(), edge.Actor(c), records.NewClient{Name: in["name"],
		BirthDate: strings.TrimSpace(in["birth_date"]), Contact: strings.TrimSpace(in["contact"])})
	if err != nil {
		errs, ok := formErrors(err, clientFields, nil, nil)
		if !ok {
			return err
		}
		v := s.view(c, "client_new.title")
		v.Errors, v.Form = errs, in
		return s.render(c, fiber.StatusUnprocessableEntity, "client_new", v)
	}
	return s.redirect(c, "/clients/"+cl.ID, "flash.client_created")
}
