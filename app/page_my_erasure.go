package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type myErasureView struct {
	Requests []records.ErasureRequest
	Pending  bool
}

// pageMyErasure explains erasure in plain words, offers the request, and
// shows the outcome of earlier requests (as GET /me/erasure-requests).
func (s *Server) pageMyErasure(c *fiber.Ctx) error {
	return s.renderMyErasure(c, fiber.StatusOK, nil)
}

func (s *Server) renderMyErasure(c *fiber.Ctx, status int, errs map[string]string) error {
	a := edge.Actor(c)
	list, err := s.Store.ErasureRequests(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	d := myErasureView{Requests: list}
	for _, r := range list {
		d.Pending = d.Pending || r.Status == records.ErasurePending
	}
	v := s.view(c, "my_erasure.title")
	v.Errors, v.Data = errs, d
	return s.render(c, status, "my_erasure", v)
}
