package api

import (
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/consent"
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

// ParseDay reads an optional YYYY-MM-DD date for field.
func ParseDay(field, v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return nil, edge.InvalidField(field, field+" must be a date such as 2026-11-25")
	}
	return &t, nil
}

func (r toolRequest) input() (records.ToolInput, error) {
	in := records.ToolInput{Name: r.Name, Kind: records.ToolKind(r.Kind), Vendor: r.Vendor,
		DataLocation: records.DataLocation(r.DataLocation), EndToEnd: r.EndToEnd,
		AccessibilityStatement: r.AccessibilityStatement, AccessibilityLevel: r.AccessibilityLevel,
		Languages: r.Languages, Cost: r.Cost, Checklist: r.Checklist, Verdict: records.Verdict(r.Verdict)}
	var err error
	if in.ReviewedOn, err = ParseDay("reviewed_on", r.ReviewedOn); err != nil {
		return in, err
	}
	in.DPIAOn, err = ParseDay("dpia_on", r.DPIAOn)
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

// ReportPeriod reads from and to (dates; to inclusive) with the last twelve
// months as the default, and checks the length.
func ReportPeriod(now time.Time, fromS, toS string) (time.Time, time.Time, error) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	to := today.AddDate(0, 0, 1)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
	if t, err := ParseDay("to", toS); err != nil {
		return from, to, err
	} else if t != nil {
		to = t.AddDate(0, 0, 1)
	}
	if t, err := ParseDay("from", fromS); err != nil {
		return from, to, err
	} else if t != nil {
		from = *t
	}
	if !to.After(from) {
		return from, to, edge.InvalidField("to", "to must not lie before from")
	}
	if to.After(from.AddDate(0, consent.MaxReportMonths, 0)) {
		return from, to, edge.InvalidField("from", "a report covers at most 36 months")
	}
	return from, to, nil
}

func (h *Handler) blendedReport(c *fiber.Ctx) error {
	from, to, err := ReportPeriod(h.Now(), c.Query("from"), c.Query("to"))
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
		return c.SendString(ReportCSV(rep))
	}
	return edge.Send(c, fiber.StatusOK, rep)
}

// ReportCSV writes every figure of the report as one line: table, row,
// column, value ("suppressed" for a hidden one). Months, channels and tool
// names only: the report holds no person's name.
func ReportCSV(rep *consent.BlendedReport) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"table", "row", "column", "value"})
	val := func(v *int) string {
		if v == nil {
			return "suppressed"
		}
		return strconv.Itoa(*v)
	}
	tables := []struct {
		name string
		t    consent.Table
	}{{"contacts_by_channel", rep.ByChannel}, {"contacts_by_tool", rep.ByTool}, {"minutes_by_channel", rep.Minutes}, {"follow_ups", rep.FollowUps}}
	for _, t := range tables {
		for r, row := range t.t.Rows {
			for c, col := range t.t.Cols {
				_ = w.Write([]string{t.name, row, col, val(t.t.Cells[r][c])})
			}
			_ = w.Write([]string{t.name, row, "total", val(t.t.RowTotals[r])})
		}
		for c, col := range t.t.Cols {
			_ = w.Write([]string{t.name, "total", col, val(t.t.ColTotals[c])})
		}
		_ = w.Write([]string{t.name, "total", "total", val(t.t.Total)})
	}
	for _, x := range rep.OnlineShare {
		_ = w.Write([]string{"online_share_percent", x.Label, "", val(x.Value)})
	}
	for _, x := range rep.Outreach {
		_ = w.Write([]string{"clients_reached_by_outreach", x.Label, "", val(x.Value)})
	}
	for _, x := range rep.ToolWorkers {
		_ = w.Write([]string{"workers_per_tool", x.Label, "", val(x.Value)})
	}
	w.Flush()
	return b.String()
}
