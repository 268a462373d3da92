package pro

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

var clientFields = []string{"name", "birth_date", "contact"}

func (h *Handler) clientNew(c *fiber.Ctx) error {
	return h.Render(c, fiber.StatusOK, "client_new", h.View(c, "client_new.title"))
}

// clientCreate adds a client; records puts them on the professional's
// caseload.
func (h *Handler) clientCreate(c *fiber.Ctx) error {
	in := web.FormValues(c, clientFields...)
	in["name"] = strings.TrimSpace(in["name"])
	cl, err := h.Store.CreateClient(c.UserContext(), edge.Actor(c), records.NewClient{Name: in["name"],
		BirthDate: strings.TrimSpace(in["birth_date"]), Contact: strings.TrimSpace(in["contact"])})
	if err != nil {
		errs, ok := web.FormErrors(err, clientFields, nil, nil)
		if !ok {
			return err
		}
		v := h.View(c, "client_new.title")
		v.Errors, v.Form = errs, in
		return h.Render(c, fiber.StatusUnprocessableEntity, "client_new", v)
	}
	return h.Redirect(c, "/clients/"+cl.ID, "flash.client_created")
}
