package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// pageAdminTeamCreate adds a team.
func (s *Server) pageAdminTeamCreate(c *fiber.Ctx) error {
	in := formValues(c, "name")
	in["name"] = strings.TrimSpace(in["name"])
	if _, err := s.Store.CreateTeam(c.UserContext(), edge.Actor(c), in["name"]); err != nil {
		if records.ErrorCode(err) == records.ECONFLICT {
			return s.renderAdminTeams(c, fiber.StatusConflict, map[string]string{"name": "invalid.team_name_taken"}, in)
		}
		errs, ok := formErrors(err, []string{"name"}, nil, nil)
		if !ok {
			return err
		}
		return s.renderAdminTeams(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	return s.redirect(c, "/admin/teams", "flash.team_created")
}
