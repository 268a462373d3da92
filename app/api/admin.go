package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type createUserRequest struct {
	Username    string `json:"username"`
	Role        string `json:"role"`
	DisplayName string `json:"display_name,omitempty"`
	ClientID    string `json:"client_id,omitempty"`
}

// accountCreated is a new account with its activation code: shown this once
// (only its hash is kept), for the account's holder to set their own password.
type accountCreated struct {
	*records.User
	Activation activation `json:"activation"`
}

type activation struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (h *Handler) newActivation() (activation, []byte, error) {
	code, hash, err := auth.NewActivationCode()
	if err != nil {
		return activation{}, nil, err
	}
	return activation{Code: code, ExpiresAt: h.Now().Add(records.ActivationTTL).UTC()}, hash, nil
}

func (h *Handler) listUsers(c *fiber.Ctx) error {
	list, err := h.Store.Users(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"users": list})
}

// createUser adds a staff account without a password and returns its
// one-time activation code: nobody chooses another person's password.
func (h *Handler) createUser(c *fiber.Ctx) error {
	var in createUserRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	act, hash, err := h.newActivation()
	if err != nil {
		return err
	}
	u, err := h.Store.CreateUser(c.UserContext(), edge.Actor(c), records.NewUser{Username: in.Username, Role: records.Role(in.Role),
		DisplayName: in.DisplayName, ClientID: in.ClientID, ActivationCodeHash: hash})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, accountCreated{User: u, Activation: act})
}

// issueActivationCode replaces the code of an account not activated yet (the
// first one was lost or expired).
func (h *Handler) issueActivationCode(c *fiber.Ctx) error {
	act, hash, err := h.newActivation()
	if err != nil {
		return err
	}
	id := edge.Param(c, "uid")
	if err := h.Store.IssueActivationCode(c.UserContext(), edge.Actor(c), id, hash); err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, act)
}

func (h *Handler) disableUser(c *fiber.Ctx) error { return h.setDisabled(c, true) }
func (h *Handler) enableUser(c *fiber.Ctx) error  { return h.setDisabled(c, false) }

func (h *Handler) setDisabled(c *fiber.Ctx, disabled bool) error {
	id := edge.Param(c, "uid")
	if err := h.Store.SetUserDisabled(c.UserContext(), edge.Actor(c), id, disabled); err != nil {
		return err
	}
	u, err := h.Store.UserByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, u)
}

type teamRequest struct {
	Name string `json:"name"`
}

func (h *Handler) listTeams(c *fiber.Ctx) error {
	list, err := h.Store.Teams(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"teams": list})
}

func (h *Handler) createTeam(c *fiber.Ctx) error {
	var in teamRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	t, err := h.Store.CreateTeam(c.UserContext(), edge.Actor(c), in.Name)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, t)
}

type memberRequest struct {
	UserID string `json:"user_id"`
}

func (h *Handler) addTeamMember(c *fiber.Ctx) error {
	var in memberRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if err := h.Store.AddTeamMember(c.UserContext(), edge.Actor(c), edge.Param(c, "tid"), in.UserID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type assignRequest struct {
	ClientID string `json:"client_id"`
	UserID   string `json:"user_id,omitempty"`
	TeamID   string `json:"team_id,omitempty"`
}

func (h *Handler) listAssignments(c *fiber.Ctx) error {
	list, err := h.Store.Assignments(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"assignments": list})
}

func (h *Handler) assign(c *fiber.Ctx) error {
	var in assignRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if in.ClientID == "" {
		return edge.InvalidField("client_id", "client_id is required")
	}
	as, err := h.Store.Assign(c.UserContext(), edge.Actor(c), in.ClientID, in.UserID, in.TeamID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, as)
}

func (h *Handler) endAssignment(c *fiber.Ctx) error {
	if err := h.Store.EndAssignment(c.UserContext(), edge.Actor(c), edge.Param(c, "aid")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
