package pro

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type caseloadRow struct {
	ID, Name, Code   string
	ConsentMissing   int
	Last, Next       time.Time
	OpenTrajectories int
	Team             bool
}

// caseload lists the professional's clients. Showing a name is a read:
// records writes one access record per client listed.
func (h *Handler) caseload(c *fiber.Ctx) error {
	list, err := h.Store.Caseload(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	rows := make([]caseloadRow, 0, len(list))
	for _, e := range list {
		r := caseloadRow{ID: e.ClientID, Name: e.Name, Code: e.CaseCode, ConsentMissing: e.ConsentMissing,
			OpenTrajectories: e.OpenTrajectories, Team: e.Rule == records.RuleTeamCaseload}
		if e.LastContact != nil {
			r.Last = *e.LastContact
		}
		if e.NextContact != nil {
			r.Next = *e.NextContact
		}
		rows = append(rows, r)
	}
	v := h.View(c, "caseload.title")
	v.Data = struct{ Clients []caseloadRow }{rows}
	return h.Render(c, fiber.StatusOK, "caseload", v)
}
