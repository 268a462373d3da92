package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
)

// userTeamLead gives or takes a professional's team-lead flag
// (POST /admin/users/{uid}/team-lead, team_lead=yes|no); recorded.
func (h *Handler) userTeamLead(c *fiber.Ctx) error {
	lead := web.FormValue(c, "team_lead") == "yes"
	if err := h.Store.SetTeamLead(c.UserContext(), edge.Actor(c), edge.Param(c, "uid"), lead); err != nil {
		return err
	}
	flash := "flash.team_lead_off"
	if lead {
		flash = "flash.team_lead_on"
	}
	return h.Redirect(c, "/admin/users", flash)
}
