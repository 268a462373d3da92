package app

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web/admin"
	"github.com/nabij/nabij/app/web/client"
	"github.com/nabij/nabij/app/web/dpo"
	"github.com/nabij/nabij/app/web/network"
	"github.com/nabij/nabij/app/web/pro"
	"github.com/nabij/nabij/app/web/tools"
	"github.com/nabij/nabij/records"
)

// routes wires every route of the server, in this order (Fiber matches in
// order):
//
//   - health, metrics and the OpenAPI document (here);
//   - the JSON API under /api/v1: api/routes.go;
//   - the pages open to every visitor (static assets, language, home, sign-in
//     and sign-out, second factor): web/routes.go;
//   - the signed-in pages of each role: web/pro, web/client, web/dpo and
//     web/admin and web/network, each in its routes.go;
//   - last, the problem+json 404 for unknown API paths.
//
// The API and the pages get the bearer check and the role checks (which
// write a denied access record) from here, as edge.Middleware. The OpenAPI
// document (openapi.json) lists the same API routes; a test checks that the
// two agree.
func (s *Server) routes() {
	a := s.App
	a.Get("/healthz", s.healthz)
	a.Get("/readyz", s.readyz)
	a.Get("/metrics", s.metricsAllowed, s.metrics.handler())
	a.Get("/api/openapi.json", s.openapi)

	mw := edge.Middleware{SignedIn: s.requireAuth, Allow: s.allow}
	v1 := a.Group("/api/v1")
	s.api.Routes(v1, mw)
	w := s.web
	w.Routes(a)
	pages := w.Pages(a)
	(&pro.Handler{Handler: w}).Routes(pages, mw)
	(&client.Handler{Handler: w}).Routes(pages, mw)
	(&dpo.Handler{Handler: w}).Routes(pages, mw)
	(&admin.Handler{Handler: w}).Routes(pages, mw)
	(&network.Handler{Handler: w}).Routes(pages, mw)
	(&tools.Handler{Handler: w}).Routes(pages, mw)
	v1.Use(func(c *fiber.Ctx) error { return edge.Fail(edge.ProbNotFoundRoute) })
	s.metrics.knowRoutes(a)
}

func (s *Server) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// readyz says ready only when a write would succeed now: the database
// answers, takes a write, and its disk has more free space than the margin.
// A server that can only read is not ready: every write would fail.
func (s *Server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 5*time.Second)
	defer cancel()
	err := s.Store.Ping(ctx)
	if err == nil {
		err = s.Store.Ready(ctx)
	}
	if err != nil {
		s.cfg.Logf("not ready: %v", err) // codes and SQLite's words, never data
		msg := "database does not take writes"
		if records.ErrorCode(err) == records.EFULL {
			msg = "storage full: free disk below the margin"
		}
		return c.Status(fiber.StatusServiceUnavailable).SendString(msg)
	}
	// A log the server can no longer vouch for is not ready: it signs nothing
	// more, and the data officer must look (verify shows why).
	if h := s.Store.LogHealth(); !h.OK {
		return c.Status(fiber.StatusServiceUnavailable).SendString("access log broken")
	}
	return c.SendString("ready")
}
