package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

// userCreate adds an account. The password is checked as the API
// checks it and never sent back to the browser.
func (h *Handler) userCreate(c *fiber.Ctx) error {
	in := web.FormValues(c, userFields...)
	for _, f := range []string{"username", "display_name", "role"} {
		in[f] = strings.TrimSpace(in[f])
	}
	refuse := func(errs map[string]string) error {
		return h.renderUsers(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	if !records.Role(in["role"]).Valid() {
		return refuse(map[string]string{"role": "invalid.role"})
	}
	if records.Role(in["role"]) == records.RoleClient {
		// A client's login is made by their professional, from the client's file.
		return refuse(map[string]string{"role": "invalid.role_staff"})
	}
	if err := auth.CheckPassword(in["password"]); err != nil {
		return refuse(map[string]string{"password": "invalid.password"})
	}
	hash, err := crypto.HashPassword(in["password"])
	if err != nil {
		return err
	}
	_, err = h.Store.CreateUser(c.UserContext(), edge.Actor(c), records.NewUser{Username: in["username"], Role: records.Role(in["role"]),
		DisplayName: in["display_name"], PasswordHash: hash})
	if err != nil {
		if records.ErrorCode(err) == records.ECONFLICT {
			return refuse(map[string]string{"username": "invalid.username_taken"})
		}
		errs, ok := web.FormErrors(err, userFields, nil, nil)
		if !ok {
			return err
		}
		return refuse(errs)
	}
	return h.Redirect(c, "/admin/users", "flash.user_created")
}
