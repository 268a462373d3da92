package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/nabij/nabij/app/edge"
)

// pageDPOStatistics shows the anonymised statistics (GET /statistics): only
// clients who consented count, and cells of fewer than 5 clients show no number.
func (s *Server) pageDPOStatistics(c *fiber.Ctx) error {
	st, err := s.consent().Statistics(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	v := s.view(c, "dpo_statistics.title")
	v.Data = st
	return s.render(c, fiber.StatusOK, "dpo_statistics", v)
}
