package dpo

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// retentionRuleView is one rule on the retention page; its form fields are
// named <kind>.basis, <kind>.years, <kind>.days, <kind>.age, <kind>.max_days,
// <kind>.action.
type retentionRuleView struct {
	records.RetentionRule
	Updated time.Time
}

func retentionForm(rules []records.RetentionRule) map[string]string {
	form := map[string]string{}
	for _, r := range rules {
		form[r.Kind+".basis"] = r.Basis
		form[r.Kind+".years"] = strconv.Itoa(r.Years)
		form[r.Kind+".days"] = strconv.Itoa(r.Days)
		form[r.Kind+".action"] = r.Action
		if r.MaxDays != nil {
			form[r.Kind+".max_days"] = strconv.Itoa(*r.MaxDays)
		}
		if r.Age > 0 {
			form[r.Kind+".age"] = strconv.Itoa(r.Age)
		}
	}
	return form
}

// retention shows the organisation's retention rules, each with its
// source, in one form the data officer can edit (GET /retention-rules).
func (h *Handler) retention(c *fiber.Ctx) error {
	return h.renderRetention(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderRetention(c *fiber.Ctx, status int, errs, form map[string]string) error {
	rules, err := h.Consent().Rules(c.UserContext())
	if err != nil {
		return err
	}
	if form == nil {
		form = retentionForm(rules)
	}
	rows := make([]retentionRuleView, len(rules))
	for i, r := range rules {
		rows[i] = retentionRuleView{RetentionRule: r, Updated: dateOrZero(r.UpdatedAt)}
	}
	// When the daily run last started, on whichever instance took its turn.
	var lastRun *time.Time
	switch turn, err := h.Store.Turn(c.UserContext(), consent.RetentionDayTurn); {
	case err == nil:
		lastRun = &turn.TakenAt
	case records.ErrorCode(err) != records.ENOTFOUND:
		return err
	}
	v := h.View(c, "dpo_retention.title")
	v.Errors, v.Form = errs, form
	v.Data = struct {
		Rules   []retentionRuleView
		LastRun *time.Time
	}{rows, lastRun}
	return h.Render(c, status, "dpo_retention", v)
}

// retentionSave stores the rules that changed (PUT /retention-rules):
// each is checked with the same policy, so an error lands next to its field.
func (h *Handler) retentionSave(c *fiber.Ctx) error {
	current, err := h.Consent().Rules(c.UserContext())
	if err != nil {
		return err
	}
	form := map[string]string{}
	errs := map[string]string{}
	var changed []records.RetentionRule
	for _, cur := range current {
		k := cur.Kind
		for _, f := range []string{"basis", "years", "days", "age", "max_days", "action"} {
			form[k+"."+f] = strings.TrimSpace(web.FormValue(c, k+"."+f))
		}
		r := records.RetentionRule{Kind: k, Basis: form[k+".basis"], Action: form[k+".action"], Source: cur.Source}
		num := func(f string) (int, bool) {
			n, err := strconv.Atoi(form[k+"."+f])
			if err != nil {
				errs[k+"."+f] = "invalid.retention_" + f
				return 0, false
			}
			return n, true
		}
		ok3 := true
		if r.Basis == records.BasisUntilAge {
			// The age belongs to this basis only: with another basis the
			// field is ignored, as the rule could not keep it.
			r.Age, ok3 = num("age")
		}
		var ok1, ok2 bool
		r.Years, ok1 = num("years")
		r.Days, ok2 = num("days")
		if form[k+".max_days"] != "" {
			if n, ok := num("max_days"); ok {
				r.MaxDays = &n
			}
		}
		if !ok1 || !ok2 || !ok3 {
			continue
		}
		if err := consent.ValidateRule(r); err != nil {
			f := records.ErrorField(err)
			errs[k+"."+f] = "invalid.retention_" + f
			continue
		}
		if r.Basis != cur.Basis || r.Years != cur.Years || r.Days != cur.Days || r.Age != cur.Age || r.Action != cur.Action ||
			(r.MaxDays == nil) != (cur.MaxDays == nil) || (r.MaxDays != nil && *r.MaxDays != *cur.MaxDays) {
			changed = append(changed, r)
		}
	}
	if len(errs) > 0 {
		return h.renderRetention(c, fiber.StatusUnprocessableEntity, errs, form)
	}
	if len(changed) == 0 {
		return h.Redirect(c, "/dpo/retention", "flash.retention_unchanged")
	}
	if _, err := h.Consent().SetRules(c.UserContext(), edge.Actor(c), changed); err != nil {
		if records.ErrorCode(err) == records.EINVALID {
			return h.renderRetention(c, fiber.StatusUnprocessableEntity, map[string]string{"_form": "invalid.other"}, form)
		}
		return err
	}
	return h.Redirect(c, "/dpo/retention", "flash.retention_saved")
}
