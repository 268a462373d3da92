package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// teamCreate adds a team.
func (h *Handler) teamCreate(c *fiber.Ctx) error {
	in := web.FormValues(c, "name")
	in["name"] = strings.TrimSpace(in["name"])
	if _, err := h.Store.CreateTeam(c.UserContext(), edge.Actor(c), in["name"]); err != nil {
		if records.ErrorCode(err) == records.ECONFLICT {
			return h.renderTeams(c, fiber.StatusConflict, map[string]string{"name": "invalid.team_name_taken"}, in)
		}
		errs, ok := web.FormErrors(err, []string{"name"}, nil, nil)
		if !ok {
			return err
		}
		return h.renderTeams(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	return h.Redirect(c, "/admin/teams", "flash.team_created")
}
