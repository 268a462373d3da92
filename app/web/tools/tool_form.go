package tools

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// toolFields are the form's fields, in page order.
var toolFields = []string{"name", "kind", "vendor", "data_location", "end_to_end", "accessibility_statement",
	"accessibility_level", "languages", "cost", "check_data_protection", "check_accessibility", "check_evidence",
	"check_usability", "check_support", "verdict", "reviewed_on", "dpia_on"}

type toolFormView struct {
	ID     string // "" for a new tool
	Name   string // the entry's name as stored, for the heading
	Kinds  []records.ToolKind
	Levels []string
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func day(t interface{ Format(string) string }) string { return t.Format("2006-01-02") }

// toolForm is a tool as the form shows it.
func toolForm(t *records.Tool) map[string]string {
	f := map[string]string{"name": t.Name, "kind": string(t.Kind), "vendor": t.Vendor,
		"data_location": string(t.DataLocation), "end_to_end": yes(t.EndToEnd),
		"accessibility_statement": t.AccessibilityStatement, "accessibility_level": t.AccessibilityLevel,
		"languages": strings.Join(t.Languages, ", "), "cost": t.Cost,
		"check_data_protection": yes(t.Checklist.DataProtection), "check_accessibility": yes(t.Checklist.Accessibility),
		"check_evidence": yes(t.Checklist.Evidence), "check_usability": yes(t.Checklist.Usability),
		"check_support": yes(t.Checklist.Support), "verdict": string(t.Verdict)}
	if t.ReviewedOn != nil {
		f["reviewed_on"] = day(*t.ReviewedOn)
	}
	if t.DPIAOn != nil {
		f["dpia_on"] = day(*t.DPIAOn)
	}
	return f
}

func (h *Handler) renderToolForm(c *fiber.Ctx, status int, id, name string, errs, form map[string]string) error {
	title := "tool_form.title_new"
	if id != "" {
		title = "tool_form.title_edit"
	}
	v := h.View(c, title)
	v.Errors, v.Form = errs, form
	v.Data = toolFormView{ID: id, Name: name, Kinds: records.ToolKinds, Levels: records.AccessibilityLevels}
	return h.Render(c, status, "tool_form", v)
}

// toolNew is the empty form to add a tool (GET /tools/new).
func (h *Handler) toolNew(c *fiber.Ctx) error {
	return h.renderToolForm(c, fiber.StatusOK, "", "", nil, map[string]string{"accessibility_level": "none"})
}

// toolEdit is the form to change a tool (GET /tools/{tid}/edit).
func (h *Handler) toolEdit(c *fiber.Ctx) error {
	t, err := h.Store.Tool(c.UserContext(), edge.Actor(c), edge.Param(c, "tid"))
	if err != nil {
		return err
	}
	return h.renderToolForm(c, fiber.StatusOK, t.ID, t.Name, nil, toolForm(t))
}
