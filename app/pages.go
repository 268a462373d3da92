package app

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

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
	if u := currentUser(c); u != nil {
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

// setCookie sets a session cookie (gone when the browser closes): HttpOnly,
// SameSite=Strict, Path=/, Secure when served over TLS.
func (s *Server) setCookie(c *fiber.Ctx, name, value string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: fiber.CookieSameSiteStrictMode})
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: true, Expires: time.Unix(1, 0), MaxAge: -1,
		Secure: s.cfg.SecureCookies, SameSite: fiber.CookieSameSiteStrictMode})
}

func (s *Server) clearSession(c *fiber.Ctx) {
	s.clearCookie(c, cookieAccess)
	s.clearCookie(c, cookieRefresh)
}

// startSession signs the user in on this browser: an access token and a new
// refresh-token family with the idle lifetime.
func (s *Server) startSession(c *fiber.Ctx, u *records.User, pending bool) error {
	access, _, err := s.issueAccess(u, pending)
	if err != nil {
		return err
	}
	refresh, err := newRefreshToken()
	if err != nil {
		return err
	}
	if _, err := s.Store.StoreRefreshToken(c.UserContext(), u.ID, "", refresh, pageIdle); err != nil {
		return err
	}
	s.setCookie(c, cookieAccess, access)
	s.setCookie(c, cookieRefresh, refresh)
	return nil
}

// pageSession picks the language, makes sure the browser has a CSRF seed, and
// loads the signed-in user, if any, from the cookies. It never refuses: pages
// that need a user add pageSignedIn.
func (s *Server) pageSession(c *fiber.Ctx) error {
	c.Locals(langKey, ui.MatchLanguage(c.Cookies(cookieLang), c.Get(fiber.HeaderAcceptLanguage)))
	seed := utils.CopyString(c.Cookies(cookieCSRF))
	if len(seed) != 43 { // 32 random bytes, base64url without padding
		seed = randomToken()
		s.setCookie(c, cookieCSRF, seed)
	}
	c.Locals(csrfSeedKey, seed)
	if err := s.loadPageUser(c); err != nil {
		return err
	}
	return c.Next()
}

// loadPageUser checks the access cookie as requireAuth checks the bearer
// header; when it has expired, it rotates the refresh cookie.
func (s *Server) loadPageUser(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if raw := c.Cookies(cookieAccess); raw != "" {
		if claims, u, err := s.sessionUser(ctx, utils.CopyString(raw)); err == nil {
			setActor(c, u)
			c.Locals(pendingKey, claims.Pending)
			return nil
		}
	}
	presented := utils.CopyString(c.Cookies(cookieRefresh))
	if presented == "" {
		if c.Cookies(cookieAccess) != "" {
			s.clearSession(c)
			c.Locals(expiredKey, true)
		}
		return nil
	}
	next, err := newRefreshToken()
	if err != nil {
		return err
	}
	t, err := s.Store.RotateRefreshToken(ctx, presented, next, pageIdle)
	if err != nil {
		switch records.ErrorCode(err) {
		case records.ENOTFOUND, records.EFORBIDDEN: // expired, revoked, reused or disabled
			s.clearSession(c)
			c.Locals(expiredKey, true)
			return nil
		}
		return err
	}
	u, err := s.Store.UserByID(ctx, t.UserID)
	if err != nil || u.Disabled {
		s.clearSession(c)
		return nil
	}
	pending := !u.TOTPEnabled && s.cfg.RequireTOTP[u.Role]
	access, _, err := s.issueAccess(u, pending)
	if err != nil {
		return err
	}
	s.setCookie(c, cookieAccess, access)
	s.setCookie(c, cookieRefresh, next)
	setActor(c, u)
	c.Locals(pendingKey, pending)
	return nil
}

// pageSignedIn sends a visitor without a session to the sign-in page (back
// here afterwards), and a session that must still set up a second factor to
// the enrolment page: it may see nothing else.
func (s *Server) pageSignedIn(c *fiber.Ctx) error {
	if currentUser(c) == nil {
		if exp, _ := c.Locals(expiredKey).(bool); exp {
			s.setFlash(c, "flash.session_expired")
		}
		target := "/login"
		if c.Method() == fiber.MethodGet {
			target += "?next=" + url.QueryEscape(ui.SafeNext(c.OriginalURL()))
		}
		return c.Redirect(target, fiber.StatusSeeOther)
	}
	if pending, _ := c.Locals(pendingKey).(bool); pending && c.Path() != "/totp" {
		return c.Redirect("/totp", fiber.StatusSeeOther)
	}
	return c.Next()
}

// csrfKey is the server's key for CSRF tokens, derived from its token key.
func (s *Server) csrfKey() []byte {
	sum := sha256.Sum256(append([]byte("nabij page csrf v1\x00"), s.tokenKey.Seed()...))
	return sum[:]
}

