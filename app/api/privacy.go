package api

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/nabij/nabij/app/edge"
)

// myPrivacy is the client's privacy at a glance: has_access, reads_by_person
// (the client's own reads only with ?own=1), shared and kept_until. One read
// through the store's gate, recorded as kind privacy.
func (h *Handler) myPrivacy(c *fiber.Ctx) error {
	own := false
	switch v := utils.CopyString(c.Query("own")); v {
	case "", "0", "false":
	case "1", "true":
		own = true
	default:
		return edge.InvalidField("own", "own must be 1 or 0")
	}
	a := edge.Actor(c)
	p, err := h.consent().Privacy(c.UserContext(), a, a.ClientID, own)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, p)
}

type workContactRequest struct {
	WorkContact string `json:"work_contact"`
}

// setWorkContact sets how a professional is reached at work: the admin for
// any professional, a professional for themselves (the store checks which).
func (h *Handler) setWorkContact(c *fiber.Ctx) error {
	var in workContactRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if err := h.Store.SetWorkContact(c.UserContext(), edge.Actor(c), edge.Param(c, "uid"), in.WorkContact); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
