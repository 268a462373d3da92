package admin

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type assignmentRow struct {
	ID, CaseCode, Target string
	Team                 bool
	From, To             time.Time
}

type caseloadsView struct {
	Rows                 []assignmentRow
	Professionals, Teams []option
	Codes                []records.ClientCode
}

// caseloads lists caseload assignments (clients by case code only: the
// admin reads no client data) with a form to assign a client picked from
// the list of case codes.
func (h *Handler) caseloads(c *fiber.Ctx) error {
	return h.renderCaseloads(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderCaseloads(c *fiber.Ctx, status int, errs, form map[string]string) error {
	ctx, a := c.UserContext(), edge.Actor(c)
	list, err := h.Store.Assignments(ctx, a)
	if err != nil {
		return err
	}
	users, err := h.Store.Users(ctx, a)
	if err != nil {
		return err
	}
	teams, err := h.Store.Teams(ctx, a)
	if err != nil {
		return err
	}
	codes, err := h.CaseCodes(c)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, u := range users {
		names[u.ID] = u.Username
	}
	cv := caseloadsView{Professionals: professionals(users), Codes: codes.List}
	for _, t := range teams {
		names[t.ID] = t.Name
		cv.Teams = append(cv.Teams, option{ID: t.ID, Label: t.Name})
	}
	for _, as := range list {
		r := assignmentRow{ID: as.ID, CaseCode: codes.Of(as.ClientID), From: as.From, Team: as.TeamID != ""}
		r.Target = names[as.UserID]
		if r.Team {
			r.Target = names[as.TeamID]
		}
		if as.To != nil {
			r.To = *as.To
		}
		cv.Rows = append(cv.Rows, r)
	}
	v := h.View(c, "admin_caseloads.title")
	v.Errors, v.Form, v.Data = errs, form, cv
	return h.Render(c, status, "admin_caseloads", v)
}
