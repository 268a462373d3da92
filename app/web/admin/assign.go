package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// assign puts a client (by id) on the caseload of a professional or
// a team.
func (h *Handler) assign(c *fiber.Ctx) error {
	in := web.FormValues(c, "client_id", "target")
	in["client_id"] = strings.TrimSpace(in["client_id"])
	refuse := func(errs map[string]string) error {
		return h.renderCaseloads(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	if in["client_id"] == "" {
		return refuse(map[string]string{"client_id": "invalid.client_id_required"})
	}
	var userID, teamID string
	kind, id, _ := strings.Cut(in["target"], ":")
	switch kind {
	case "user":
		userID = id
	case "team":
		teamID = id
	default:
		return refuse(map[string]string{"target": "invalid.target"})
	}
	if _, err := h.Store.Assign(c.UserContext(), edge.Actor(c), in["client_id"], userID, teamID); err != nil {
		if records.ErrorCode(err) == records.ENOTFOUND {
			return refuse(map[string]string{"client_id": "invalid.client_id_unknown"})
		}
		errs, ok := web.FormErrors(err, []string{"client_id", "target"},
			map[string]string{"user_id": "target", "team_id": "target"},
			map[string]string{"client_id": "invalid.client_id_unknown"})
		if !ok {
			return err
		}
		return refuse(errs)
	}
	return h.Redirect(c, "/admin/caseloads", "flash.assigned")
}
