package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// userCreate adds a staff account without a password and shows its one-time
// activation code, as POST /api/v1/users does: nobody chooses another
// person's password.
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
	act, hash, err := h.NewActivationCode()
	if err != nil {
		return err
	}
	u, err := h.Store.CreateUser(c.UserContext(), edge.Actor(c), records.NewUser{Username: in["username"], Role: records.Role(in["role"]),
		DisplayName: in["display_name"], ActivationCodeHash: hash})
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
	act.Username, act.BackURL, act.BackKey = u.Username, "/admin/users", "activation.back_users"
	return h.RenderActivation(c, "flash.user_created", act)
}
