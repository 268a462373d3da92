package client

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
)

type myConsentsView struct {
	Consents []web.ConsentRow
}

// consents shows the client what they said yes to, each valid consent
// with a one-step withdraw button, and a form to give a consent online.
// Reading the list is recorded (GET /me/consents does the same).
func (h *Handler) consents(c *fiber.Ctx) error {
	return h.renderConsents(c, fiber.StatusOK, nil, map[string]string{"purpose": web.FormQuery(c, "purpose")})
}

func (h *Handler) renderConsents(c *fiber.Ctx, status int, errs, form map[string]string) error {
	a := edge.Actor(c)
	list, err := h.Consent().List(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	v := h.View(c, "my_consents.title")
	v.Errors, v.Form = errs, form
	v.Data = myConsentsView{Consents: web.ConsentRows(list, v.CSRF, func(id string) string {
		return "/my/consents/" + url.PathEscape(id) + "/withdraw"
	})}
	return h.Render(c, status, "my_consents", v)
}
