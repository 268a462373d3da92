package dpo

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type purgeReportRow struct {
	records.PurgeReport
	Destroyed, Anonymised, Held int // records, summed over the items
}

func purgeRow(r records.PurgeReport) purgeReportRow {
	row := purgeReportRow{PurgeReport: r}
	for _, it := range r.Items {
		switch it.Action {
		case records.ActionAnonymise:
			row.Anonymised += it.Count
		case records.PurgeHeld, records.PurgeNoBirthDate:
			row.Held += it.Count
		default:
			row.Destroyed += it.Count
		}
	}
	return row
}

// purgeReports lists the purge reports, newest first: what retention
// runs and approved erasures destroyed — kinds, counts, ids, rule, time, never
// content (GET /purge-reports; recorded).
func (h *Handler) purgeReports(c *fiber.Ctx) error {
	list, err := h.Store.PurgeReports(c.UserContext(), edge.Actor(c), time.Time{})
	if err != nil {
		return err
	}
	rows := make([]purgeReportRow, len(list))
	for i, r := range list {
		rows[i] = purgeRow(r)
	}
	v := h.View(c, "dpo_purge.title")
	v.Data = struct{ Reports []purgeReportRow }{rows}
	return h.Render(c, fiber.StatusOK, "dpo_purge_reports", v)
}
