package client

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// disclosures shows the client with whom their data was shared, why,
// when and which records (as GET /me/disclosures; the read is recorded).
func (h *Handler) disclosures(c *fiber.Ctx) error {
	a := edge.Actor(c)
	list, err := h.Store.Disclosures(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	slices.SortStableFunc(list, func(x, y records.Disclosure) int { return y.DisclosedAt.Compare(x.DisclosedAt) })
	v := h.View(c, "my_disclosures.title")
	v.Data = struct{ Disclosures []records.Disclosure }{list}
	return h.Render(c, fiber.StatusOK, "my_disclosures", v)
}
