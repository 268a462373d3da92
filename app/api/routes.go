package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// Handler serves the JSON API.
type Handler struct {
	Store      records.Store
	Auth       *auth.Service
	Now        func() time.Time // the server's clock
	Logf       func(format string, args ...any)
	RefreshTTL time.Duration // lifetime of an API refresh token
	// ReadableExport renders the readable export in a language (the pages'
	// templates render it; the server wires it in).
	ReadableExport func(ex *records.Export, lang string) ([]byte, error)
}

// consent is the consent and retention policy over the store, on the
// server's clock.
func (h *Handler) consent() *consent.Service { return consent.New(h.Store, h.Now) }

// Routes registers the API on v1, the /api/v1 group: sign-in, token refresh
// and sign-out first, then every other route behind m.SignedIn, each with
// its role check from m.Allow.
func (h *Handler) Routes(v1 fiber.Router, m edge.Middleware) {
	v1.Post("/auth/login", h.login)
	v1.Post("/auth/refresh", h.refresh)
	v1.Post("/auth/logout", h.logout)
	v1.Post("/auth/activate", h.activate)

	in := v1.Group("", m.SignedIn)
	in.Get("/me", h.me)
	in.Post("/auth/totp/enrol", h.totpEnrol)
	in.Post("/auth/totp/confirm", h.totpConfirm)
	in.Post("/me/password", h.changePassword)

	pro := m.Allow(records.RoleProfessional)
	in.Get("/clients", pro, h.listCaseload)
	in.Post("/clients", pro, h.createClient)
	in.Get("/clients/:id", pro, h.getClient)
	in.Get("/clients/:id/file", pro, h.getClientFile)
	in.Post("/clients/:id/trajectories", pro, h.createTrajectory)
	in.Post("/clients/:id/contacts", pro, h.createContact)
	in.Post("/clients/:id/notes", pro, h.createNote)
	in.Post("/notes/:nid/corrections", pro, h.correctNote)
	in.Post("/clients/:id/break-glass", pro, h.breakGlass)
	in.Post("/clients/:id/account", pro, h.createClientAccount)
	// The quick log from the street, anonymous contacts and resolving consent
	// flags (documented in openapi/street.json).
	in.Post("/quick-log", pro, h.quickLog)
	in.Post("/anonymous-contacts", pro, h.logAnonymousContact)
	in.Post("/contacts/:id/consent-flag/resolve", pro, h.resolveConsentFlag)

	cl := m.Allow(records.RoleClient)
	in.Get("/me/file", cl, h.myFile)
	in.Get("/me/access-log", cl, h.myAccessLog)
	in.Get("/me/privacy", cl, h.myPrivacy)
	in.Post("/me/entries", cl, h.createEntry)

	dpo := m.Allow(records.RoleDataOfficer)
	in.Get("/access-log", dpo, h.accessLog)
	in.Get("/access-log/verify", dpo, h.verifyAccessLog)
	in.Get("/anomalies", dpo, h.anomalies)

	adm := m.Allow(records.RoleAdmin)
	in.Get("/users", adm, h.listUsers)
	in.Post("/users", adm, h.createUser)
	in.Post("/users/:uid/disable", adm, h.disableUser)
	in.Post("/users/:uid/enable", adm, h.enableUser)
	// A new activation code: the admin for a staff account, the client's own
	// professional for a client account (the store checks which).
	in.Post("/users/:uid/activation-code", m.Allow(records.RoleAdmin, records.RoleProfessional), h.issueActivationCode)
	// How a professional is reached at work: the admin for any professional,
	// a professional for themselves (the store checks which).
	in.Put("/users/:uid/work-contact", m.Allow(records.RoleAdmin, records.RoleProfessional), h.setWorkContact)
	in.Get("/teams", adm, h.listTeams)
	in.Post("/teams", adm, h.createTeam)
	in.Post("/teams/:tid/members", adm, h.addTeamMember)
	in.Get("/caseload-assignments", adm, h.listAssignments)
	in.Post("/caseload-assignments", adm, h.assign)
	in.Post("/caseload-assignments/:aid/end", adm, h.endAssignment)

	// Case codes, anomaly reviews, handovers and who may read a file
	// (documented in openapi/staff.json).
	in.Get("/client-codes", m.Allow(records.RoleProfessional, records.RoleDataOfficer, records.RoleAdmin), h.clientCodes)
	in.Post("/anomalies/review", dpo, h.reviewAnomaly)
	in.Post("/caseloads/handover", adm, h.handOver)
	in.Get("/caseloads/handovers", adm, h.handovers)
	in.Get("/me/file-access", cl, h.myFileAccess)

	// Consent, disclosures, retention and the client's rights
	// (documented in openapi/consent.json).
	in.Get("/clients/:id/consents", pro, h.listConsents)
	in.Post("/clients/:id/consents", pro, h.recordConsent)
	in.Post("/consents/:cid/withdraw", pro, h.withdrawConsent)
	in.Post("/clients/:id/disclosures", pro, h.disclose)
	in.Post("/trajectories/:tid/close", pro, h.closeTrajectory)

	in.Get("/me/consents", cl, h.myConsents)
	in.Post("/me/consents", cl, h.giveConsent)
	in.Post("/me/consents/:cid/withdraw", cl, h.withdrawConsent)
	in.Get("/me/disclosures", cl, h.myDisclosures)
	in.Get("/me/export", cl, h.myExport)
	in.Get("/me/erasure-requests", cl, h.myErasureRequests)
	in.Post("/me/erasure-requests", cl, h.requestErasure)

	// The client's plan and network (documented in openapi/plan.json). A
	// network member reads the plan and nothing else.
	in.Get("/me/plan", m.Allow(records.RoleClient, records.RoleNetwork), h.myPlan)
	in.Put("/me/plan", cl, h.setMyQuestion)
	in.Post("/me/plan/goals", cl, h.addMyGoal)
	in.Post("/me/plan/goals/:gid/steps", cl, h.addMyStep)
	in.Put("/me/plan/items/:iid", cl, h.editMyPlanItem)
	in.Post("/me/plan/steps/:sid/done", cl, h.stepDone(true))
	in.Post("/me/plan/steps/:sid/undone", cl, h.stepDone(false))
	in.Post("/me/plan/proposals/:pid/accept", cl, h.decideProposal(true))
	in.Post("/me/plan/proposals/:pid/decline", cl, h.decideProposal(false))
	in.Get("/me/network", cl, h.myNetwork)
	in.Post("/me/network", cl, h.addNetworkMember)
	in.Post("/me/network/:mid/invite", cl, h.inviteNetworkMember)
	in.Post("/me/network/:mid/code", cl, h.newNetworkCode)
	in.Post("/me/network/:mid/end", cl, h.endNetworkAccess)
	in.Get("/clients/:id/plan", pro, h.clientPlan)
	in.Post("/clients/:id/plan/comments", pro, h.commentPlan)
	in.Post("/clients/:id/plan/proposals", pro, h.proposeGoal)

	in.Get("/disclosures", dpo, h.disclosures)
	in.Get("/statistics", dpo, h.statistics)
	in.Get("/retention-rules", dpo, h.retentionRules)
	in.Put("/retention-rules", dpo, h.setRetentionRules)
	in.Post("/retention-runs", dpo, h.runRetention)
	in.Get("/legal-holds", dpo, h.legalHolds)
	in.Post("/legal-holds", dpo, h.placeLegalHold)
	in.Delete("/legal-holds/:hid", dpo, h.releaseLegalHold)
	in.Get("/purge-reports", dpo, h.purgeReports)
	in.Get("/erasure-requests", dpo, h.erasureRequests)
	in.Post("/erasure-requests/:rid/approve", dpo, h.approveErasure)
	in.Post("/erasure-requests/:rid/refuse", dpo, h.refuseErasure)

	// The register of digital tools, the tools of a client's care and the
	// blended-work report (documented in openapi/tools.json). The register
	// is read by staff and clients (a network member reads the plan only)
	// and kept by admins and the data officer;
	// the report is the data officer's and team leads' (the store checks
	// the team-lead flag).
	keepers := m.Allow(records.RoleAdmin, records.RoleDataOfficer)
	readers := m.Allow(records.RoleProfessional, records.RoleClient, records.RoleDataOfficer, records.RoleAdmin)
	in.Get("/tools", readers, h.listTools)
	in.Post("/tools", keepers, h.createTool)
	in.Put("/tools/:tid", keepers, h.updateTool)
	in.Get("/clients/:id/tools", pro, h.clientTools)
	in.Post("/clients/:id/tool-recommendations", pro, h.recommendTool)
	in.Get("/me/tools", cl, h.myTools)
	in.Put("/users/:uid/team-lead", adm, h.setTeamLead)
	in.Get("/reports/blended", m.Allow(records.RoleDataOfficer, records.RoleProfessional), h.blendedReport)
}
