package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

type createUserRequest struct {
	Username    string `json:"username"`
	Role        string `json:"role"`
	DisplayName string `json:"display_name,omitempty"`
	Password    string `json:"password"`
	ClientID    string `json:"client_id,omitempty"`
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	list, err := s.Store.Users(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"users": list})
}

func (s *Server) createUser(c *fiber.Ctx) error {
	var in createUserRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if err := auth.CheckPassword(in.Password); err != nil {
		return err
	}
	h, err := crypto.HashPassword(in.Password)
	if err != nil {
		return err
	}
	u, err := s.Store.CreateUser(c.UserContext(), edge.Actor(c), records.NewUser{Username: in.Username, Role: records.Role(in.Role),
		DisplayName: in.DisplayName, PasswordHash: h, ClientID: in.ClientID})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, u)
}

func (s *Server) disableUser(c *fiber.Ctx) error { return s.setDisabled(c, true) }
func (s *Server) enableUser(c *fiber.Ctx) error  { return s.setDisabled(c, false) }

func (s *Server) setDisabled(c *fiber.Ctx, disabled bool) error {
	id := edge.Param(c, "uid")
	if err := s.Store.SetUserDisabled(c.UserContext(), edge.Actor(c), id, disabled); err != nil {
		return err
	}
	u, err := s.Store.UserByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, u)
}

type teamRequest struct {
	Name string `json:"name"`
}

func (s *Server) listTeams(c *fiber.Ctx) error {
	list, err := s.Store.Teams(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"teams": list})
}

func (s *Server) createTeam(c *fiber.Ctx) error {
	var in teamRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	t, err := s.Store.CreateTeam(c.UserContext(), edge.Actor(c), in.Name)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, t)
}

type memberRequest struct {
	UserID string `json:"user_id"`
}

func (s *Server) addTeamMember(c *fiber.Ctx) error {
	var in memberRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if err := s.Store.AddTeamMember(c.UserContext(), edge.Actor(c), edge.Param(c, "tid"), in.UserID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type assignRequest struct {
	ClientID string `json:"client_id"`
	UserID   string `json:"user_id,omitempty"`
	TeamID   string `json:"team_id,omitempty"`
}

func (s *Server) listAssignments(c *fiber.Ctx) error {
	list, err := s.Store.Assignments(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"assignments": list})
}

func (s *Server) assign(c *fiber.Ctx) error {
	var in assignRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if in.ClientID == "" {
		return edge.InvalidField("client_id", "client_id is required")
	}
	as, err := s.Store.Assign(c.UserContext(), edge.Actor(c), in.ClientID, in.UserID, in.TeamID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, as)
}

func (s *Server) endAssignment(c *fiber.Ctx) error {
	if err := s.Store.EndAssignment(c.UserContext(), edge.Actor(c), edge.Param(c, "aid")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
