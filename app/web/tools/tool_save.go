package tools

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// toolInput reads the form into the register's input; a date that is not a
// date is a field error.
func toolInput(in map[string]string) (records.ToolInput, map[string]string) {
	errs := map[string]string{}
	t := records.ToolInput{Name: in["name"], Kind: records.ToolKind(in["kind"]), Vendor: in["vendor"],
		DataLocation: records.DataLocation(in["data_location"]), EndToEnd: in["end_to_end"] == "yes",
		AccessibilityStatement: in["accessibility_statement"], AccessibilityLevel: in["accessibility_level"],
		Languages: strings.Split(in["languages"], ","), Cost: in["cost"], Verdict: records.Verdict(in["verdict"]),
		Checklist: records.Checklist{DataProtection: in["check_data_protection"] == "yes",
			Accessibility: in["check_accessibility"] == "yes", Evidence: in["check_evidence"] == "yes",
			Usability: in["check_usability"] == "yes", Support: in["check_support"] == "yes"}}
	var err error
	if t.ReviewedOn, err = edge.Day("reviewed_on", in["reviewed_on"]); err != nil {
		errs["reviewed_on"] = "invalid.reviewed_on"
	}
	if t.DPIAOn, err = edge.Day("dpia_on", in["dpia_on"]); err != nil {
		errs["dpia_on"] = "invalid.dpia_on"
	}
	return t, errs
}

// toolCreate adds a tool (POST /tools/new).
func (h *Handler) toolCreate(c *fiber.Ctx) error { return h.toolSave(c, "") }

// toolUpdate changes a tool (POST /tools/{tid}/edit).
func (h *Handler) toolUpdate(c *fiber.Ctx) error { return h.toolSave(c, edge.Param(c, "tid")) }

func (h *Handler) toolSave(c *fiber.Ctx, id string) error {
	in := web.FormValues(c, toolFields...)
	t, errs := toolInput(in)
	if len(errs) > 0 {
		return h.renderToolForm(c, fiber.StatusUnprocessableEntity, id, in["name"], errs, in)
	}
	ctx, a := c.UserContext(), edge.Actor(c)
	var err error
	if id == "" {
		_, err = h.Store.CreateTool(ctx, a, t)
	} else {
		_, err = h.Store.UpdateTool(ctx, a, id, t)
	}
	if err != nil {
		if records.ErrorCode(err) == records.ECONFLICT {
			return h.renderToolForm(c, fiber.StatusConflict, id, in["name"], map[string]string{"name": "invalid.tool_name_taken"}, in)
		}
		errs, ok := web.FormErrors(err, toolFields, nil, nil)
		if !ok {
			return err
		}
		return h.renderToolForm(c, fiber.StatusUnprocessableEntity, id, in["name"], errs, in)
	}
	return h.Redirect(c, "/tools", "flash.tool_saved")
}
