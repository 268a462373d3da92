package edge

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/nabij/nabij/records"
)

// Middleware is what the server gives the API and the pages when they
// register their routes.
type Middleware struct {
	// SignedIn checks the bearer token of an API call and puts the actor in
	// the request (pages have their own cookie session).
	SignedIn fiber.Handler
	// Allow lets only the given roles through; a refused request writes a
	// denied access record, then gets 403.
	Allow func(roles ...records.Role) fiber.Handler
}

// Param copies a path parameter: Fiber reuses its buffer after the handler.
func Param(c *fiber.Ctx, name string) string { return utils.CopyString(c.Params(name)) }

type ctxKey int

const (
	actorKey ctxKey = iota
	userKey
)

// SetActor puts the signed-in user and their Actor in the request context.
func SetActor(c *fiber.Ctx, u *records.User) {
	c.Locals(actorKey, records.Actor{UserID: u.ID, Role: u.Role, ClientID: u.ClientID, Remote: Remote(c)})
	c.Locals(userKey, u)
}

// Actor is who makes the request, as records wants it; the zero Actor when
// nobody is signed in.
func Actor(c *fiber.Ctx) records.Actor {
	a, _ := c.Locals(actorKey).(records.Actor)
	return a
}

// CurrentUser is the signed-in user, or nil.
func CurrentUser(c *fiber.Ctx) *records.User {
	u, _ := c.Locals(userKey).(*records.User)
	return u
}
