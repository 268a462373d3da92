package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// teamMember adds a professional to a team. A refusal is shown next
// to that team's select (field user_id-<team id>).
func (h *Handler) teamMember(c *fiber.Ctx) error {
	tid := edge.Param(c, "tid")
	uid := web.FormValue(c, "user_id")
	if err := h.Store.AddTeamMember(c.UserContext(), edge.Actor(c), tid, uid); err != nil {
		if code := records.ErrorCode(err); code != records.EINVALID && code != records.ECONFLICT {
			return err
		}
		field := "user_id-" + tid
		return h.renderTeams(c, fiber.StatusUnprocessableEntity, map[string]string{field: "invalid.user_id"},
			map[string]string{field: uid})
	}
	return h.Redirect(c, "/admin/teams", "flash.member_added")
}
