package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// pageAdminTeamMember adds a professional to a team. A refusal is shown next
// to that team's select (field user_id-<team id>).
func (s *Server) pageAdminTeamMember(c *fiber.Ctx) error {
	tid := edge.Param(c, "tid")
	uid := formValue(c, "user_id")
	if err := s.Store.AddTeamMember(c.UserContext(), edge.Actor(c), tid, uid); err != nil {
		if code := records.ErrorCode(err); code != records.EINVALID && code != records.ECONFLICT {
			return err
		}
		field := "user_id-" + tid
		return s.renderAdminTeams(c, fiber.StatusUnprocessableEntity, map[string]string{field: "invalid.user_id"},
			map[string]string{field: uid})
	}
	return s.redirect(c, "/admin/teams", "flash.member_added")
}
