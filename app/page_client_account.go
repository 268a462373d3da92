package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/auth"
	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// pageClientAccount asks for a username and first password for the client's
// own login. It shows no client data beyond the id in the address.
func (s *Server) pageClientAccount(c *fiber.Ctx) error {
	return s.renderClientAccount(c, fiber.StatusOK, nil, nil)
}

func (s *Server) renderClientAccount(c *fiber.Ctx, status int, errs, form map[string]string) error {
	v := s.view(c, "client_account.title")
	v.Errors, v.Form = errs, form
	v.Data = struct{ ClientID string }{edge.Param(c, "id")}
	return s.render(c, status, "client_account", v)
}

// pageClientAccountCreate makes the client's login, as POST
// /api/v1/clients/{id}/account does: only the professional who follows the
// client, recorded by the store.
func (s *Server) pageClientAccountCreate(c *fiber.Ctx) error {
	in := formValues(c, "username", "password")
	in["username"] = strings.TrimSpace(in["username"])
	id := edge.Param(c, "id")
	keep := map[string]string{"username": in["username"]} // never the password
	if err := auth.CheckPassword(in["password"]); err != nil {
		return s.renderClientAccount(c, fiber.StatusUnprocessableEntity, map[string]string{"password": "invalid.password"}, keep)
	}
	h, err := crypto.HashPassword(in["password"])
	if err != nil {
		return err
	}
	_, err = s.Store.CreateUser(c.UserContext(), edge.Actor(c), records.NewUser{Username: in["username"], Role: records.RoleClient,
		PasswordHash: h, ClientID: id})
	switch {
	case err == nil:
		return s.redirect(c, "/clients/"+id, "flash.client_account_created")
	case records.ErrorCode(err) == records.ECONFLICT:
		return s.renderClientAccount(c, fiber.StatusConflict, map[string]string{ui.FormError: "error.client_account_conflict"}, keep)
	}
	errs, ok := formErrors(err, []string{"username", "password"}, nil, nil)
	if !ok {
		return err
	}
	return s.renderClientAccount(c, fiber.StatusUnprocessableEntity, errs, keep)
}
