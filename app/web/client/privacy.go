package client

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// privacy is the client's privacy at a glance: who can open the file now
// and who gave them that access, reads per person and week (own reads with
// ?own=1), what was shared, how long each kind of record is kept, and the
// client's rights. One read through the store's gate (kind privacy).
func (h *Handler) privacy(c *fiber.Ctx) error {
	a := edge.Actor(c)
	own := c.Query("own") == "1"
	p, err := h.Consent().Privacy(c.UserContext(), a, a.ClientID, own)
	if err != nil {
		return err
	}
	v := h.View(c, "my_privacy.title")
	pv := web.BuildPrivacyView(p, v.Lang, h.Now())
	pv.Links = true
	v.Data = myPrivacyView{PrivacyView: pv, ComplaintURL: ComplaintURL(h.Store.Jurisdiction())}
	return h.Render(c, fiber.StatusOK, "my_privacy", v)
}

// myPrivacyView is the privacy page: the overview and where to complain.
type myPrivacyView struct {
	web.PrivacyView
	ComplaintURL string
}

// ComplaintURL is where a client files a complaint about how their data is
// handled, when talking to the organisation's data officer did not help: the
// supervisory authority of the organisation's jurisdiction.
func ComplaintURL(j records.Jurisdiction) string {
	if j == records.JurisdictionBE {
		return "https://www.gegevensbeschermingsautoriteit.be/burger/acties/klacht-indienen"
	}
	return "https://www.autoriteitpersoonsgegevens.nl/een-tip-of-klacht-indienen-bij-de-ap"
}
