package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
)

type teamRow struct {
	ID, Name string
	Members  []string
}

type teamsView struct {
	Teams         []teamRow
	Professionals []option
}

// teams lists teams with their members, a form per team to add a
// professional, and a form to add a team.
func (h *Handler) teams(c *fiber.Ctx) error {
	return h.renderTeams(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderTeams(c *fiber.Ctx, status int, errs, form map[string]string) error {
	ctx, a := c.UserContext(), edge.Actor(c)
	teams, err := h.Store.Teams(ctx, a)
	if err != nil {
		return err
	}
	users, err := h.Store.Users(ctx, a)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, u := range users {
		names[u.ID] = u.Username
	}
	tv := teamsView{Professionals: professionals(users)}
	for _, t := range teams {
		r := teamRow{ID: t.ID, Name: t.Name}
		for _, m := range t.MemberIDs {
			r.Members = append(r.Members, names[m])
		}
		tv.Teams = append(tv.Teams, r)
	}
	v := h.View(c, "admin_teams.title")
	v.Errors, v.Form, v.Data = errs, form, tv
	return h.Render(c, status, "admin_teams", v)
}
