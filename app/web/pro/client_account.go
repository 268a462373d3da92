package pro

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// clientAccount asks for a username and first password for the client's
// own login. It shows no client data beyond the id in the address.
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
// client, recorded by the store.
func (h *Handler) clientAccountCreate(c *fiber.Ctx) error {
	in := web.FormValues(c, "username", "password")
	in["username"] = strings.TrimSpace(in["username"])
	id := edge.Param(c, "id")
	keep := map[string]string{"username": in["username"]} // never the password
	if err := auth.CheckPassword(in["password"]); err != nil {
		return h.renderClientAccount(c, fiber.StatusUnprocessableEntity, map[string]string{"password": "invalid.password"}, keep)
	}
	hash, err := crypto.HashPassword(in["password"])
	if err != nil {
		return err
	}
	_, err = h.Store.CreateUser(c.UserContext(), edge.Actor(c), records.NewUser{Username: in["username"], Role: records.RoleClient,
		PasswordHash: hash, ClientID: id})
	switch {
	case err == nil:
		return h.Redirect(c, "/clients/"+id, "flash.client_account_created")
	case records.ErrorCode(err) == records.ECONFLICT:
		return h.renderClientAccount(c, fiber.StatusConflict, map[string]string{ui.FormError: "error.client_account_conflict"}, keep)
	}
	errs, ok := web.FormErrors(err, []string{"username", "password"}, nil, nil)
	if !ok {
		return err
	}
	return h.renderClientAccount(c, fiber.StatusUnprocessableEntity, errs, keep)
}
