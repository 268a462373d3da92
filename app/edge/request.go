package edge

import (
	"strconv"

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

// FilePage reads the page of a file's notes a request asks for: ?before= or
// ?after= (cursors the file gave) and ?limit=. A limit that is not a number
// is a validation problem here; its range and the cursors are checked by the
// store (FilePage.Check), which refuses them the same way.
func FilePage(c *fiber.Ctx) (records.FilePage, error) {
	p := records.FilePage{Before: utils.CopyString(c.Query("before")), After: utils.CopyString(c.Query("after"))}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, InvalidField("limit", "limit must be between 1 and "+strconv.Itoa(records.MaxFilePage))
		}
		p.Limit = n
	}
	return p, nil
}
