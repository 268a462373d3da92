package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// toolRequest is an entry of the register as the API takes it: dates as
// YYYY-MM-DD.
type toolRequest struct {
	Name                   string            `json:"name"`
	Kind                   string            `json:"kind"`
	Vendor                 string            `json:"vendor"`
	DataLocation           string            `json:"data_location"`
	EndToEnd               bool              `json:"end_to_end_encrypted"`
	AccessibilityStatement string            `json:"accessibility_statement"`
	AccessibilityLevel     string            `json:"accessibility_level"`
	Languages              []string          `json:"languages"`
	Cost                   string            `json:"cost"`
	Checklist              records.Checklist `json:"checklist"`
	Verdict                string            `json:"verdict"`
	ReviewedOn             string            `json:"reviewed_on"`
	DPIAOn                 string            `json:"dpia_on"`
}

func (r toolRequest) input() (records.ToolInput, error) {
	in := records.ToolInput{Name: r.Name, Kind: records.ToolKind(r.Kind), Vendor: r.Vendor,
		DataLocation: records.DataLocation(r.DataLocation), EndToEnd: r.EndToEnd,
		AccessibilityStatement: r.AccessibilityStatement, AccessibilityLevel: r.AccessibilityLevel,
		Languages: r.Languages, Cost: r.Cost, Checklist: r.Checklist, Verdict: records.Verdict(r.Verdict)}
	var err error
	if in.ReviewedOn, err = edge.Day("reviewed_on", r.ReviewedOn); err != nil {
		return in, err
	}
	in.DPIAOn, err = edge.Day("dpia_on", r.DPIAOn)
	return in, err
}

type toolList struct {
	Tools    []records.Tool         `json:"tools"`
	Unlisted []records.UnlistedTool `json:"unlisted,omitempty"`
}

func (h *Handler) listTools(c *fiber.Ctx) error {
	a := edge.Actor(c)
	list, err := h.Store.Tools(c.UserContext(), a)
	if err != nil {
		return err
	}
	out := toolList{Tools: list}
	if a.Role == records.RoleAdmin || a.Role == records.RoleDataOfficer {
		if out.Unlisted, err = h.Store.UnlistedTools(c.UserContext(), a); err != nil {
			return err
		}
	}
	return edge.Send(c, fiber.StatusOK, out)
}

func (h *Handler) createTool(c *fiber.Ctx) error {
	var r toolRequest
	if err := edge.Decode(c, &r); err != nil {
		return err
	}
	in, err := r.input()
	if err != nil {
		return err
	}
	t, err := h.Store.CreateTool(c.UserContext(), edge.Actor(c), in)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, t)
}

func (h *Handler) updateTool(c *fiber.Ctx) error {
	var r toolRequest
	if err := edge.Decode(c, &r); err != nil {
		return err
	}
	in, err := r.input()
	if err != nil {
		return err
	}
	t, err := h.Store.UpdateTool(c.UserContext(), edge.Actor(c), edge.Param(c, "tid"), in)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, t)
}

type recommendRequest struct {
	ToolID string `json:"tool_id"`
}

func (h *Handler) recommendTool(c *fiber.Ctx) error {
	var in recommendRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.Store.RecommendTool(c.UserContext(), edge.Actor(c), edge.Param(c, "id"), in.ToolID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, r)
}

func (h *Handler) clientTools(c *fiber.Ctx) error {
	list, err := h.Store.ClientTools(c.UserContext(), edge.Actor(c), edge.Param(c, "id"))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, list)
}

func (h *Handler) myTools(c *fiber.Ctx) error {
	a := edge.Actor(c)
	list, err := h.Store.ClientTools(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, list)
}

type teamLeadRequest struct {
	TeamLead bool `json:"team_lead"`
}

func (h *Handler) setTeamLead(c *fiber.Ctx) error {
	var in teamLeadRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	id := edge.Param(c, "uid")
	if err := h.Store.SetTeamLead(c.UserContext(), edge.Actor(c), id, in.TeamLead); err != nil {
		return err
	}
	u, err := h.Store.UserByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, u)
}

func (h *Handler) blendedReport(c *fiber.Ctx) error {
	from, to, err := edge.ReportPeriod(h.Now(), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	rep, err := h.consent().BlendedReport(c.UserContext(), edge.Actor(c), from, to)
	if err != nil {
		return err
	}
	if c.Query("format") == "csv" {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="nabij-blended-report.csv"`)
		return c.SendString(rep.CSV())
	}
	return edge.Send(c, fiber.StatusOK, rep)
}
