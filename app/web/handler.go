// Package web serves nabij's pages in the browser. Package ui holds the
// templates, strings and assets; the handlers (one file per action) parse the
// form, call the same records and consent methods as the API — which
// authorize and write the access record, so a page view of client data is a
// read like any other — and render.
//
// This package holds what every page shares: the cookie session, CSRF,
// rendering, form helpers, error pages, sign-in, sign-out and the second
// factor, and the views more than one role shows (a client file, an access
// log, consents). The pages of each role live in pro, client, dpo and admin,
// and register through Pages.
//
// Sessions use no table of their own: the access cookie holds the EdDSA access
// token the API uses, the refresh cookie a refresh token stored with a
// 30-minute lifetime. Each rotation (when the access token has expired) gives
// another 30 minutes, so a session left alone ends by itself (idle time-out).
package web

import (
	"time"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// Handler serves the pages. The role packages embed it.
type Handler struct {
	Store         records.Store
	Auth          *auth.Service
	Now           func() time.Time // the server's clock
	Logf          func(format string, args ...any)
	SecureCookies bool // mark cookies Secure (served over TLS)
}

// Consent is the consent and retention policy over the store, on the
// server's clock.
func (h *Handler) Consent() *consent.Service { return consent.New(h.Store, h.Now) }
