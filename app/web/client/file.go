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
	p, err := edge.FilePage(c)
	if err != nil {
		return err
	}
	f, err := h.Store.ClientFilePage(c.UserContext(), a, records.PurposeOwnFile, a.ClientID, p)
	if err != nil {
		return err
	}
	v := h.View(c, "my_file.title")
	fv := web.BuildFileView(f, v.Lang, a, h.Now(), true)
	fv.SetPager("/my/file", f, p.Limit)
	v.Data = fv
	return h.Render(c, fiber.StatusOK, "my_file", v)
}
