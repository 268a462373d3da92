package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
)

// csrfToken is the double-submit token of this browser and user: an HMAC of
// the random seed in the browser's CSRF cookie and the signed-in user's id.
// Another site can neither read the seed nor compute the HMAC.
func (h *Handler) csrfToken(c *fiber.Ctx) string {
	seed, _ := c.Locals(csrfSeedKey).(string)
	uid := ""
	if u := edge.CurrentUser(c); u != nil {
		uid = u.ID
	}
	m := hmac.New(sha256.New, h.Auth.DeriveKey("nabij page csrf v1"))
	m.Write([]byte(seed + "\x00" + uid))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses a POST whose _csrf field does not match, with a readable
// page; nothing is changed.
func (h *Handler) checkCSRF(c *fiber.Ctx) error {
	got := c.FormValue("_csrf")
	if got == "" || !hmac.Equal([]byte(got), []byte(h.csrfToken(c))) {
		return h.renderError(c, 419)
	}
	return c.Next()
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("web: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
