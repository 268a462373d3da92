package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// ActivationData is what the activation-code page shows: the code once, in a
// block that prints well, with what the person does next.
type ActivationData struct {
	Username  string
	Code      string
	ExpiresAt time.Time
	BackURL   string // where the page that made the account lives
	BackKey   string // translation key of the link back
}

// NewActivationCode makes an activation code for a new account and the hash
// that the store keeps instead of it.
func (h *Handler) NewActivationCode() (ActivationData, []byte, error) {
	code, hash, err := auth.NewActivationCode()
	if err != nil {
		return ActivationData{}, nil, err
	}
	return ActivationData{Code: code, ExpiresAt: h.Now().Add(records.ActivationTTL)}, hash, nil
}

// RenderActivation shows a new account's activation code, once; flash says
// what was done. Only the code's hash is kept, so this page cannot be shown
// again: a lost code is replaced by a new one.
func (h *Handler) RenderActivation(c *fiber.Ctx, flash string, d ActivationData) error {
	v := h.View(c, "activation.title")
	v.Flash = flash
	v.Data = d
	return h.Render(c, fiber.StatusOK, "activation_code", v)
}

// PasswordErrorKey is the translation key for why a password someone chooses
// is refused, or "" when it is acceptable: the rules of auth.CheckNewPassword.
func PasswordErrorKey(pw string) string {
	if err := auth.CheckNewPassword("password", pw); err != nil {
		if auth.IsCommonPassword(pw) {
			return "invalid.password_common"
		}
		return "invalid.password"
	}
	return ""
}

// activateForm asks for username, activation code and a password of one's own.
func (h *Handler) activateForm(c *fiber.Ctx) error {
	v := h.View(c, "activate.title")
	return h.Render(c, fiber.StatusOK, "activate", v)
}

// activatePost sets the first password with auth.Service.Activate, as POST
// /api/v1/auth/activate does; then the person signs in.
func (h *Handler) activatePost(c *fiber.Ctx) error {
	in := FormValues(c, "username", "code", "password")
	in["username"] = strings.TrimSpace(in["username"])
	errs := map[string]string{}
	if in["username"] == "" {
		errs["username"] = "error.username_required"
	}
	if strings.TrimSpace(in["code"]) == "" {
		errs["code"] = "error.code_required"
	}
	if k := PasswordErrorKey(in["password"]); k != "" {
		errs["password"] = k
	}
	status := fiber.StatusUnprocessableEntity
	if len(errs) == 0 {
		_, err := h.Auth.Activate(c.UserContext(), edge.Remote(c), in["username"], in["code"], in["password"])
		if err == nil {
			return h.Redirect(c, "/login", "flash.activated")
		}
		p := edge.ProblemFor(err)
		switch p.Type {
		case edge.ProbBadActivation.Type:
			errs[ui.FormError] = "error.activation_failed"
		case edge.ProbRateLimited.Type:
			errs[ui.FormError] = "error.rate_limited"
			edge.SetRetryAfter(c, p)
		default:
			return err
		}
		status = p.Status
	}
	v := h.View(c, "activate.title")
	v.Errors = errs
	v.Form = map[string]string{"username": in["username"]} // never the code or password
	return h.Render(c, status, "activate", v)
}

// passwordForm lets a signed-in person change their own password.
func (h *Handler) passwordForm(c *fiber.Ctx) error {
	return h.Render(c, fiber.StatusOK, "account_password", h.View(c, "account_password.title"))
}

// passwordPost changes the password with auth.Service.ChangePassword, as POST
// /api/v1/me/password does. Every session of the account ends; this browser
// gets a new one.
func (h *Handler) passwordPost(c *fiber.Ctx) error {
	in := FormValues(c, "current_password", "new_password")
	errs := map[string]string{}
	if in["current_password"] == "" {
		errs["current_password"] = "error.password_required"
	}
	if k := PasswordErrorKey(in["new_password"]); k != "" {
		errs["new_password"] = k
	}
	status := fiber.StatusUnprocessableEntity
	if len(errs) == 0 {
		err := h.Auth.ChangePassword(c.UserContext(), edge.Actor(c), in["current_password"], in["new_password"])
		if err == nil {
			u := edge.CurrentUser(c)
			if err := h.startSession(c, u, h.Auth.Pending(u)); err != nil {
				return err
			}
			return h.Redirect(c, roleHome(u.Role), "flash.password_changed")
		}
		p := edge.ProblemFor(err)
		switch {
		case p.Type == edge.ProbRateLimited.Type:
			errs[ui.FormError] = "error.rate_limited"
			edge.SetRetryAfter(c, p)
		case len(p.Errors) == 1 && p.Errors[0].Field == "current_password":
			errs["current_password"] = "error.current_password_wrong"
		case len(p.Errors) == 1 && p.Errors[0].Field == "new_password":
			errs["new_password"] = "invalid.password_same"
		default:
			return err
		}
		status = p.Status
	}
	v := h.View(c, "account_password.title")
	v.Errors = errs
	return h.Render(c, status, "account_password", v)
}
