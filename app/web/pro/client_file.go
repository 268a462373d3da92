package pro

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// clientFile shows one client's file. Reading it is a read like the
// API's: records writes the access record (or the denied one) first.
func (h *Handler) clientFile(c *fiber.Ctx) error {
	return h.renderClientFile(c, fiber.StatusOK, "", "", "")
}

// renderClientFile renders the file page; flagContact, flagError and
// flagReason bring a refused consent-flag resolution back at its contact.
func (h *Handler) renderClientFile(c *fiber.Ctx, status int, flagContact, flagError, flagReason string) error {
	a := edge.Actor(c)
	p, err := edge.FilePage(c)
	if err != nil {
		return err
	}
	f, err := h.Store.ClientFilePage(c.UserContext(), a, records.PurposeCare, edge.Param(c, "id"), p)
	if err != nil {
		return err
	}
	// The consents, as GET /clients/{id}/consents reads them (recorded too).
	list, err := h.Consent().List(c.UserContext(), a, f.Client.ID)
	if err != nil {
		return err
	}
	// The tools of the client's care (recorded as a read of kind tools),
	// and the self-help tools of the register that may be recommended.
	tools, err := h.Store.ClientTools(c.UserContext(), a, f.Client.ID)
	if err != nil {
		return err
	}
	register, err := h.Store.Tools(c.UserContext(), a)
	if err != nil {
		return err
	}
	var selfHelp []records.Tool
	for _, t := range register {
		if t.Kind.SelfHelp() {
			selfHelp = append(selfHelp, t)
		}
	}
	v := h.View(c, "file.title")
	fv := web.BuildFileView(f, v.Lang, a, h.Now(), false)
	fv.SetPager(clientPath(f.Client.ID), f, p.Limit)
	fv.CSRF = v.CSRF
	fv.FlagContact, fv.FlagError, fv.FlagReason = flagContact, flagError, flagReason
	v.Data = clientFileView{Tools: tools, SelfHelp: selfHelp, FileView: fv,
		Consents: web.ConsentRows(list, v.CSRF, func(id string) string {
			return clientPath(f.Client.ID) + "/consents/" + url.PathEscape(id) + "/withdraw"
		})}
	return h.Render(c, status, "client_file", v)
}

// clientFileView is the professional's file page: the timeline and the consents.
type clientFileView struct {
	web.FileView
	Consents []web.ConsentRow
	Tools    []records.ClientTool // the tools of the client's care
	SelfHelp []records.Tool       // the register's self-help tools, to recommend
}
