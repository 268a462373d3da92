package client

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
)

// access shows the client who read their file, when and why, and
// whether emergency access was used (NEN 7513). Reading it is recorded too.
func (h *Handler) access(c *fiber.Ctx) error {
	a := edge.Actor(c)
	before, err := web.PageBefore(c)
	if err != nil {
		return err
	}
	list, err := h.Store.ClientAccessLog(c.UserContext(), a, a.ClientID, before, web.AccessPageSize)
	if err != nil {
		return err
	}
	v := h.View(c, "my_access.title")
	rows := web.AccessRows(list, a, web.T(v.Lang, "access.you"))
	web.EventSentences(rows, v.Lang)
	v.Data = web.AccessView{Rows: rows, Older: web.OlderURL("/my/access", url.Values{}, rows)}
	return h.Render(c, fiber.StatusOK, "my_access", v)
}
