package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

type consentList struct {
	Consents []consent.View `json:"consents"`
}

func (h *Handler) listConsents(c *fiber.Ctx) error {
	list, err := h.consent().List(c.UserContext(), edge.Actor(c), edge.Param(c, "id"))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, consentList{list})
}

func (h *Handler) recordConsent(c *fiber.Ctx) error {
	var in consent.Input
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	v, err := h.consent().Record(c.UserContext(), edge.Actor(c), edge.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, v)
}

func (h *Handler) myConsents(c *fiber.Ctx) error {
	a := edge.Actor(c)
	list, err := h.consent().List(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, consentList{list})
}

func (h *Handler) giveConsent(c *fiber.Ctx) error {
	var in consent.Input
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	a := edge.Actor(c)
	v, err := h.consent().Record(c.UserContext(), a, a.ClientID, in)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, v)
}

// withdrawConsent serves both the professional's and the client's route; records
// lets a client withdraw only their own consents.
func (h *Handler) withdrawConsent(c *fiber.Ctx) error {
	v, err := h.consent().Withdraw(c.UserContext(), edge.Actor(c), edge.Param(c, "cid"))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, v)
}

type disclosureRequest struct {
	Recipient string   `json:"recipient"`
	Purpose   string   `json:"purpose"`
	RecordIDs []string `json:"record_ids"`
}

func (h *Handler) disclose(c *fiber.Ctx) error {
	var in disclosureRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	p, err := h.consent().Disclose(c.UserContext(), edge.Actor(c), edge.Param(c, "id"),
		records.NewDisclosure{Recipient: in.Recipient, Purpose: in.Purpose, RecordIDs: in.RecordIDs})
	if errors.Is(err, records.ErrNoConsent) {
		detail := fmt.Sprintf("missing consent: purpose disclosure, recipient %q, reason %q — the client has no valid (granted, unexpired, not withdrawn) consent for this; nothing was shared",
			in.Recipient, in.Purpose)
		return edge.FailDetail(edge.Problem{Type: edge.ProblemBase + "consent-missing", Title: "The client has not consented to this disclosure",
			Status: http.StatusForbidden, Errors: []edge.FieldProblem{{Field: "consent", Detail: detail}}}, detail)
	}
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, p)
}

type disclosureList struct {
	Disclosures []records.Disclosure `json:"disclosures"`
}

func (h *Handler) myDisclosures(c *fiber.Ctx) error {
	a := edge.Actor(c)
	list, err := h.Store.Disclosures(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, disclosureList{list})
}

func (h *Handler) disclosures(c *fiber.Ctx) error {
	list, err := h.Store.Disclosures(c.UserContext(), edge.Actor(c), utils.CopyString(c.Query("client_id")))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, disclosureList{list})
}

func (h *Handler) statistics(c *fiber.Ctx) error {
	st, err := h.consent().Statistics(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, st)
}
