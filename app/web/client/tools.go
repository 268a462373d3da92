package client

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// tools shows the client the tools used in their care (GET /my/tools): the
// apps and sites named on their contacts and consents or recommended to
// them, each with where its data lives and whether it is end-to-end
// encrypted, in plain words. The read is recorded.
func (h *Handler) tools(c *fiber.Ctx) error {
	a := edge.Actor(c)
	list, err := h.Store.ClientTools(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	v := h.View(c, "my_tools.title")
	v.Data = struct{ Tools []records.ClientTool }{list}
	return h.Render(c, fiber.StatusOK, "my_tools", v)
}
