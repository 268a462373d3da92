package dpo

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// erasureRow is one request on the data officer's page. A pending one has
// two forms; their fields are named per request (reason-<id>, confirm-<id>),
// so a refused decision shows its error next to the right field.
type erasureRow struct {
	records.ErasureRequest
	CaseCode                           string
	Decided                            time.Time
	ReasonField, ConfirmField          string
	ReasonValue, ReasonErr, ConfirmErr string
	CSRF                               string
}

// erasureRequests lists erasure requests, newest first, with approve
// and refuse forms for pending ones (GET /erasure-requests; recorded).
func (h *Handler) erasureRequests(c *fiber.Ctx) error {
	return h.renderErasureRequests(c, fiber.StatusOK, "", nil)
}

func (h *Handler) renderErasureRequests(c *fiber.Ctx, status int, rid string, errs map[string]string) error {
	list, err := h.Store.ErasureRequests(c.UserContext(), edge.Actor(c), "")
	if err != nil {
		return err
	}
	codes, err := h.CaseCodes(c)
	if err != nil {
		return err
	}
	v := h.View(c, "dpo_erasure.title")
	rows := make([]erasureRow, len(list))
	for i, r := range list {
		rows[i] = erasureRow{ErasureRequest: r, CaseCode: codes.Of(r.ClientID), Decided: dateOrZero(r.DecidedAt), CSRF: v.CSRF,
			ReasonField: "reason-" + r.ID, ConfirmField: "confirm-" + r.ID}
		if r.ID == rid {
			rows[i].ReasonValue = web.FormValue(c, "reason")
			rows[i].ReasonErr, rows[i].ConfirmErr = errs["reason"], errs["confirm"]
		}
	}
	if rid != "" && len(errs) > 0 {
		v.Errors = map[string]string{}
		for f, k := range errs {
			v.Errors[f+"-"+rid] = k
		}
	}
	v.Data = struct{ Requests []erasureRow }{rows}
	return h.Render(c, status, "dpo_erasure_requests", v)
}
