package dpo

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

var accessLogFilters = []string{"client", "actor", "kind", "action", "from", "to"}

// accessLog searches the access log: client (by case code), user, kind,
// action (or denied), from, to; newest first, 50 a page. The search is
// recorded.
func (h *Handler) accessLog(c *fiber.Ctx) error {
	q, form, filter, codes, errs, err := h.accessFilter(c)
	if err != nil {
		return err
	}
	before, err := web.PageBefore(c)
	if err != nil {
		return err
	}
	filter.BeforeSeq, filter.Limit = before, web.AccessPageSize
	v := h.View(c, "dpo_log.title")
	v.Form = form
	if len(errs) > 0 {
		v.Errors = errs
		v.Data = web.AccessView{}
		return h.Render(c, fiber.StatusUnprocessableEntity, "dpo_access_log", v)
	}
	list, err := h.Store.AccessLog(c.UserContext(), edge.Actor(c), filter)
	if err != nil {
		errs, ok := web.FormErrors(err, accessLogFilters, nil, nil)
		if !ok {
			return err
		}
		v.Errors = errs
		v.Data = web.AccessView{}
		return h.Render(c, fiber.StatusUnprocessableEntity, "dpo_access_log", v)
	}
	rows := web.AccessRows(list, edge.Actor(c), "")
	codes.Fill(rows)
	csv := "/dpo/access-log.csv"
	if len(q) > 0 {
		csv += "?" + q.Encode()
	}
	v.Data = web.AccessView{Rows: rows, Older: web.OlderURL("/dpo/access-log", q, rows), CSV: csv}
	return h.Render(c, fiber.StatusOK, "dpo_access_log", v)
}

// accessFilter reads the access-log search form: the query to repeat it,
// the form as typed, the filter, the case codes it resolved the client
// with, and the fields it refused.
func (h *Handler) accessFilter(c *fiber.Ctx) (url.Values, map[string]string, records.AccessFilter, web.CaseCodes, map[string]string, error) {
	q := url.Values{}
	form := map[string]string{}
	for _, f := range accessLogFilters {
		val := strings.TrimSpace(web.FormQuery(c, f))
		form[f] = val
		if val != "" {
			q.Set(f, val)
		}
	}
	codes, err := h.CaseCodes(c)
	if err != nil {
		return nil, nil, records.AccessFilter{}, codes, nil, err
	}
	filter := records.AccessFilter{Actor: form["actor"]}
	errs := map[string]string{}
	if code := form["client"]; code != "" {
		id, ok := codes.Resolve(code)
		if !ok {
			errs["client"] = "invalid.case_code_unknown"
		}
		filter.ClientID = id
	}
	switch act := form["action"]; act {
	case "":
	case "denied": // an outcome in the log; offered among the actions
		filter.Outcome = records.OutcomeDenied
	case "read", "create", "correct", "export", "destroy", "change", "grant", "revoke", "sign_in":
		filter.Action = records.Action(act)
	default:
		errs["action"] = "invalid.other"
	}
	if k := form["kind"]; k != "" {
		if ui.IsLogKind(k) {
			filter.Kind = k
		} else {
			errs["kind"] = "invalid.other"
		}
	}
	if d := form["from"]; d != "" {
		if filter.From, err = ui.ParseDateInput(d); err != nil {
			errs["from"] = "invalid.date"
		}
	}
	if d := form["to"]; d != "" {
		if filter.To, err = ui.ParseDateInput(d); err != nil {
			errs["to"] = "invalid.date"
		}
	}
	return q, form, filter, codes, errs, nil
}
