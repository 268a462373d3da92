// Package client holds the pages a client sees of their own file, under
// /my: the file in plain language, who read it, their own entries, consents,
// disclosures, the export, the request to erase, their plan and network.
package client

import (
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// Handler serves the client's own pages.
type Handler struct{ *web.Handler }

// Routes registers the client's own pages on p, each behind the role check
// m.Allow(records.RoleClient).
func (h *Handler) Routes(p web.Pages, m edge.Middleware) {
	cl := m.Allow(records.RoleClient)
	p.Get("/my/file", cl, h.file)
	p.Get("/my/privacy", cl, h.privacy)
	p.Get("/my/access", cl, h.access)
	p.Get("/my/entries/new", cl, h.entry)
	p.Post("/my/entries/new", cl, h.entryCreate)
	p.Get("/my/consents", cl, h.consents)
	p.Post("/my/consents", cl, h.consentGive)
	p.Post("/my/consents/:cid/withdraw", cl, h.consentWithdraw)
	p.Get("/my/disclosures", cl, h.disclosures)
	p.Get("/my/export", cl, h.export)
	p.Get("/my/export/:format", cl, h.exportDownload)
	p.Get("/my/erasure", cl, h.erasure)
	p.Post("/my/erasure", cl, h.erasureRequest)
	p.Get("/my/plan", cl, h.plan)
	p.Post("/my/plan/question", cl, h.planQuestion)
	p.Post("/my/plan/goals", cl, h.planGoal)
	p.Post("/my/plan/goals/:gid/steps", cl, h.planStep)
	p.Post("/my/plan/items/:iid", cl, h.planEdit)
	p.Post("/my/plan/steps/:sid/done", cl, h.planStepDone(true))
	p.Post("/my/plan/steps/:sid/undone", cl, h.planStepDone(false))
	p.Post("/my/plan/proposals/:pid/accept", cl, h.planProposal(true))
	p.Post("/my/plan/proposals/:pid/decline", cl, h.planProposal(false))
	p.Get("/my/network", cl, h.network)
	p.Post("/my/network", cl, h.networkAdd)
	p.Post("/my/network/:mid/invite", cl, h.networkInvite)
	p.Post("/my/network/:mid/code", cl, h.networkNewCode)
	p.Post("/my/network/:mid/end", cl, h.networkEnd)
	p.Get("/my/tools", cl, h.tools)
}
