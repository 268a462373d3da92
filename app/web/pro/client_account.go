package pro

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// clientAccount asks for a username for the client's own login. It shows no
// client data beyond the id in the address.
func (h *Handler) clientAccount(c *fiber.Ctx) error {
	return h.renderClientAccount(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderClientAccount(c *fiber.Ctx, status int, errs, form map[string]string) error {
	v := h.View(c, "client_account.title")
	v.Errors, v.Form = errs, form
	v.Data = struct{ ClientID string }{edge.Param(c, "id")}
	return h.Render(c, status, "client_account", v)
}

// clientAccountCreate makes the client's login, as POST
// /api/v1/clients/{id}/account does: only the professional who follows the
// client, recorded by the store. The login has no password: the page shows a
// one-time activation code, to print or hand over, with which the client
// chooses their own.
func (h *Handler) clientAccountCreate(c *fiber.Ctx) error {
	in := web.FormValues(c, "username")
	in["username"] = strings.TrimSpace(in["username"])
	id := edge.Param(c, "id")
	act, hash, err := h.NewActivationCode()
	if err != nil {
		return err
	}
	u, err := h.Store.CreateUser(c.UserContext(), edge.Actor(c), records.NewUser{Username: in["username"], Role: records.RoleClient,
		ActivationCodeHash: hash, ClientID: id})
	switch {
	case err == nil:
		act.Username, act.BackURL, act.BackKey = u.Username, "/clients/"+id, "activation.back_client"
		return h.RenderActivation(c, "flash.client_account_created", act)
	case records.ErrorCode(err) == records.ECONFLICT:
		return h.renderClientAccount(c, fiber.StatusConflict, map[string]string{ui.FormError: "error.client_account_conflict"}, in)
	}
	errs, ok := web.FormErrors(err, []string{"username"}, nil, nil)
	if !ok {
		return err
	}
	return h.renderClientAccount(c, fiber.StatusUnprocessableEntity, errs, in)
}
