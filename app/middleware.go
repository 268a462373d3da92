package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// requireAuth checks the bearer token and that the account is still active, and
// puts the Actor in the context. Tokens come only from the Authorization header,
// never from the URL.
func (s *Server) requireAuth(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || raw == "" {
		return edge.Fail(edge.ProbUnauthorized)
	}
	claims, u, err := s.auth.SessionUser(c.UserContext(), raw)
	if err != nil {
		return err
	}
	edge.SetActor(c, u)
	if claims.Pending && !strings.HasPrefix(c.Path(), "/api/v1/auth/totp") && c.Path() != "/api/v1/me" {
		return edge.FailDetail(edge.Problem{Type: edge.ProblemBase + "totp-enrolment-required", Title: "Set up a second factor first",
			Status: fiber.StatusForbidden}, "your role requires a second factor: POST /api/v1/auth/totp/enrol")
	}
	return c.Next()
}

// allow lets only the given roles through. A refused request writes a denied
// access record (naming the client when the route has one), then gets 403.
func (s *Server) allow(roles ...records.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a := edge.Actor(c)
		for _, r := range roles {
			if a.Role == r {
				return c.Next()
			}
		}
		if err := s.Store.RecordDenied(c.UserContext(), a, utils.CopyString(c.Params("id")), routeKind(c), records.Action(actionOf(c))); err != nil {
			return err
		}
		return edge.FailDetail(edge.ProbForbidden, "your role does not do this")
	}
}

func actionOf(c *fiber.Ctx) records.Action {
	if c.Method() == fiber.MethodGet {
		return records.ActionRead
	}
	if strings.Contains(c.Path(), "/corrections") {
		return records.ActionCorrect
	}
	return records.ActionCreate
}

// routeKind names what a route is about, for denied records: the last literal
// path segment of the route template (file, notes, access-log…).
func routeKind(c *fiber.Ctx) string {
	parts := strings.Split(strings.TrimPrefix(c.Route().Path, "/api/v1/"), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if p := parts[i]; p != "" && !strings.HasPrefix(p, ":") {
			return p
		}
	}
	return "api"
}
