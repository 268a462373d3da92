// Package tools holds the pages of the register of digital tools, which
// everyone signed in reads and admins and the data officer keep, and of the
// blended-work report for the data officer and team leads.
package tools

import (
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// Handler serves the register's and the report's pages.
type Handler struct{ *web.Handler }

// Routes registers the pages on p. The register is read by staff and
// clients (a network member reads the plan only); its
// forms are the keepers' (m.Allow admin and data officer). The report is the
// data officer's and professionals' by role, and the store lets only team
// leads among professionals through.
func (h *Handler) Routes(p web.Pages, m edge.Middleware) {
	keepers := m.Allow(records.RoleAdmin, records.RoleDataOfficer)
	readers := m.Allow(records.RoleProfessional, records.RoleClient, records.RoleDataOfficer, records.RoleAdmin)
	p.Get("/tools", readers, h.register)
	p.Get("/tools/new", keepers, h.toolNew)
	p.Post("/tools/new", keepers, h.toolCreate)
	p.Get("/tools/:tid/edit", keepers, h.toolEdit)
	p.Post("/tools/:tid/edit", keepers, h.toolUpdate)
	report := m.Allow(records.RoleDataOfficer, records.RoleProfessional)
	p.Get("/reports/blended", report, h.report)
	p.Get("/reports/blended.csv", report, h.reportCSV)
}

// keeps reports whether the actor keeps the register (and so sees its forms).
func keeps(a records.Actor) bool {
	return a.Role == records.RoleAdmin || a.Role == records.RoleDataOfficer
}
