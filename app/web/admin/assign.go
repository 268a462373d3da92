package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// assign puts a client (picked by case code) on the caseload of a
// professional or a team.
func (h *Handler) assign(c *fiber.Ctx) error {
	in := web.FormValues(c, "client", "target")
	in["client"] = strings.TrimSpace(in["client"])
	refuse := func(errs map[string]string) error {
		return h.renderCaseloads(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	if in["client"] == "" {
		return refuse(map[string]string{"client": "invalid.case_code_required"})
	}
	codes, err := h.CaseCodes(c)
	if err != nil {
		return err
	}
	clientID, ok := codes.Resolve(in["client"])
	if !ok {
		return refuse(map[string]string{"client": "invalid.case_code_unknown"})
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
	if _, err := h.Store.Assign(c.UserContext(), edge.Actor(c), clientID, userID, teamID); err != nil {
		if records.ErrorCode(err) == records.ENOTFOUND {
			return refuse(map[string]string{"client": "invalid.case_code_unknown"})
		}
		errs, ok := web.FormErrors(err, []string{"client", "target"},
			map[string]string{"user_id": "target", "team_id": "target", "client_id": "client"},
			map[string]string{"client_id": "invalid.case_code_unknown"})
		if !ok {
			return err
		}
		return refuse(errs)
	}
	return h.Redirect(c, "/admin/caseloads", "flash.assigned")
}
