package app

import (
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/nabij/nabij/app/edge"
)

type myConsentsView struct {
	Consents []consentRow
}

// pageMyConsents shows the client what they said yes to, each valid consent
// with a one-step withdraw button, and a form to give a consent online.
// Reading the list is recorded (GET /me/consents does the same).
func (s *Server) pageMyConsents(c *fiber.Ctx) error {
	return s.renderMyConsents(c, fiber.StatusOK, nil, map[string]string{"purpose": formQuery(c, "purpose")})
}

func (s *Server) renderMyConsents(c *fiber.Ctx, status int, errs, form map[string]string) error {
	a := edge.Actor(c)
	list, err := s.consent().List(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	v := s.view(c, "my_consents.title")
	v.Errors, v.Form = errs, form
	v.Data = myConsentsView{Consents: consentRows(list, v.CSRF, func(id string) string {
		return "/my/consents/" + url.PathEscape(id) + "/withdraw"
	})}
	return s.render(c, status, "my_consents", v)
}