// csrfToken is the double-submit token of this browser and user: an HMAC of
// the random seed in the browser's CSRF cookie and the signed-in user's id.
// Another site can neither read the seed nor compute the HMAC.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	seed, _ := c.Locals(csrfSeedKey).(string)
	uid := ""
	if u := currentUser(c); u != nil {
		uid = u.ID
	}
	m := hmac.New(sha256.New, s.csrfKey())
	m.Write([]byte(seed + "\x00" + uid))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// pageCSRF refuses a POST whose _csrf field does not match, with a readable
// page; nothing is changed.
func (s *Server) pageCSRF(c *fiber.Ctx) error {
	got := c.FormValue("_csrf")
	if got == "" || !hmac.Equal([]byte(got), []byte(s.csrfToken(c))) {
		return s.renderError(c, 419)
	}
	return c.Next()
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("app: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func pageLang(c *fiber.Ctx) string {
	if l, ok := c.Locals(langKey).(string); ok {
		return l
	}
	return ui.MatchLanguage(c.Cookies(cookieLang), c.Get(fiber.HeaderAcceptLanguage))
}

// setFlash keeps a success message (a catalogue key) for the next page.
func (s *Server) setFlash(c *fiber.Ctx, key string) { s.setCookie(c, cookieFlash, key) }

// view starts the ViewData of a page: language, user, CSRF token, path, and
// the flash left by the previous request (shown once).
func (s *Server) view(c *fiber.Ctx, title string) ui.ViewData {
	lang := pageLang(c)
	v := ui.ViewData{Lang: lang, Title: title, CSRF: s.csrfToken(c), CurrentPath: utils.CopyString(c.Path())}
	if u := currentUser(c); u != nil {
		v.User = &ui.User{Username: u.Username, Role: string(u.Role)}
	}
	if f := c.Cookies(cookieFlash); f != "" {
		if strings.HasPrefix(f, "flash.") && renderer().Translator().Has(lang, f) {
			v.Flash = utils.CopyString(f)
		}
		s.clearCookie(c, cookieFlash)
	}
	return v
}

// render sends a page. Every page is no-store: most show client data, and a
// shared or back-button cache must not keep any of it.
func (s *Server) render(c *fiber.Ctx, status int, page string, v ui.ViewData) error {
	var buf bytes.Buffer
	if err := renderer().Render(&buf, page, v); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// redirect ends a successful POST: post/redirect/get, with a flash.
func (s *Server) redirect(c *fiber.Ctx, to, flash string) error {
	if flash != "" {
		s.setFlash(c, flash)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// renderError renders the error page for an HTTP status (419: refused CSRF).
func (s *Server) renderError(c *fiber.Ctx, status int) error {
	v := ui.ErrorView(s.view(c, ""), status)
	code := v.Data.(ui.ErrorData).Status
	if err := s.render(c, code, "error", v); err != nil {
		s.cfg.Logf("render error page: %v", err)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(code).SendString(http.StatusText(code))
	}
	return nil
}

// pageError renders a readable error page for a problem raised by a page
// (the API gets problem+json from the same errors).
func (s *Server) pageError(c *fiber.Ctx, p Problem) error {
	v := ui.ErrorView(s.view(c, ""), p.Status)
	switch {
	case p.Status == fiber.StatusForbidden && c.Route().Path == "/clients/:id" && actor(c).Role == records.RoleProfessional:
		// Not on the caseload: offer break the glass (the denied read is recorded).
		v.Data = ui.ErrorData{Status: p.Status, Message: "error.forbidden_client.message",
			ActionURL: "/clients/" + url.PathEscape(c.Params("id")) + "/break-glass", ActionKey: "error.forbidden_client.action"}
	case p.Status == fiber.StatusGone:
		v.Title = "error.destroyed.title"
		v.Data = ui.ErrorData{Status: p.Status, Message: "error.destroyed.message"}
	}
	if err := s.render(c, p.Status, "error", v); err != nil {
		s.cfg.Logf("render error page: %v", err)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(p.Status).SendString(http.StatusText(p.Status))
	}
	return nil
}

// formValue reads a form field, copied (Fiber reuses its buffers).
func formValue(c *fiber.Ctx, name string) string { return utils.CopyString(c.FormValue(name)) }

// formValues reads the named fields into a map for ViewData.Form, trimmed
// except for long text, so a refused form comes back as it was typed.
func formValues(c *fiber.Ctx, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = formValue(c, n)
	}
	return m
}

// formErrors turns a validation error from records into the page's Errors:
// the records field is renamed to the form field (rename; same name when
// absent), and the message key is keys[records field] or invalid.<form field>,
// falling back to invalid.other. Fields not on the form go to the form as a
// whole. ok is false when err is not a validation error.
func formErrors(err error, formFields []string, rename, keys map[string]string) (map[string]string, bool) {
	if records.ErrorCode(err) != records.EINVALID {
		return nil, false
	}
	rf := records.ErrorField(err)
	f := rf
	if r, ok := rename[rf]; ok {
		f = r
	}
	key := keys[rf]
	if key == "" {
		key = "invalid." + f
	}
	if !renderer().Translator().Has(ui.DefaultLanguage, key) {
		key = "invalid.other"
	}
	for _, ff := range formFields {
		if ff == f {
			return map[string]string{f: key}, true
		}
	}
	return map[string]string{ui.FormError: key}, true
}
