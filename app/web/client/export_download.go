package client

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/consent"
)

// exportDownload sends everything kept about the client as a file:
// /my/export/json or /my/export/fhir (a FHIR R4 Bundle), as GET /me/export
// does — the same export access record first — with Content-Disposition
// attachment and no-store.
func (h *Handler) exportDownload(c *fiber.Ctx) error {
	format := edge.Param(c, "format")
	if format != "json" && format != "fhir" {
		return fiber.ErrNotFound
	}
	a := edge.Actor(c)
	ex, err := h.Consent().Export(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	var body any = ex
	ct, name := fiber.MIMEApplicationJSONCharsetUTF8, "nabij-export.json"
	if format == "fhir" {
		body, ct, name = consent.FHIRBundle(ex), "application/fhir+json; charset=utf-8", "nabij-export-fhir.json"
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set("X-Content-Type-Options", "nosniff")
	return c.Status(fiber.StatusOK).Send(b)
}
