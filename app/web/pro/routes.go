// Package pro holds the pages of a professional: the caseload, a client's
// file, and the forms that add to it (clients, trajectories, contacts, notes,
// corrections, consents, disclosures, break the glass, a client's account),
// and the client's plan, on which they comment and propose goals.
package pro

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// Handler serves the professional's pages.
type Handler struct{ *web.Handler }

// Routes registers the professional's pages on p, each behind the role check
// m.Allow(records.RoleProfessional).
func (h *Handler) Routes(p web.Pages, m edge.Middleware) {
	pro := m.Allow(records.RoleProfessional)
	p.Get("/caseload", pro, h.caseload)
	p.Get("/log", pro, h.quickLog)
	p.Post("/log", pro, h.quickLogSave)
	p.Post("/clients/:id/contacts/:kid/consent-flag/resolve", pro, h.consentFlagResolve)
	p.Get("/clients/new", pro, h.clientNew)
	p.Post("/clients/new", pro, h.clientCreate)
	p.Get("/clients/:id", pro, h.clientFile)
	p.Get("/clients/:id/trajectories/new", pro, h.trajectoryNew)
	p.Post("/clients/:id/trajectories/new", pro, h.trajectoryCreate)
	p.Get("/clients/:id/contacts/new", pro, h.contactNew)
	p.Post("/clients/:id/contacts/new", pro, h.contactCreate)
	p.Get("/clients/:id/notes/new", pro, h.noteNew)
	p.Post("/clients/:id/notes/new", pro, h.noteCreate)
	p.Get("/clients/:id/notes/:nid/correct", pro, h.noteCorrect)
	p.Post("/clients/:id/notes/:nid/correct", pro, h.noteCorrectSave)
	p.Get("/clients/:id/break-glass", pro, h.breakGlass)
	p.Post("/clients/:id/break-glass", pro, h.breakGlassOpen)
	p.Get("/clients/:id/account", pro, h.clientAccount)
	p.Post("/clients/:id/account", pro, h.clientAccountCreate)
	p.Get("/clients/:id/consents/new", pro, h.consentNew)
	p.Post("/clients/:id/consents/new", pro, h.consentCreate)
	p.Post("/clients/:id/tool-recommendations", pro, h.toolRecommend)
	p.Post("/clients/:id/consents/:cid/withdraw", pro, h.consentWithdraw)
	p.Get("/clients/:id/disclosures/new", pro, h.disclosureNew)
	p.Post("/clients/:id/disclosures/new", pro, h.disclosureCreate)
	p.Get("/clients/:id/trajectories/:tid/close", pro, h.trajectoryClose)
	p.Post("/clients/:id/trajectories/:tid/close", pro, h.trajectoryCloseConfirm)
	p.Get("/clients/:id/plan", pro, h.plan)
	p.Post("/clients/:id/plan/comments", pro, h.planComment)
	p.Post("/clients/:id/plan/proposals", pro, h.planPropose)
	p.Get("/account/work-contact", pro, h.workContact)
	p.Post("/account/work-contact", pro, h.workContactSave)
}

// clientFileFor reads the whole client's file for a page that shows more than
// the outline: the records a disclosure can share, a trajectory that may be
// closed already. A read, recorded like any other.
func (h *Handler) clientFileFor(c *fiber.Ctx) (*records.File, error) {
	return h.Store.ClientFile(c.UserContext(), edge.Actor(c), records.PurposeCare, edge.Param(c, "id"))
}

// clientPath is the file page of a client.
func clientPath(id string) string { return "/clients/" + url.PathEscape(id) }
