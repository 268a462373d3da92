package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// pageMyFile is the client's own file in plain language: shared notes in
// full, restricted notes as "there is a note here" with the reason, and no
// professionals' personal notes (unless the jurisdiction opens them).
func (s *Server) pageMyFile(c *fiber.Ctx) error {
	a := edge.Actor(c)
	f, err := s.Store.ClientFile(c.UserContext(), a, records.PurposeOwnFile, a.ClientID)
	if err != nil {
		return err
	}
	v := s.view(c, "my_file.title")
	v.Data = buildFileView(f, v.Lang, a, s.cfg.Now(), true)
	return s.render(c, fiber.StatusOK, "my_file", v)
}
