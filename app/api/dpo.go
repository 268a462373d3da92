package api

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

func (h *Handler) accessLog(c *fiber.Ctx) error {
	before, limit, err := paging(c)
	if err != nil {
		return err
	}
	f := records.AccessFilter{
		ClientID: utils.CopyString(c.Query("client_id")), Actor: utils.CopyString(c.Query("actor")),
		Kind:   utils.CopyString(c.Query("kind")),
		Action: records.Action(utils.CopyString(c.Query("action"))), BeforeSeq: before, Limit: limit,
	}
	// "denied" is an outcome in the log; the filter accepts it as an action too.
	if f.Action == "denied" {
		f.Action, f.Outcome = "", records.OutcomeDenied
	}
	if v := c.Query("outcome"); v != "" {
		if v != string(records.OutcomeOK) && v != string(records.OutcomeDenied) {
			return edge.InvalidField("outcome", "outcome must be ok or denied")
		}
		f.Outcome = records.Outcome(v)
	}
	if f.From, err = timeParam(c, "from"); err != nil {
		return err
	}
	if f.To, err = timeParam(c, "to"); err != nil {
		return err
	}
	list, err := h.Store.AccessLog(c.UserContext(), edge.Actor(c), f)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, accessPage(list, limit))
}

// timeParam reads an RFC 3339 time or a date (YYYY-MM-DD) from the query.
func timeParam(c *fiber.Ctx, name string) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, nil
	}
	return time.Time{}, edge.InvalidField(name, name+" must be a date (2026-11-25) or an RFC 3339 time")
}

func (h *Handler) verifyAccessLog(c *fiber.Ctx) error {
	rep, err := h.Store.VerifyAccessLog(c.UserContext(), nil)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, rep)
}

func (h *Handler) anomalies(c *fiber.Ctx) error {
	since, err := timeParam(c, "since")
	if err != nil {
		return err
	}
	if since.IsZero() {
		since = h.Now().AddDate(0, 0, -30)
	}
	list, err := h.Store.Anomalies(c.UserContext(), edge.Actor(c), since)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"since": since, "anomalies": list})
}
