package api

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/ui"
)

// myExport sends everything kept about the client: JSON, with ?format=fhir a
// FHIR R4 Bundle, or with ?format=html the readable export (a page in the
// language of Accept-Language). Recorded as an export.
func (h *Handler) myExport(c *fiber.Ctx) error {
	format := utils.CopyString(c.Query("format", "json"))
	if format != "json" && format != "fhir" && format != "html" {
		return edge.InvalidField("format", "format must be json, fhir or html")
	}
	a := edge.Actor(c)
	ex, err := h.consent().Export(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	if format == "html" {
		b, err := h.ReadableExport(ex, ui.MatchLanguage("", c.Get(fiber.HeaderAcceptLanguage)))
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="nabij-export.html"`)
		c.Set("X-Content-Type-Options", "nosniff")
		return c.Status(fiber.StatusOK).Send(b)
	}
	if format == "fhir" {
		b, err := json.Marshal(consent.FHIRBundle(ex))
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set(fiber.HeaderContentType, "application/fhir+json")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="nabij-export-fhir.json"`)
		return c.Status(fiber.StatusOK).Send(b)
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="nabij-export.json"`)
	return edge.Send(c, fiber.StatusOK, ex)
}

func (h *Handler) requestErasure(c *fiber.Ctx) error {
	var in struct{}
	if err := decodeOptional(c, &in); err != nil {
		return err
	}
	a := edge.Actor(c)
	r, err := h.Store.RequestErasure(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, r)
}

func (h *Handler) myErasureRequests(c *fiber.Ctx) error {
	a := edge.Actor(c)
	list, err := h.Store.ErasureRequests(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"erasure_requests": list})
}

func (h *Handler) erasureRequests(c *fiber.Ctx) error {
	list, err := h.Store.ErasureRequests(c.UserContext(), edge.Actor(c), utils.CopyString(c.Query("client_id")))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"erasure_requests": list})
}

type erasureDecision struct {
	Reason string `json:"reason"`
}

func (h *Handler) approveErasure(c *fiber.Ctx) error { return h.decideErasure(c, true) }
func (h *Handler) refuseErasure(c *fiber.Ctx) error  { return h.decideErasure(c, false) }

func (h *Handler) decideErasure(c *fiber.Ctx, approve bool) error {
	var in erasureDecision
	if approve {
		if err := decodeOptional(c, &in); err != nil {
			return err
		}
	} else if err := edge.Decode(c, &in); err != nil {
		return err
	}
	r, rep, err := h.Store.DecideErasure(c.UserContext(), edge.Actor(c), edge.Param(c, "rid"), approve, in.Reason)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"erasure_request": r, "purge": rep})
}
