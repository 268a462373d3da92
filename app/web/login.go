package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/ui"
)

// login shows the sign-in form. The TOTP field is always there, marked
// optional: whether an account uses a second factor is not told to someone
// who has not signed in yet.
func (h *Handler) login(c *fiber.Ctx) error {
	if u := edge.CurrentUser(c); u != nil {
		return c.Redirect(roleHome(u.Role), fiber.StatusSeeOther)
	}
	v := h.View(c, "login.title")
	v.Form = map[string]string{"next": ui.SafeNext(c.Query("next"))}
	if v.Form["next"] == "/" {
		delete(v.Form, "next")
	}
	return h.Render(c, fiber.StatusOK, "login", v)
}

// loginPost signs in with auth.Service.Authenticate, the same check as the API, and
// starts a cookie session.
func (h *Handler) loginPost(c *fiber.Ctx) error {
	in := FormValues(c, "username", "password", "totp", "next")
	in["username"] = strings.TrimSpace(in["username"])
	errs := map[string]string{}
	if in["username"] == "" {
		errs["username"] = "error.username_required"
	}
	if in["password"] == "" {
		errs["password"] = "error.password_required"
	}
	status := fiber.StatusUnprocessableEntity
	if len(errs) == 0 {
		u, pending, err := h.Auth.Authenticate(c.UserContext(), edge.Remote(c), in["username"], in["password"], in["totp"])
		if err == nil {
			if err := h.startSession(c, u, pending); err != nil {
				return err
			}
			to := roleHome(u.Role)
			if pending {
				to = "/totp"
			} else if n := ui.SafeNext(in["next"]); n != "/" {
				to = n
			}
			return c.Redirect(to, fiber.StatusSeeOther)
		}
		p := edge.ProblemFor(err)
		switch p.Type {
		case edge.ProbTOTPRequired.Type:
			errs["totp"] = "error.totp_required"
			if in["totp"] != "" {
				errs["totp"] = "error.totp_invalid"
			}
		case edge.ProbRateLimited.Type:
			errs[ui.FormError] = "error.rate_limited"
			edge.SetRetryAfter(c, p)
		case edge.ProbBadLogin.Type:
			errs[ui.FormError] = "error.login_failed"
		default:
			return err
		}
		status = p.Status
	}
	v := h.View(c, "login.title")
	v.Errors = errs
	delete(in, "password") // never sent back
	in["totp"] = ""        // a used or wrong code is of no use
	v.Form = in
	return h.Render(c, status, "login", v)
}

// logout ends the session — its refresh tokens and at once its access
// tokens — and clears the cookies.
func (h *Handler) logout(c *fiber.Ctx) error {
	if rt := formValueCookie(c, h.cookieName(cookieRefresh)); rt != "" {
		if err := h.Store.RevokeRefreshFamily(c.UserContext(), rt); err != nil {
			return err
		}
	}
	if sid, _ := c.Locals(sessionKey).(string); sid != "" {
		if err := h.Store.EndSession(c.UserContext(), sid); err != nil {
			return err
		}
	}
	h.clearSession(c)
	return h.Redirect(c, "/login", "flash.signed_out")
}

func formValueCookie(c *fiber.Ctx, name string) string {
	return strings.Clone(c.Cookies(name))
}
