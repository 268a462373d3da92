package client

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// NetworkData is what /my/network shows: the people the client named, and
// which member a refused invitation belongs to.
type NetworkData struct {
	Members    []records.NetworkMember
	InviteFor  string
	InviteUser string
}

var networkFields = []string{"name", "relation", "reach", "helps_with"}

// network lists the people around the client, with who may read the plan.
func (h *Handler) network(c *fiber.Ctx) error {
	return h.renderNetwork(c, fiber.StatusOK, nil, nil, "", "")
}

func (h *Handler) renderNetwork(c *fiber.Ctx, status int, errs, form map[string]string, inviteFor, inviteUser string) error {
	a := edge.Actor(c)
	ms, err := h.Store.NetworkMembers(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	v := h.View(c, "my_network.title")
	v.Errors, v.Form = errs, form
	v.Data = NetworkData{Members: ms, InviteFor: inviteFor, InviteUser: inviteUser}
	return h.Render(c, status, "my_network", v)
}

// networkAdd names a person of the client's network.
func (h *Handler) networkAdd(c *fiber.Ctx) error {
	a := edge.Actor(c)
	in := web.FormValues(c, networkFields...)
	_, err := h.Store.AddNetworkMember(c.UserContext(), a, a.ClientID, records.NewNetworkMember{
		Name: in["name"], Relation: in["relation"], Reach: in["reach"], HelpsWith: in["helps_with"]})
	if err != nil {
		errs, ok := web.FormErrors(err, networkFields, nil, map[string]string{"name": "invalid.network_name"})
		if !ok {
			return err
		}
		return h.renderNetwork(c, fiber.StatusUnprocessableEntity, errs, in, "", "")
	}
	return h.Redirect(c, "/my/network", "flash.network_added")
}

// networkInvite makes the member's account, which reads the client's plan
// only, and shows its one-time activation code to hand over.
func (h *Handler) networkInvite(c *fiber.Ctx) error {
	a := edge.Actor(c)
	mid := edge.Param(c, "mid")
	username := strings.TrimSpace(web.FormValue(c, "username"))
	act, hash, err := h.NewActivationCode()
	if err != nil {
		return err
	}
	u, err := h.Store.InviteNetworkMember(c.UserContext(), a, a.ClientID, mid, username, hash)
	switch {
	case err == nil:
		act.Username, act.BackURL, act.BackKey = u.Username, "/my/network", "activation.back_network"
		return h.RenderActivation(c, "flash.network_invited", act)
	case records.ErrorCode(err) == records.ECONFLICT:
		return h.renderNetwork(c, fiber.StatusConflict, map[string]string{"username": "error.network_username_taken"}, nil, mid, username)
	case records.ErrorCode(err) == records.EINVALID:
		return h.renderNetwork(c, fiber.StatusUnprocessableEntity, map[string]string{"username": "invalid.username"}, nil, mid, username)
	}
	return err
}

// networkNewCode gives an invited member who lost their activation code a
// new one (the old one stops working) and shows it once.
func (h *Handler) networkNewCode(c *fiber.Ctx) error {
	a := edge.Actor(c)
	act, hash, err := h.NewActivationCode()
	if err != nil {
		return err
	}
	u, err := h.Store.NewNetworkCode(c.UserContext(), a, a.ClientID, edge.Param(c, "mid"), hash)
	if web.IsCode(err, records.ECONFLICT) {
		return h.Redirect(c, "/my/network", "flash.network_code_not_needed")
	}
	if err != nil {
		return err
	}
	act.Username, act.BackURL, act.BackKey = u.Username, "/my/network", "activation.back_network"
	return h.RenderActivation(c, "flash.network_new_code", act)
}

// networkEnd ends a member's access to the plan in one step; their sessions
// end at once.
func (h *Handler) networkEnd(c *fiber.Ctx) error {
	a := edge.Actor(c)
	err := h.Store.EndNetworkAccess(c.UserContext(), a, a.ClientID, edge.Param(c, "mid"))
	if web.IsCode(err, records.ECONFLICT) {
		return h.Redirect(c, "/my/network", "flash.network_ended_already")
	}
	if err != nil {
		return err
	}
	return h.Redirect(c, "/my/network", "flash.network_ended")
}
