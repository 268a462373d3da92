package client

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// file is the client's own file in plain language: shared notes in
// full, restricted notes as "there is a note here" with the reason, and no
// professionals' personal notes (unless the jurisdiction opens them).
func (h *Handler) file(c *fiber.Ctx) error {
	a := edge.Actor(c)
	f, err := h.Store.ClientFile(c.UserContext(), a, records.PurposeOwnFile, a.ClientID)
	if err != nil {
		return err
	}
	v := h.View(c, "my_file.title")
	v.Data = web.BuildFileView(f, v.Lang, a, h.Now(), true)
	return h.Render(c, fiber.StatusOK, "my_file", v)
}
