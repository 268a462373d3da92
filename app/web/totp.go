package web

import (
	"bytes"
	"image/png"
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/ui"
)

type totpView struct {
	Secret string
	QR     any // template.URL of a PNG, or nil
}

// totpForm is the enrolment page: the only page a session whose role requires
// a second factor may see until it is set up.
func (h *Handler) totpForm(c *fiber.Ctx) error {
	u := edge.CurrentUser(c)
	if u.TOTPEnabled {
		return c.Redirect(roleHome(u.Role), fiber.StatusSeeOther)
	}
	return h.renderTOTP(c, fiber.StatusOK, nil)
}

func (h *Handler) renderTOTP(c *fiber.Ctx, status int, errs map[string]string) error {
	u := edge.CurrentUser(c)
	ctx := c.UserContext()
	secret, err := h.Store.TOTPSecret(ctx, u.ID)
	if err != nil {
		return err
	}
	if secret == "" { // start enrolment: a secret, stored sealed, not yet enabled
		key, err := totp.Generate(totp.GenerateOpts{Issuer: "nabij", AccountName: u.Username})
		if err != nil {
			return err
		}
		secret = key.Secret()
		if err := h.Store.SetTOTP(ctx, u.ID, secret, false); err != nil {
			return err
		}
	}
	tv := totpView{Secret: secret}
	q := url.Values{"secret": {secret}, "issuer": {"nabij"}}
	if key, err := otp.NewKeyFromURL("otpauth://totp/nabij:" + url.PathEscape(u.Username) + "?" + q.Encode()); err == nil {
		if img, err := key.Image(200, 200); err == nil {
			var b bytes.Buffer
			if png.Encode(&b, img) == nil {
				tv.QR = ui.PNGDataURL(b.Bytes())
			}
		}
	}
	v := h.View(c, "totp.title")
	v.Errors = errs
	v.Data = tv
	return h.Render(c, status, "totp", v)
}

// totpConfirm turns the second factor on once a valid code is shown, and
// gives the session a token that is no longer limited to enrolment.
func (h *Handler) totpConfirm(c *fiber.Ctx) error {
	u := edge.CurrentUser(c)
	if u.TOTPEnabled {
		return c.Redirect(roleHome(u.Role), fiber.StatusSeeOther)
	}
	ctx := c.UserContext()
	secret, err := h.Store.TOTPSecret(ctx, u.ID)
	if err != nil {
		return err
	}
	// The same check as the API's sign-in: a code is accepted once (no replay).
	ok := false
	if secret != "" {
		if ok, err = h.Auth.CheckTOTP(ctx, u.ID, secret, FormValue(c, "code")); err != nil {
			return err
		}
	}
	if !ok {
		return h.renderTOTP(c, fiber.StatusUnprocessableEntity, map[string]string{"code": "invalid.code"})
	}
	if err := h.Store.SetTOTP(ctx, u.ID, secret, true); err != nil {
		return err
	}
	u.TOTPEnabled = true
	sid, _ := c.Locals(sessionKey).(string)
	access, _, err := h.Auth.IssueAccess(u, false, sid)
	if err != nil {
		return err
	}
	h.setCookie(c, cookieAccess, access)
	return h.Redirect(c, roleHome(u.Role), "flash.totp_enabled")
}
