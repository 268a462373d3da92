package client

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type myErasureView struct {
	Requests []records.ErasureRequest
	Pending  bool
}

// erasure explains erasure in plain words, offers the request, and
// shows the outcome of earlier requests (as GET /me/erasure-requests).
func (h *Handler) erasure(c *fiber.Ctx) error {
	return h.renderErasure(c, fiber.StatusOK, nil)
}

func (h *Handler) renderErasure(c *fiber.Ctx, status int, errs map[string]string) error {
	a := edge.Actor(c)
	list, err := h.Store.ErasureRequests(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	d := myErasureView{Requests: list}
	for _, r := range list {
		d.Pending = d.Pending || r.Status == records.ErasurePending
	}
	v := h.View(c, "my_erasure.title")
	v.Errors, v.Data = errs, d
	return h.Render(c, status, "my_erasure", v)
}
