package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// routes wires every route. The OpenAPI document (openapi.json) lists the same
// routes; a test checks that the two agree.
func (s *Server) routes() {
	a := s.App
	a.Get("/healthz", s.healthz)
	a.Get("/readyz", s.readyz)
	a.Get("/metrics", s.metrics.handler())
	a.Get("/api/openapi.json", s.openapi)

	v1 := a.Group("/api/v1")
	v1.Post("/auth/login", s.login)
	v1.Post("/auth/refresh", s.refresh)
	v1.Post("/auth/logout", s.logout)

	auth := v1.Group("", s.requireAuth)
	auth.Get("/me", s.me)
	auth.Post("/auth/totp/enrol", s.totpEnrol)
	auth.Post("/auth/totp/confirm", s.totpConfirm)

	pro := s.allow(records.RoleProfessional)
	auth.Get("/clients", pro, s.listCaseload)
	auth.Post("/clients", pro, s.createClient)
	auth.Get("/clients/:id", pro, s.getClient)
	auth.Get("/clients/:id/file", pro, s.getClientFile)
	auth.Post("/clients/:id/trajectories", pro, s.createTrajectory)
	auth.Post("/clients/:id/contacts", pro, s.createContact)
	auth.Post("/clients/:id/notes", pro, s.createNote)
	auth.Post("/notes/:nid/corrections", pro, s.correctNote)
	auth.Post("/clients/:id/break-glass", pro, s.breakGlass)
	auth.Post("/clients/:id/account", pro, s.createClientAccount)

	cl := s.allow(records.RoleClient)
	auth.Get("/me/file", cl, s.myFile)
	auth.Get("/me/access-log", cl, s.myAccessLog)
	auth.Post("/me/entries", cl, s.createEntry)

	dpo := s.allow(records.RoleDataOfficer)
	auth.Get("/access-log", dpo, s.accessLog)
	auth.Get("/access-log/verify", dpo, s.verifyAccessLog)
	auth.Get("/anomalies", dpo, s.anomalies)

	adm := s.allow(records.RoleAdmin)
	auth.Get("/users", adm, s.listUsers)
	auth.Post("/users", adm, s.createUser)
	auth.Post("/users/:uid/disable", adm, s.disableUser)
	auth.Post("/users/:uid/enable", adm, s.enableUser)
	auth.Get("/teams", adm, s.listTeams)
	auth.Post("/teams", adm, s.createTeam)
	auth.Post("/teams/:tid/members", adm, s.addTeamMember)
	auth.Get("/caseload-assignments", adm, s.listAssignments)
	auth.Post("/caseload-assignments", adm, s.assign)
	auth.Post("/caseload-assignments/:aid/end", adm, s.endAssignment)

	s.consentRoutes(auth)
	s.pageRoutes()
	v1.Use(func(c *fiber.Ctx) error { return edge.Fail(edge.ProbNotFoundRoute) })
}

func (s *Server) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

func (s *Server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := s.Store.Ping(c.UserContext()); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("database not ready")
	}
	return c.SendString("ready")
}
