package app

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/nabij/nabij/app/edge"
)

// pageDPOPurgeReport shows one purge report line by line: client id, kind,
// action, count, record ids and the rule that applied.
func (s *Server) pageDPOPurgeReport(c *fiber.Ctx) error {
	list, err := s.Store.PurgeReports(c.UserContext(), edge.Actor(c), time.Time{})
	if err != nil {
		return err
	}
	id := edge.Param(c, "rid")
	for _, r := range list {
		if r.RunID == id {
			v := s.view(c, "dpo_purge_report.title")
			v.Data = purgeRow(r)
			return s.render(c, fiber.StatusOK, "dpo_purge_report", v)
		}
	}
	return fiber.ErrNotFound
}
