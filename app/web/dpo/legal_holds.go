package dpo

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

var holdFields = []string{"client", "trajectory_id", "reason"}

// holdRow is a hold as the page shows it: the client by case code and the
// trajectory by its number in the file, never by id.
type holdRow struct {
	records.LegalHold
	CaseCode   string
	Trajectory *records.TrajectoryRef
}

type holdsView struct {
	Holds []holdRow
	Codes []records.ClientCode
}

// legalHolds lists the legal holds, active first, each active one with
// a lift button, and a form to place one (GET /legal-holds; recorded).
func (h *Handler) legalHolds(c *fiber.Ctx) error {
	return h.renderLegalHolds(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderLegalHolds(c *fiber.Ctx, status int, errs, form map[string]string) error {
	list, err := h.Store.LegalHolds(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	codes, err := h.CaseCodes(c)
	if err != nil {
		return err
	}
	trs := map[string]*records.TrajectoryRef{}
	for _, cc := range codes.List {
		for i := range cc.Trajectories {
			trs[cc.Trajectories[i].ID] = &cc.Trajectories[i]
		}
	}
	d := holdsView{Codes: codes.List}
	for _, hold := range list {
		d.Holds = append(d.Holds, holdRow{LegalHold: hold, CaseCode: codes.Of(hold.ClientID), Trajectory: trs[hold.TrajectoryID]})
	}
	v := h.View(c, "dpo_holds.title")
	v.Errors, v.Form = errs, form
	v.Data = d
	return h.Render(c, status, "dpo_holds", v)
}

// legalHoldPlace places a hold on a client (picked by case code) or on
// one of their trajectories, with a reason (POST /legal-holds).
func (h *Handler) legalHoldPlace(c *fiber.Ctx) error {
	in := web.FormValues(c, holdFields...)
	trajID := strings.TrimSpace(in["trajectory_id"])
	var clientID string
	if code := strings.TrimSpace(in["client"]); code != "" && trajID == "" {
		codes, err := h.CaseCodes(c)
		if err != nil {
			return err
		}
		id, ok := codes.Resolve(code)
		if !ok {
			return h.renderLegalHolds(c, fiber.StatusUnprocessableEntity, map[string]string{"client": "invalid.case_code_unknown"}, in)
		}
		clientID = id
	}
	_, err := h.Store.PlaceLegalHold(c.UserContext(), edge.Actor(c), clientID, trajID, in["reason"])
	if err == nil {
		return h.Redirect(c, "/dpo/legal-holds", "flash.hold_placed")
	}
	if web.IsCode(err, records.ENOTFOUND) {
		if trajID != "" {
			return h.renderLegalHolds(c, fiber.StatusUnprocessableEntity, map[string]string{"trajectory_id": "invalid.trajectory_id_unknown"}, in)
		}
		return h.renderLegalHolds(c, fiber.StatusUnprocessableEntity, map[string]string{"client": "invalid.case_code_unknown"}, in)
	}
	errs, ok := web.FormErrors(err, holdFields, map[string]string{"client_id": "client"}, map[string]string{"client_id": "invalid.hold_pick", "reason": "invalid.hold_reason"})
	if !ok {
		return err
	}
	return h.renderLegalHolds(c, fiber.StatusUnprocessableEntity, errs, in)
}
