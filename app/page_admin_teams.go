package app

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

// pageAdminTeams lists teams with their members, a form per team to add a
// professional, and a form to add a team.
func (s *Server) pageAdminTeams(c *fiber.Ctx) error {
	return s.renderAdminTeams(c, fiber.StatusOK, nil, nil)
}

func (s *Server) renderAdminTeams(c *fiber.Ctx, status int, errs, form map[string]string) error {
	ctx, a := c.UserContext(), edge.Actor(c)
	teams, err := s.Store.Teams(ctx, a)
	if err != nil {
		return err
	}
	users, err := s.Store.Users(ctx, a)
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
	v := s.view(c, "admin_teams.title")
	v.Errors, v.Form, v.Data = errs, form, tv
	return s.render(c, status, "admin_teams", v)
}
