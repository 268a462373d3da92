package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

func langOf(c *fiber.Ctx) string {
	if l, ok := c.Locals(langKey).(string); ok {
		return l
	}
	return ui.MatchLanguage(c.Cookies(cookieLang), c.Get(fiber.HeaderAcceptLanguage))
}

// pageRenderer parses the embedded templates once per process.
var pageRenderer = sync.OnceValues(ui.NewRenderer)

func renderer() *ui.Renderer {
	r, err := pageRenderer()
	if err != nil {
		panic("web: " + err.Error()) // the templates are embedded: a test catches this
	}
	return r
}

// T is the text of a catalogue key in a language.
func T(lang, key string) string { return renderer().Translator().T(lang, key, nil) }

// setFlash keeps a success message (a catalogue key) for the next page.
func (h *Handler) setFlash(c *fiber.Ctx, key string) { h.setCookie(c, cookieFlash, key) }

// View starts the ViewData of a page: language, user, CSRF token, path, and
// the flash left by the previous request (shown once).
func (h *Handler) View(c *fiber.Ctx, title string) ui.ViewData {
	lang := langOf(c)
	v := ui.ViewData{Lang: lang, Title: title, CSRF: h.csrfToken(c), CurrentPath: utils.CopyString(c.Path())}
	if u := edge.CurrentUser(c); u != nil {
		v.User = &ui.User{Username: u.Username, Role: string(u.Role), TeamLead: u.TeamLead}
	}
	if f := c.Cookies(cookieFlash); f != "" {
		if strings.HasPrefix(f, "flash.") && renderer().Translator().Has(lang, f) {
			v.Flash = utils.CopyString(f)
		}
		h.clearCookie(c, cookieFlash)
	}
	return v
}

// Render sends a page. Every page is no-store: most show client data, and a
// shared or back-button cache must not keep any of it.
func (h *Handler) Render(c *fiber.Ctx, status int, page string, v ui.ViewData) error {
	var buf bytes.Buffer
	if err := renderer().Render(&buf, page, v); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// Redirect ends a successful POST: post/redirect/get, with a flash.
func (h *Handler) Redirect(c *fiber.Ctx, to, flash string) error {
	if flash != "" {
		h.setFlash(c, flash)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// renderError renders the error page for an HTTP status (419: refused CSRF).
func (h *Handler) renderError(c *fiber.Ctx, status int) error {
	v := ui.ErrorView(h.View(c, ""), status)
	code := v.Data.(ui.ErrorData).Status
	if err := h.Render(c, code, "error", v); err != nil {
		h.Logf("render error page: %v", err)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(code).SendString(http.StatusText(code))
	}
	return nil
}

// ErrorPage renders a readable error page for a problem raised by a page
// (the API gets problem+json from the same errors).
func (h *Handler) ErrorPage(c *fiber.Ctx, p edge.Problem) error {
	v := ui.ErrorView(h.View(c, ""), p.Status)
	switch {
	case p.Status == fiber.StatusForbidden && c.Route().Path == "/clients/:id" && edge.Actor(c).Role == records.RoleProfessional:
		// Not on the caseload: offer break the glass (the denied read is recorded).
		v.Data = ui.ErrorData{Status: p.Status, Message: "error.forbidden_client.message",
			ActionURL: "/clients/" + url.PathEscape(c.Params("id")) + "/break-glass", ActionKey: "error.forbidden_client.action"}
	case p.Status == fiber.StatusInsufficientStorage:
		v.Title = "error.storage_full.title"
		v.Data = ui.ErrorData{Status: p.Status, Message: "error.storage_full.message"}
	case p.Status == fiber.StatusGone:
		v.Title = "error.destroyed.title"
		v.Data = ui.ErrorData{Status: p.Status, Message: "error.destroyed.message"}
	}
	edge.SetRetryAfter(c, p)
	if err := h.Render(c, p.Status, "error", v); err != nil {
		h.Logf("render error page: %v", err)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(p.Status).SendString(http.StatusText(p.Status))
	}
	return nil
}

// FormValue reads a form field, copied (Fiber reuses its buffers).
func FormValue(c *fiber.Ctx, name string) string { return utils.CopyString(c.FormValue(name)) }

// FormQuery reads a query parameter, copied (Fiber reuses its buffers).
func FormQuery(c *fiber.Ctx, name string) string { return strings.Clone(c.Query(name)) }

// FormValues reads the named fields into a map for ViewData.Form, trimmed
// except for long text, so a refused form comes back as it was typed.
func FormValues(c *fiber.Ctx, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = FormValue(c, n)
	}
	return m
}

// FormErrors turns a validation error from records into the page's Errors:
// the records field is renamed to the form field (rename; same name when
// absent), and the message key is keys[records field] or invalid.<form field>,
// falling back to invalid.other. Fields not on the form go to the form as a
// whole. ok is false when err is not a validation error.
func FormErrors(err error, formFields []string, rename, keys map[string]string) (map[string]string, bool) {
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
