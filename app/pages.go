package app

import (
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// The web pages: package ui holds the templates, strings and assets; the
// handlers here (one file per action, page_*.go) parse the form, call the same
// records.Store methods as the API — which authorize and write the access
// record, so a page view of client data is a read like any other — and render.
//
// Sessions use no table of their own: the access cookie holds the EdDSA access
// token the API uses, the refresh cookie a refresh token stored with a
// 30-minute lifetime. Each rotation (when the access token has expired) gives
// another 30 minutes, so a session left alone ends by itself (idle time-out).

const (
	cookieAccess  = "nabij_access"
	cookieRefresh = "nabij_refresh"
	cookieCSRF    = "nabij_csrf" // random seed of the double-submit CSRF token
	cookieLang    = "nabij_lang"
	cookieFlash   = "nabij_flash"

	// pageIdle is the web session's idle time-out: the refresh token's lifetime.
	pageIdle = 30 * time.Minute
)

type pageCtxKey int

const (
	langKey pageCtxKey = iota
	csrfSeedKey
	pendingKey
	expiredKey
)

// pageRenderer parses the embedded templates once per process.
var pageRenderer = sync.OnceValues(ui.NewRenderer)

func renderer() *ui.Renderer {
	r, err := pageRenderer()
	if err != nil {
		panic("app: " + err.Error()) // the templates are embedded: a test catches this
	}
	return r
}

// isPage tells a browser page request from an API call: everything outside
// /api, /healthz, /readyz and /metrics is a page.
func isPage(c *fiber.Ctx) bool {
	p := c.Path()
	return !strings.HasPrefix(p, "/api/") && p != "/healthz" && p != "/readyz" && p != "/metrics"
}

// pageRoutes wires the web pages. Each page route runs pageSession (language,
// CSRF seed, user from the cookies); signed-in pages add pageSignedIn; every
// POST checks the CSRF token before anything else; role checks reuse s.allow,
// so a refused page writes the same denied record as a refused API call.
func (s *Server) pageRoutes() {
	a := s.App
	if _, err := pageRenderer(); err != nil {
		panic("app: templates: " + err.Error())
	}
	a.Get("/static/:name", s.pageStatic)
	a.Get("/lang/:lang", s.pageLang)
	a.Get("/", s.pageSession, s.pageHome)
	a.Get("/login", s.pageSession, s.pageLogin)
	a.Post("/login", s.pageSession, s.pageCSRF, s.pageLoginPost)
	a.Post("/logout", s.pageSession, s.pageCSRF, s.pageLogout)

	get := func(path string, h ...fiber.Handler) {
		a.Get(path, append([]fiber.Handler{s.pageSession, s.pageSignedIn}, h...)...)
	}
	post := func(path string, h ...fiber.Handler) {
		a.Post(path, append([]fiber.Handler{s.pageSession, s.pageSignedIn, s.pageCSRF}, h...)...)
	}
	get("/totp", s.pageTOTP)
	post("/totp", s.pageTOTPConfirm)

	pro := s.allow(records.RoleProfessional)
	get("/caseload", pro, s.pageCaseload)
	get("/clients/new", pro, s.pageClientNew)
	post("/clients/new", pro, s.pageClientCreate)
	get("/clients/:id", pro, s.pageClientFile)
	get("/clients/:id/trajectories/new", pro, s.pageTrajectoryNew)
	post("/clients/:id/trajectories/new", pro, s.pageTrajectoryCreate)
	get("/clients/:id/contacts/new", pro, s.pageContactNew)
	post("/clients/:id/contacts/new", pro, s.pageContactCreate)
	get("/clients/:id/notes/new", pro, s.pageNoteNew)
	post("/clients/:id/notes/new", pro, s.pageNoteCreate)
	get("/clients/:id/notes/:nid/correct", pro, s.pageNoteCorrect)
	post("/clients/:id/notes/:nid/correct", pro, s.pageNoteCorrectSave)
	get("/clients/:id/break-glass", pro, s.pageBreakGlass)
	post("/clients/:id/break-glass", pro, s.pageBreakGlassOpen)
	get("/clients/:id/account", pro, s.pageClientAccount)
	post("/clients/:id/account", pro, s.pageClientAccountCreate)
	get("/clients/:id/consents/new", pro, s.pageConsentNew)
	post("/clients/:id/consents/new", pro, s.pageConsentCreate)
	post("/clients/:id/consents/:cid/withdraw", pro, s.pageConsentWithdraw)
	get("/clients/:id/disclosures/new", pro, s.pageDisclosureNew)
	post("/clients/:id/disclosures/new", pro, s.pageDisclosureCreate)
	get("/clients/:id/trajectories/:tid/close", pro, s.pageTrajectoryClose)
	post("/clients/:id/trajectories/:tid/close", pro, s.pageTrajectoryCloseConfirm)

	cl := s.allow(records.RoleClient)
	get("/my/file", cl, s.pageMyFile)
	get("/my/access", cl, s.pageMyAccess)
	get("/my/entries/new", cl, s.pageMyEntry)
	post("/my/entries/new", cl, s.pageMyEntryCreate)
	get("/my/consents", cl, s.pageMyConsents)
	post("/my/consents", cl, s.pageMyConsentGive)
	post("/my/consents/:cid/withdraw", cl, s.pageMyConsentWithdraw)
	get("/my/disclosures", cl, s.pageMyDisclosures)
	get("/my/export", cl, s.pageMyExport)
	get("/my/export/:format", cl, s.pageMyExportDownload)
	get("/my/erasure", cl, s.pageMyErasure)
	post("/my/erasure", cl, s.pageMyErasureRequest)

	dpo := s.allow(records.RoleDataOfficer)
	get("/dpo/access-log", dpo, s.pageDPOAccessLog)
	get("/dpo/verify", dpo, s.pageDPOVerify)
	get("/dpo/anomalies", dpo, s.pageDPOAnomalies)
	get("/dpo/retention", dpo, s.pageDPORetention)
	post("/dpo/retention", dpo, s.pageDPORetentionSave)
	get("/dpo/legal-holds", dpo, s.pageDPOLegalHolds)
	post("/dpo/legal-holds", dpo, s.pageDPOLegalHoldPlace)
	post("/dpo/legal-holds/:hid/lift", dpo, s.pageDPOLegalHoldLift)
	get("/dpo/purge-reports", dpo, s.pageDPOPurgeReports)
	get("/dpo/purge-reports/:rid", dpo, s.pageDPOPurgeReport)
	get("/dpo/erasure-requests", dpo, s.pageDPOErasureRequests)
	post("/dpo/erasure-requests/:rid/approve", dpo, s.pageDPOErasureApprove)
	post("/dpo/erasure-requests/:rid/refuse", dpo, s.pageDPOErasureRefuse)
	get("/dpo/statistics", dpo, s.pageDPOStatistics)

	adm := s.allow(records.RoleAdmin)
	get("/admin/users", adm, s.pageAdminUsers)
	post("/admin/users", adm, s.pageAdminUserCreate)
	post("/admin/users/:uid/disable", adm, s.pageAdminUserDisable)
	post("/admin/users/:uid/enable", adm, s.pageAdminUserEnable)
	get("/admin/teams", adm, s.pageAdminTeams)
	post("/admin/teams", adm, s.pageAdminTeamCreate)
	post("/admin/teams/:tid/members", adm, s.pageAdminTeamMember)
	get("/admin/caseloads", adm, s.pageAdminCaseloads)
	post("/admin/caseloads", adm, s.pageAdminAssign)
	post("/admin/caseloads/:aid/end", adm, s.pageAdminAssignmentEnd)
}

// roleHome is where each role lands after signing in.
func roleHome(r records.Role) string {
	switch r {
	case records.RoleProfessional:
		return "/caseload"
	case records.RoleClient:
		return "/my/file"
	case records.RoleDataOfficer:
		return "/dpo/access-log"
	case records.RoleAdmin:
		return "/admin/users"
	}
	return "/login"
}

func (s *Server) pageHome(c *fiber.Ctx) error {
	if u := edge.CurrentUser(c); u != nil {
		return c.Redirect(roleHome(u.Role), fiber.StatusSeeOther)
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// pageStatic serves the embedded assets; their URLs carry a checksum, so
// they may be cached for good.
func (s *Server) pageStatic(c *fiber.Ctx) error {
	b, ct, ok := ui.Asset(c.Params("name"))
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(b)
}

// pageLang is the language switch: a plain link, so it works without script.
func (s *Server) pageLang(c *fiber.Ctx) error {
	lang := c.Params("lang")
	if !ui.IsLanguage(lang) {
		return fiber.ErrNotFound
	}
	c.Cookie(&fiber.Cookie{Name: cookieLang, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HTTPOnly: true, Secure: s.cfg.SecureCookies, SameSite: fiber.CookieSameSiteStrictMode})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(ui.SafeNext(c.Query("next")), fiber.StatusSeeOther)
}
