package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// clientCodes lists every client's case code (GET /client-codes): what staff
// who read no client data pick clients by.
func (h *Handler) clientCodes(c *fiber.Ctx) error {
	list, err := h.Store.ClientCodes(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"clients": list})
}

type reviewRequest struct {
	Key  string `json:"key"`
	Note string `json:"note"`
}

// reviewAnomaly marks an anomaly reviewed with a note (POST /anomalies/review).
func (h *Handler) reviewAnomaly(c *fiber.Ctx) error {
	var in reviewRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	if err := h.Store.ReviewAnomaly(c.UserContext(), edge.Actor(c), in.Key, in.Note); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type handoverRequest struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Until string `json:"until"` // the last day, YYYY-MM-DD
	Mode  string `json:"mode"`
}

// handOver moves or shares a professional's caseload with another until a
// date (POST /caseloads/handover).
func (h *Handler) handOver(c *fiber.Ctx) error {
	var in handoverRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	day, err := time.Parse("2006-01-02", in.Until)
	if err != nil {
		return edge.InvalidField("until", "until must be a date like 2026-12-20 (the last day)")
	}
	ho, err := h.Store.HandOver(c.UserContext(), edge.Actor(c), records.NewHandover{From: in.From, To: in.To, Mode: in.Mode,
		Until: records.HandoverUntil(day)})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, ho)
}

// handovers lists handovers, newest first (GET /caseloads/handovers).
func (h *Handler) handovers(c *fiber.Ctx) error {
	list, err := h.Store.Handovers(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"handovers": list})
}

// myFileAccess lists who may read the client's own file now (GET
// /me/file-access), stand-ins with their end date and whom they stand in for.
func (h *Handler) myFileAccess(c *fiber.Ctx) error {
	a := edge.Actor(c)
	list, err := h.Store.FileAccess(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"holders": list})
}
