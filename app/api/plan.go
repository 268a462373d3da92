package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// The client's plan and network (documented in openapi/plan.json). The
// client's routes act on their own file; a network member reads the plan of
// the client who invited them; a professional acts on a client by id.

type planText struct {
	Text string `json:"text"`
}

type planComment struct {
	GoalID string `json:"goal_id"`
	Text   string `json:"text"`
}

type networkInvite struct {
	Username string `json:"username"`
}

// myPlan: the client's own plan, or, for a network member, the plan of the
// client who invited them.
func (h *Handler) myPlan(c *fiber.Ctx) error {
	a := edge.Actor(c)
	var p *records.Plan
	var err error
	if a.Role == records.RoleNetwork {
		p, err = h.Store.NetworkPlan(c.UserContext(), a)
	} else {
		p, err = h.Store.Plan(c.UserContext(), a, a.ClientID)
	}
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, p)
}

// sendPlan answers a change with the plan as it is now (read, and recorded,
// like any read).
func (h *Handler) sendPlan(c *fiber.Ctx, status int, clientID string) error {
	p, err := h.Store.Plan(c.UserContext(), edge.Actor(c), clientID)
	if err != nil {
		return err
	}
	return edge.Send(c, status, p)
}

func (h *Handler) setMyQuestion(c *fiber.Ctx) error {
	var in planText
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	a := edge.Actor(c)
	if err := h.Store.SetPlanQuestion(c.UserContext(), a, a.ClientID, in.Text); err != nil {
		return err
	}
	return h.sendPlan(c, fiber.StatusOK, a.ClientID)
}

func (h *Handler) addMyGoal(c *fiber.Ctx) error {
	var in planText
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	a := edge.Actor(c)
	g, err := h.Store.AddPlanGoal(c.UserContext(), a, a.ClientID, in.Text)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, g)
}

func (h *Handler) editMyPlanItem(c *fiber.Ctx) error {
	var in planText
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	a := edge.Actor(c)
	if err := h.Store.EditPlanItem(c.UserContext(), a, a.ClientID, edge.Param(c, "iid"), in.Text); err != nil {
		return err
	}
	return h.sendPlan(c, fiber.StatusOK, a.ClientID)
}

func (h *Handler) addMyStep(c *fiber.Ctx) error {
	var in planText
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	a := edge.Actor(c)
	s, err := h.Store.AddPlanStep(c.UserContext(), a, a.ClientID, edge.Param(c, "gid"), in.Text)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, s)
}

func (h *Handler) stepDone(done bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a := edge.Actor(c)
		if err := h.Store.SetPlanStepDone(c.UserContext(), a, a.ClientID, edge.Param(c, "sid"), done); err != nil {
			return err
		}
		return h.sendPlan(c, fiber.StatusOK, a.ClientID)
	}
}

func (h *Handler) decideProposal(accept bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a := edge.Actor(c)
		p, err := h.Store.DecidePlanProposal(c.UserContext(), a, a.ClientID, edge.Param(c, "pid"), accept)
		if err != nil {
			return err
		}
		return edge.Send(c, fiber.StatusOK, p)
	}
}

func (h *Handler) clientPlan(c *fiber.Ctx) error {
	return h.sendPlan(c, fiber.StatusOK, edge.Param(c, "id"))
}

func (h *Handler) commentPlan(c *fiber.Ctx) error {
	var in planComment
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	cm, err := h.Store.CommentPlanGoal(c.UserContext(), edge.Actor(c), edge.Param(c, "id"), in.GoalID, in.Text)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, cm)
}

func (h *Handler) proposeGoal(c *fiber.Ctx) error {
	var in planText
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	p, err := h.Store.ProposePlanGoal(c.UserContext(), edge.Actor(c), edge.Param(c, "id"), in.Text)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, p)
}

func (h *Handler) myNetwork(c *fiber.Ctx) error {
	a := edge.Actor(c)
	ms, err := h.Store.NetworkMembers(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, ms)
}

func (h *Handler) addNetworkMember(c *fiber.Ctx) error {
	var in records.NewNetworkMember
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	a := edge.Actor(c)
	m, err := h.Store.AddNetworkMember(c.UserContext(), a, a.ClientID, in)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, m)
}

// inviteNetworkMember makes the member's account and answers with its
// one-time activation code, as for a client account.
func (h *Handler) inviteNetworkMember(c *fiber.Ctx) error {
	var in networkInvite
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	act, hash, err := h.newActivation()
	if err != nil {
		return err
	}
	a := edge.Actor(c)
	u, err := h.Store.InviteNetworkMember(c.UserContext(), a, a.ClientID, edge.Param(c, "mid"), in.Username, hash)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, accountCreated{User: u, Activation: act})
}

// newNetworkCode gives an invited member who lost their code a new one
// (the old one ends) and answers with it, shown once, as the invitation does.
func (h *Handler) newNetworkCode(c *fiber.Ctx) error {
	act, hash, err := h.newActivation()
	if err != nil {
		return err
	}
	a := edge.Actor(c)
	u, err := h.Store.NewNetworkCode(c.UserContext(), a, a.ClientID, edge.Param(c, "mid"), hash)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, accountCreated{User: u, Activation: act})
}

func (h *Handler) endNetworkAccess(c *fiber.Ctx) error {
	a := edge.Actor(c)
	if err := h.Store.EndNetworkAccess(c.UserContext(), a, a.ClientID, edge.Param(c, "mid")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
