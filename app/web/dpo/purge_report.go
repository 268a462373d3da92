package dpo

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
)

// purgeReport shows one purge report line by line: case code, kind,
// action, count, record ids and the rule that applied.
func (h *Handler) purgeReport(c *fiber.Ctx) error {
	list, err := h.Store.PurgeReports(c.UserContext(), edge.Actor(c), time.Time{})
	if err != nil {
		return err
	}
	id := edge.Param(c, "rid")
	for _, r := range list {
		if r.RunID == id {
			codes, err := h.CaseCodes(c)
			if err != nil {
				return err
			}
			v := h.View(c, "dpo_purge_report.title")
			v.Data = struct {
				purgeReportRow
				Codes web.CaseCodes
			}{purgeRow(r), codes}
			return h.Render(c, fiber.StatusOK, "dpo_purge_report", v)
		}
	}
	return fiber.ErrNotFound
}
