package admin

import (
	"cmp"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

var userFields = []string{"username", "display_name", "role", "client_id"}

// option is one choice of a select: a professional or a team.
type option struct{ ID, Label string }

// professionals lists the active professionals as choices, by username.
func professionals(users []records.User) []option {
	var out []option
	for _, u := range users {
		if u.Role == records.RoleProfessional && !u.Disabled {
			label := u.Username
			if u.DisplayName != "" {
				label = u.DisplayName + " (" + u.Username + ")"
			}
			out = append(out, option{ID: u.ID, Label: label})
		}
	}
	slices.SortFunc(out, func(a, b option) int { return cmp.Compare(a.Label, b.Label) })
	return out
}

// users lists the accounts with a form to add one.
func (h *Handler) users(c *fiber.Ctx) error {
	return h.renderUsers(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderUsers(c *fiber.Ctx, status int, errs, form map[string]string) error {
	users, err := h.Store.Users(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	v := h.View(c, "admin_users.title")
	v.Errors, v.Form = errs, form
	v.Data = struct{ Users []records.User }{users}
	return h.Render(c, status, "admin_users", v)
}
