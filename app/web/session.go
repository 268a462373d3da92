package web

import (
	"errors"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

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
	sessionKey
)

// hostPrefix makes a browser refuse the cookie unless it is Secure, for
// Path=/ and set without Domain: neither a plain-http page nor a sibling
// subdomain can plant or overwrite it (no session fixation, no forced CSRF seed).
const hostPrefix = "__Host-"

// cookieName is a cookie's name on the wire: the session, refresh and CSRF
// cookies carry the __Host- prefix when served over TLS (SecureCookies); a
// local http demo keeps the plain names, which browsers refuse to prefix.
func (h *Handler) cookieName(name string) string {
	if h.SecureCookies && (name == cookieAccess || name == cookieRefresh || name == cookieCSRF) {
		return hostPrefix + name
	}
	return name
}

// setCookie sets a session cookie (gone when the browser closes): HttpOnly,
// SameSite=Strict, Path=/, Secure when served over TLS.
func (h *Handler) setCookie(c *fiber.Ctx, name, value string) {
	c.Cookie(&fiber.Cookie{Name: h.cookieName(name), Value: value, Path: "/", HTTPOnly: true,
		Secure: h.SecureCookies, SameSite: fiber.CookieSameSiteStrictMode})
}

func (h *Handler) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: h.cookieName(name), Value: "", Path: "/", HTTPOnly: true, Expires: time.Unix(1, 0), MaxAge: -1,
		Secure: h.SecureCookies, SameSite: fiber.CookieSameSiteStrictMode})
}

func (h *Handler) clearSession(c *fiber.Ctx) {
	h.clearCookie(c, cookieAccess)
	h.clearCookie(c, cookieRefresh)
}

// startSession signs the user in on this browser: a new session, its access
// token and its first refresh token with the idle lifetime.
func (h *Handler) startSession(c *fiber.Ctx, u *records.User, pending bool) error {
	refresh, err := auth.NewRefreshToken()
	if err != nil {
		return err
	}
	t, err := h.Store.StoreRefreshToken(c.UserContext(), u.ID, "", refresh, pageIdle)
	if err != nil {
		return err
	}
	access, _, err := h.Auth.IssueAccess(u, pending, t.Family)
	if err != nil {
		return err
	}
	h.setCookie(c, cookieAccess, access)
	h.setCookie(c, cookieRefresh, refresh)
	return nil
}

// session picks the language, makes sure the browser has a CSRF seed, and
// loads the signed-in user, if any, from the cookies. It never refuses: pages
// that need a user add signedIn.
func (h *Handler) session(c *fiber.Ctx) error {
	c.Locals(langKey, ui.MatchLanguage(c.Cookies(cookieLang), c.Get(fiber.HeaderAcceptLanguage)))
	seed := utils.CopyString(c.Cookies(h.cookieName(cookieCSRF)))
	if len(seed) != 43 { // 32 random bytes, base64url without padding
		seed = randomToken()
		h.setCookie(c, cookieCSRF, seed)
	}
	c.Locals(csrfSeedKey, seed)
	if err := h.loadPageUser(c); err != nil {
		return err
	}
	return c.Next()
}

// loadPageUser checks the access cookie as the API checks the bearer
// header; when it has expired, it rotates the refresh cookie.
func (h *Handler) loadPageUser(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if raw := c.Cookies(h.cookieName(cookieAccess)); raw != "" {
		if claims, u, err := h.Auth.SessionUser(ctx, utils.CopyString(raw)); err == nil {
			edge.SetActor(c, u)
			c.Locals(pendingKey, claims.Pending)
			c.Locals(sessionKey, claims.SessionID)
			return nil
		}
	}
	presented := utils.CopyString(c.Cookies(h.cookieName(cookieRefresh)))
	if presented == "" {
		if c.Cookies(h.cookieName(cookieAccess)) != "" {
			h.clearSession(c)
			c.Locals(expiredKey, true)
		}
		return nil
	}
	// The successor is derived from the presented token, so a parallel page
	// load that presents it too, on this instance or another, gets the same
	// one from the store (records.RotationGrace) instead of ending the session.
	next := h.Auth.NextPageRefreshToken(presented)
	t, err := h.Store.RotateRefreshToken(ctx, presented, next, pageIdle)
	if errors.Is(err, records.ErrSessionOver) {
		h.clearSession(c)
		c.Locals(expiredKey, "flash.session_lifetime")
		return nil
	}
	if err != nil {
		switch records.ErrorCode(err) {
		case records.ENOTFOUND, records.EFORBIDDEN: // expired, revoked, reused or disabled
			h.clearSession(c)
			c.Locals(expiredKey, true)
			return nil
		}
		return err
	}
	userID, sessionID := t.UserID, t.Family
	u, err := h.Store.UserByID(ctx, userID)
	if err != nil || u.Disabled {
		h.clearSession(c)
		return nil
	}
	pending := h.Auth.Pending(u)
	access, _, err := h.Auth.IssueAccess(u, pending, sessionID)
	if err != nil {
		return err
	}
	h.setCookie(c, cookieAccess, access)
	h.setCookie(c, cookieRefresh, next)
	edge.SetActor(c, u)
	c.Locals(pendingKey, pending)
	c.Locals(sessionKey, sessionID)
	return nil
}

// signedIn sends a visitor without a session to the sign-in page (back
// here afterwards), and a session that must still set up a second factor to
// the enrolment page: it may see nothing else.
func (h *Handler) signedIn(c *fiber.Ctx) error {
	if edge.CurrentUser(c) == nil {
		switch exp := c.Locals(expiredKey).(type) {
		case bool:
			h.setFlash(c, "flash.session_expired")
		case string:
			h.setFlash(c, exp)
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

// RotationGrace is how long a just-rotated page refresh token still yields the
// token it was rotated to: two page loads that find the same expired access
// token (two tabs, a fast double click) both present the same refresh token,
// and the second carries on with the first one's rotation. The store decides
// it, so it holds across instances (records.RotationGrace).
const RotationGrace = records.RotationGrace
