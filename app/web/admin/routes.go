// Package admin holds the pages of the administrator, under /admin: users,
// teams, caseload assignments and handovers.
package admin

import (
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// Handler serves the administrator's pages.
type Handler struct{ *web.Handler }

// Routes registers the administrator's pages on p, each behind the role check
// m.Allow(records.RoleAdmin).
func (h *Handler) Routes(p web.Pages, m edge.Middleware) {
	adm := m.Allow(records.RoleAdmin)
	p.Get("/admin/users", adm, h.users)
	p.Post("/admin/users", adm, h.userCreate)
	p.Post("/admin/users/:uid/disable", adm, h.userDisable)
	p.Post("/admin/users/:uid/enable", adm, h.userEnable)
	p.Post("/admin/users/:uid/activation-code", adm, h.userNewCode)
	p.Post("/admin/users/:uid/team-lead", adm, h.userTeamLead)
	p.Get("/admin/teams", adm, h.teams)
	p.Post("/admin/teams", adm, h.teamCreate)
	p.Post("/admin/teams/:tid/members", adm, h.teamMember)
	p.Get("/admin/caseloads", adm, h.caseloads)
	p.Post("/admin/caseloads", adm, h.assign)
	p.Post("/admin/caseloads/:aid/end", adm, h.assignmentEnd)
	p.Get("/admin/handovers", adm, h.handovers)
	p.Post("/admin/handovers", adm, h.handoverSave)
}
