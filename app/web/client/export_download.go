package client

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// exportDownload sends everything kept about the client as a file:
// /my/export/json or /my/export/fhir (a FHIR R4 Bundle), as GET /me/export
// does — the same export access record first — with Content-Disposition
// attachment and no-store. /my/export/html is the readable export as a page
// to read or print, and with ?download=1 as a file.
func (h *Handler) exportDownload(c *fiber.Ctx) error {
	format := edge.Param(c, "format")
	if format != "json" && format != "fhir" && format != "html" {
		return fiber.ErrNotFound
	}
	a := edge.Actor(c)
	ex, err := h.Consent().Export(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	if format == "html" {
		return h.readableExport(c, ex)
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

// readableExport shows the readable export (names, plain words, the read
// summary, the retention dates) as a page with print styles, or with
// ?download=1 sends the same page, without the menu, as a file.
func (h *Handler) readableExport(c *fiber.Ctx, ex *records.Export) error {
	v := h.View(c, "my_export.readable_title")
	if c.Query("download") != "1" {
		d := web.BuildExportView(ex, v.Lang, h.Now())
		d.Download = "/my/export/html?download=1"
		v.Data = d
		return h.Render(c, fiber.StatusOK, "my_export_readable", v)
	}
	b, err := web.ReadableExport(ex, v.Lang, h.Now())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="nabij-export.html"`)
	c.Set("X-Content-Type-Options", "nosniff")
	return c.Status(fiber.StatusOK).Send(b)
}
