package client

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
)

func (h *Handler) entry(c *fiber.Ctx) error {
	return h.Render(c, fiber.StatusOK, "my_entry", h.View(c, "my_entry.title"))
}

// entryCreate adds the client's own text to their file.
func (h *Handler) entryCreate(c *fiber.Ctx) error {
	a := edge.Actor(c)
	in := web.FormValues(c, "body")
	if _, err := h.Store.CreateEntry(c.UserContext(), a, a.ClientID, strings.TrimSpace(in["body"])); err != nil {
		errs, ok := web.FormErrors(err, []string{"body"}, nil, map[string]string{"body": "invalid.entry_body"})
		if !ok {
			return err
		}
		v := h.View(c, "my_entry.title")
		v.Errors, v.Form = errs, in
		return h.Render(c, fiber.StatusUnprocessableEntity, "my_entry", v)
	}
	return h.Redirect(c, "/my/file", "flash.entry_created")
}
