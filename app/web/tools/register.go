package tools

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type registerView struct {
	Tools    []records.Tool
	Unlisted []records.UnlistedTool
	Keeper   bool
}

// register shows the register of digital tools (GET /tools): every tool
// with where its data lives, encryption, accessibility, languages, cost, the
// quality checklist and the verdict. Admins and the data officer also get
// the links to add and change entries, and the tools named on contacts that
// are not in the register yet.
func (h *Handler) register(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), edge.Actor(c)
	list, err := h.Store.Tools(ctx, a)
	if err != nil {
		return err
	}
	rv := registerView{Tools: list, Keeper: keeps(a)}
	if rv.Keeper {
		if rv.Unlisted, err = h.Store.UnlistedTools(ctx, a); err != nil {
			return err
		}
	}
	v := h.View(c, "tools.title")
	v.Data = rv
	return h.Render(c, fiber.StatusOK, "tools", v)
}
