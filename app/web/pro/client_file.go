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
	a := edge.Actor(c)
	f, err := h.Store.ClientFile(c.UserContext(), a, records.PurposeCare, edge.Param(c, "id"))
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
	v.Data = clientFileView{Tools: tools, SelfHelp: selfHelp, FileView: web.BuildFileView(f, v.Lang, a, h.Now(), false),
		Consents: web.ConsentRows(list, v.CSRF, func(id string) string {
			return clientPath(f.Client.ID) + "/consents/" + url.PathEscape(id) + "/withdraw"
		})}
	return h.Render(c, fiber.StatusOK, "client_file", v)
}

// clientFileView is the professional's file page: the timeline and the consents.
type clientFileView struct {
	web.FileView
	Consents []web.ConsentRow
	Tools    []records.ClientTool // the tools of the client's care
	SelfHelp []records.Tool       // the register's self-help tools, to recommend
}
