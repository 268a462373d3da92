package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/nabij/nabij/app/api"
	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// Server is a running nabij: the store, the keys and the Fiber app.
type Server struct {
	cfg     Config
	Store   records.Store
	Keyring *crypto.Keyring
	App     *fiber.App
	metrics *metrics
	auth    *auth.Service // sign-in, for the API and the pages
	api     *api.Handler
	web     *web.Handler
	// lnMu guards ln and shutDown: Serve and Shutdown may race.
	lnMu     sync.Mutex
	ln       net.Listener
	shutDown bool
	stop     chan struct{}
	stopped  chan struct{}
	// instance names this process when it takes a turn (records.Shared):
	// random, so that two instances on one database never share a name.
	instance string
}

// New opens the data dir and builds the server; it does not listen yet.
func New(cfg Config) (*Server, error) {
	cfg.Defaults()
	if !cfg.HasStore() {
		return nil, errors.New("no data dir: pass --data DIR or set NABIJ_DATA (with --db postgres://…, NABIJ_KEYS_DIR may name the keys instead)")
	}
	proxies, err := edge.ParseProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	st, kr, err := sqlite.OpenDir(cfg.DataDir, cfg.DirOptions())
	if err != nil {
		return nil, err
	}
	tk, err := kr.SigningKey("tokens")
	if err != nil {
		st.Close()
		return nil, err
	}
	s := &Server{cfg: cfg, Store: st, Keyring: kr, metrics: newMetrics(), stop: make(chan struct{}), stopped: make(chan struct{}),
		instance: rand.Text()}
	s.auth = auth.New(auth.Config{Store: st, Key: tk, Now: cfg.Now, AccessTTL: cfg.AccessTTL, RequireTOTP: cfg.RequireTOTP,
		MaxHashing: cfg.MaxHashing,
		Outcome:    func(outcome string) { s.metrics.logins.WithLabelValues(outcome).Inc() }})
	s.api = &api.Handler{Store: st, Auth: s.auth, Now: cfg.Now, Logf: cfg.Logf, RefreshTTL: cfg.RefreshTTL}
	s.api.ReadableExport = func(ex *records.Export, lang string) ([]byte, error) { return web.ReadableExport(ex, lang, cfg.Now()) }
	s.web = &web.Handler{Store: st, Auth: s.auth, Now: cfg.Now, Logf: cfg.Logf, SecureCookies: cfg.SecureCookies}
	s.App = fiber.New(fiber.Config{
		AppName:               "nabij",
		BodyLimit:             cfg.BodyLimit,
		ErrorHandler:          s.errorHandler,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		// No ProxyHeader: c.IP() is always the connection's address, and the
		// client's address comes only from edge.Remote, which believes
		// X-Forwarded-For from trusted proxies alone, and only as far as they vouch.
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
	})
	s.App.Use(recover.New())
	s.App.Use(edge.RemoteMiddleware(proxies))
	s.App.Use(s.observe)
	s.App.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		ReferrerPolicy:            "no-referrer",
		PermissionPolicy:          "camera=(), microphone=(), geolocation=()",
		CrossOriginEmbedderPolicy: "require-corp",
	}))
	if cfg.SecureCookies {
		s.App.Use(strictTransport)
	}
	s.routes()
	go s.checkpoints()
	s.startRetentionSchedule()
	return s, nil
}

// strictTransport tells browsers to use only https for this host (and its
// subdomains) for two years, so a first plain-http request cannot be
// intercepted. Sent only when nabij is served over TLS (SecureCookies): over
// plain http the header would be ignored, and a local demo must stay reachable.
func strictTransport(c *fiber.Ctx) error {
	c.Set(fiber.HeaderStrictTransportSecurity, "max-age=63072000; includeSubDomains")
	return c.Next()
}

// checkpointEvery is how soon a record is covered by a signed checkpoint (and
// handed to the witness): records after the last checkpoint are what someone
// with the database file could still cut or rewrite unnoticed.
const checkpointEvery = time.Second

// checkpoints signs the access-log head every second while it moves (a
// checkpoint of an unmoved head is skipped), so that little of the log is ever
// left unsigned.
func (s *Server) checkpoints() {
	defer close(s.stopped)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	var last string
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			err := s.Store.Checkpoint(context.Background())
			// Log a failure once, not every second.
			if msg := fmt.Sprint(err); err != nil && msg != last {
				s.cfg.Logf("checkpoint failed: %v", err)
				last = msg
			} else if err == nil {
				last = ""
			}
		}
	}
}

// Serve answers on ln until Shutdown.
// A Shutdown that comes before Serve has taken the listener (Fiber would lose
// it, and Serve would then never return) closes the listener instead, so Serve
// returns at once, with nil as after any Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.lnMu.Lock()
	if s.shutDown {
		s.lnMu.Unlock()
		ln.Close()
		return nil // as after a Shutdown while serving
	}
	s.ln = ln
	s.lnMu.Unlock()
	return s.App.Listener(ln)
}

// Shutdown stops taking requests, lets running ones finish (up to the timeout),
// signs a last checkpoint and closes the store.
func (s *Server) Shutdown(timeout time.Duration) error {
	err := s.App.ShutdownWithTimeout(timeout)
	s.lnMu.Lock()
	s.shutDown = true
	if s.ln != nil {
		s.ln.Close() // already closed when Serve had started; ends a Serve that had not
	}
	s.lnMu.Unlock()
	close(s.stop)
	<-s.stopped
	// Close signs the last checkpoint and tells the witness the store closed.
	return errors.Join(err, s.Store.Close())
}

// errorHandler turns every error into problem+json for the API (pages render
// their own errors).
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	p := edge.ProblemFor(err)
	if p.Status >= 500 {
		// The cause may hold SQL or paths, never personal data (records errors
		// carry ids and codes only); log it, do not send it.
		s.cfg.Logf("error %s %s: %v", c.Method(), c.Route().Path, err)
	}
	if isPage(c) {
		return s.web.ErrorPage(c, p)
	}
	return edge.SendProblem(c, p)
}

func (s *Server) String() string { return fmt.Sprintf("nabij on %s", s.cfg.Addr) }

// isPage tells a browser page request from an API call: everything outside
// /api, /healthz, /readyz and /metrics is a page.
func isPage(c *fiber.Ctx) bool {
	p := c.Path()
	return !strings.HasPrefix(p, "/api/") && p != "/healthz" && p != "/readyz" && p != "/metrics"
}
