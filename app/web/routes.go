package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// Routes registers the pages every visitor may reach, signed in or not, on
// r: static assets, the language switch, home, sign-in and sign-out,
// activation of a new account, and, signed in, the second-factor enrolment
// page and the change of one's own password. The pages of each role are registered
// through Pages by the packages pro, client, dpo and admin.
func (h *Handler) Routes(r fiber.Router) {
	if _, err := pageRenderer(); err != nil {
		panic("web: templates: " + err.Error())
	}
	r.Get("/static/:name", h.static)
	r.Get("/lang/:lang", h.lang)
	r.Get("/", h.session, h.home)
	r.Get("/login", h.session, h.login)
	r.Post("/login", h.session, h.checkCSRF, h.loginPost)
	r.Post("/logout", h.session, h.checkCSRF, h.logout)
	r.Get("/activate", h.session, h.activateForm)
	r.Post("/activate", h.session, h.checkCSRF, h.activatePost)

	p := h.Pages(r)
	p.Get("/totp", h.totpForm)
	p.Post("/totp", h.totpConfirm)
	p.Get("/account/password", h.passwordForm)
	p.Post("/account/password", h.passwordPost)
}

// Pages registers signed-in pages on a router. Each page route runs the
// session (language, CSRF seed, user from the cookies) and the sign-in check;
// every POST checks the CSRF token before anything else. Role checks come
// from edge.Middleware.Allow, so a refused page writes the same denied record
// as a refused API call.
type Pages struct {
	r fiber.Router
	h *Handler
}

// Pages is the signed-in page router over r.
func (h *Handler) Pages(r fiber.Router) Pages { return Pages{r: r, h: h} }

// Get registers a signed-in page.
func (p Pages) Get(path string, handlers ...fiber.Handler) {
	p.r.Get(path, append([]fiber.Handler{p.h.session, p.h.signedIn}, handlers...)...)
}

// Post registers a signed-in form action, CSRF-checked.
func (p Pages) Post(path string, handlers ...fiber.Handler) {
	p.r.Post(path, append([]fiber.Handler{p.h.session, p.h.signedIn, p.h.checkCSRF}, handlers...)...)
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
	case records.RoleNetwork:
		return "/network/plan"
	}
	return "/login"
}

func (h *Handler) home(c *fiber.Ctx) error {
	if u := edge.CurrentUser(c); u != nil {
		return c.Redirect(roleHome(u.Role), fiber.StatusSeeOther)
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// static serves the embedded assets; their URLs carry a checksum, so
// they may be cached for good.
func (h *Handler) static(c *fiber.Ctx) error {
	b, ct, ok := ui.Asset(c.Params("name"))
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(b)
}

// lang is the language switch: a plain link, so it works without script.
func (h *Handler) lang(c *fiber.Ctx) error {
	lang := c.Params("lang")
	if !ui.IsLanguage(lang) {
		return fiber.ErrNotFound
	}
	c.Cookie(&fiber.Cookie{Name: cookieLang, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HTTPOnly: true, Secure: h.SecureCookies, SameSite: fiber.CookieSameSiteStrictMode})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(ui.SafeNext(c.Query("next")), fiber.StatusSeeOther)
}
