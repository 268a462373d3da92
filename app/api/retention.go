package api

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type retentionRules struct {
	Rules []records.RetentionRule `json:"rules"`
}

func (h *Handler) retentionRules(c *fiber.Ctx) error {
	rules, err := h.consent().Rules(c.UserContext())
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, retentionRules{rules})
}

type retentionRuleInput struct {
	Kind    string `json:"kind"`
	Basis   string `json:"basis"`
	Years   int    `json:"years"`
	Days    int    `json:"days"`
	Age     int    `json:"age,omitempty"`
	MaxDays *int   `json:"max_days,omitempty"`
	Action  string `json:"action"`
	Source  string `json:"source,omitempty"`
}

type retentionRulesInput struct {
	Rules []retentionRuleInput `json:"rules"`
}

func (h *Handler) setRetentionRules(c *fiber.Ctx) error {
	var in retentionRulesInput
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	rules := make([]records.RetentionRule, len(in.Rules))
	for i, r := range in.Rules {
		rules[i] = records.RetentionRule{Kind: r.Kind, Basis: r.Basis, Years: r.Years, Days: r.Days, Age: r.Age, MaxDays: r.MaxDays, Action: r.Action, Source: r.Source}
	}
	out, err := h.consent().SetRules(c.UserContext(), edge.Actor(c), rules)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, retentionRules{out})
}

type retentionRunInput struct {
	DryRun bool `json:"dry_run"`
}

// runRetention runs retention on demand (the data officer), with a dry run.
func (h *Handler) runRetention(c *fiber.Ctx) error {
	var in retentionRunInput
	if err := decodeOptional(c, &in); err != nil {
		return err
	}
	rep, err := h.consent().Run(c.UserContext(), in.DryRun)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, rep)
}

type legalHoldInput struct {
	ClientID     string `json:"client_id,omitempty"`
	TrajectoryID string `json:"trajectory_id,omitempty"`
	Reason       string `json:"reason"`
}

func (h *Handler) placeLegalHold(c *fiber.Ctx) error {
	var in legalHoldInput
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	hold, err := h.Store.PlaceLegalHold(c.UserContext(), edge.Actor(c), in.ClientID, in.TrajectoryID, in.Reason)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, hold)
}

func (h *Handler) legalHolds(c *fiber.Ctx) error {
	list, err := h.Store.LegalHolds(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"legal_holds": list})
}

func (h *Handler) releaseLegalHold(c *fiber.Ctx) error {
	if err := h.Store.ReleaseLegalHold(c.UserContext(), edge.Actor(c), edge.Param(c, "hid")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) purgeReports(c *fiber.Ctx) error {
	since, err := timeParam(c, "since")
	if err != nil {
		return err
	}
	list, err := h.Store.PurgeReports(c.UserContext(), edge.Actor(c), since)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"purge_reports": list})
}

type closeResponse struct {
	Trajectory *records.Trajectory  `json:"trajectory"`
	Purge      *records.PurgeReport `json:"purge"`
	// Warning says the close happened but the immediate retention run did not;
	// the daily run will destroy what is due.
	Warning string `json:"warning,omitempty"`
}

// closeTrajectory closes a trajectory and at once runs retention for its
// client, so personal working notes are destroyed when the trajectory closes.
func (h *Handler) closeTrajectory(c *fiber.Ctx) error {
	t, err := h.Store.CloseTrajectory(c.UserContext(), edge.Actor(c), edge.Param(c, "tid"))
	if err != nil {
		return err
	}
	rep, err := h.consent().Run(c.UserContext(), false, t.ClientID)
	if err != nil {
		// The close is committed: say so, not 500, and leave the rest to the daily run.
		h.Logf("retention after close of %s: %v", t.ID, err)
		return edge.Send(c, fiber.StatusOK, closeResponse{Trajectory: t,
			Warning: "the trajectory is closed; destroying its personal working notes failed and will be retried by the daily retention run"})
	}
	return edge.Send(c, fiber.StatusOK, closeResponse{Trajectory: t, Purge: rep})
}

// decodeOptional decodes a JSON body when there is one; an empty body leaves dst as is.
func decodeOptional(c *fiber.Ctx, dst any) error {
	if len(bytes.TrimSpace(c.Body())) == 0 {
		return nil
	}
	return edge.Decode(c, dst)
}
