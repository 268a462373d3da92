package app

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

type verifyView struct {
	OK             bool
	Records        int64
	Checkpoints    int
	BrokenAt       int64
	Problem        string
	LastCheckpoint int64
	Before         string // ?before= for the records around the break
	CheckedAt      time.Time
}

// pageDPOVerify walks the whole access log and shows OK or where it broke.
// It reads no client data.
func (s *Server) pageDPOVerify(c *fiber.Ctx) error {
	rep, err := s.Store.VerifyAccessLog(c.UserContext(), nil)
	if err != nil {
		return err
	}
	v := s.view(c, "dpo_verify.title")
	v.Data = verifyView{OK: rep.OK, Records: rep.Records, Checkpoints: rep.Checkpoints, BrokenAt: rep.BrokenAt,
		Problem: rep.Problem, LastCheckpoint: rep.LastCheckpoint, Before: strconv.FormatInt(rep.BrokenAt+5, 10),
		CheckedAt: s.cfg.Now()}
	return s.render(c, fiber.StatusOK, "dpo_verify", v)
}
