package dpo

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

// verify walks the whole access log and shows OK or where it broke.
// It reads no client data.
func (h *Handler) verify(c *fiber.Ctx) error {
	rep, err := h.Store.VerifyAccessLog(c.UserContext(), nil)
	if err != nil {
		return err
	}
	v := h.View(c, "dpo_verify.title")
	v.Data = verifyView{OK: rep.OK, Records: rep.Records, Checkpoints: rep.Checkpoints, BrokenAt: rep.BrokenAt,
		Problem: rep.Problem, LastCheckpoint: rep.LastCheckpoint, Before: strconv.FormatInt(rep.BrokenAt+5, 10),
		CheckedAt: h.Now()}
	return h.Render(c, fiber.StatusOK, "dpo_verify", v)
}
