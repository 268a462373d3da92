// Package network holds the one page of a member of a client's network: the
// plan of the client who invited them, to read. Nothing else of the file.
package network

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// Handler serves the network member's page.
type Handler struct{ *web.Handler }

// Routes registers the network member's page on p behind the role check
// m.Allow(records.RoleNetwork).
func (h *Handler) Routes(p web.Pages, m edge.Middleware) {
	p.Get("/network/plan", m.Allow(records.RoleNetwork), h.plan)
}

// plan shows the plan of the client who invited the member, read through
// the network rule (recorded, and shown to the client); refused once the
// client ended the access.
func (h *Handler) plan(c *fiber.Ctx) error {
	p, err := h.Store.NetworkPlan(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	v := h.View(c, "network_plan.title")
	v.Data = p
	return h.Render(c, fiber.StatusOK, "network_plan", v)
}
