package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// isPage tells a browser page request from an API call: everything outside
// /api, /healthz, /readyz and /metrics is a page.
func isPage(c *fiber.Ctx) bool {
	p := c.Path()
	return !strings.HasPrefix(p, "/api/") && p != "/healthz" && p != "/readyz" && p != "/metrics"
}

// pageRoutes wires the web pages (package ui).
func (s *Server) pageRoutes() {}

// pageError renders a readable error page.
func (s *Server) pageError(c *fiber.Ctx, p Problem) error {
	return sendProblem(c, p)
}
