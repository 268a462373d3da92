package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type quickLogRequest struct {
	ClientID         string     `json:"client_id,omitempty"`
	ClientName       string     `json:"client_name,omitempty"`
	TrajectoryID     string     `json:"trajectory_id,omitempty"`
	Channel          string     `json:"channel"`
	OccurredAt       *time.Time `json:"occurred_at,omitempty"`
	DurationMinutes  int        `json:"duration_minutes"`
	FollowUpOf       string     `json:"follow_up_of,omitempty"`
	Body             string     `json:"body,omitempty"`
	Visibility       string     `json:"visibility,omitempty"`
	RestrictedReason string     `json:"restricted_reason,omitempty"`
}

// quickLog logs a contact and its note in one step (POST /quick-log).
func (h *Handler) quickLog(c *fiber.Ctx) error {
	var in quickLogRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	res, err := h.Store.QuickLog(c.UserContext(), edge.Actor(c), records.QuickLog{
		ClientID: in.ClientID, NewClientName: in.ClientName, TrajectoryID: in.TrajectoryID,
		Channel: records.Channel(in.Channel), OccurredAt: orNow(in.OccurredAt, h.Now), DurationMinutes: in.DurationMinutes,
		FollowUpOf: in.FollowUpOf, Body: in.Body, Visibility: records.Visibility(in.Visibility), RestrictedReason: in.RestrictedReason})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, res)
}

type anonymousContactRequest struct {
	Channel         string     `json:"channel"`
	Place           string     `json:"place"`
	OccurredAt      *time.Time `json:"occurred_at,omitempty"`
	DurationMinutes int        `json:"duration_minutes"`
	Topics          []string   `json:"topics,omitempty"`
}

// logAnonymousContact logs an outreach contact with nobody identified.
func (h *Handler) logAnonymousContact(c *fiber.Ctx) error {
	var in anonymousContactRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	topics := make([]records.Topic, len(in.Topics))
	for i, t := range in.Topics {
		topics[i] = records.Topic(t)
	}
	k, err := h.Store.LogAnonymousContact(c.UserContext(), edge.Actor(c), records.NewAnonymousContact{
		Channel: records.Channel(in.Channel), Place: in.Place, OccurredAt: orNow(in.OccurredAt, h.Now),
		DurationMinutes: in.DurationMinutes, Topics: topics})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, k)
}

type resolveFlagRequest struct {
	Reason string `json:"reason"`
}

// resolveConsentFlag resolves a contact's consent flag with a reason.
func (h *Handler) resolveConsentFlag(c *fiber.Ctx) error {
	var in resolveFlagRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	k, err := h.Store.ResolveConsentFlag(c.UserContext(), edge.Actor(c), edge.Param(c, "id"), in.Reason)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"contact_id": k.ID, "client_id": k.ClientID, "flag_resolution": k.FlagResolution})
}

// orNow is t, or now when the request left the time out.
func orNow(t *time.Time, now func() time.Time) time.Time {
	if t == nil {
		return now()
	}
	return *t
}
