package app

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
func (s *Server) csrfToken(c *fiber.Ctx) string {
	seed, _ := c.Locals(csrfSeedKey).(string)
	uid := ""
	if u := edge.CurrentUser(c); u != nil {
		uid = u.ID
	}
	m := hmac.New(sha256.New, s.auth.DeriveKey("nabij page csrf v1"))
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
