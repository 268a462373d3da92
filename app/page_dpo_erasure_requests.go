package app

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// erasureRow is one request on the data officer's page. A pending one has
// two forms; their fields are named per request (reason-<id>, confirm-<id>),
// so a refused decision shows its error next to the right field.
type erasureRow struct {
	records.ErasureRequest
	Decided                            time.Time
	ReasonField, ConfirmField          string
	ReasonValue, ReasonErr, ConfirmErr string
	CSRF                               string
}

// pageDPOErasureRequests lists erasure requests, newest first, with approve
// and refuse forms for pending ones (GET /erasure-requests; recorded).
func (s *Server) pageDPOErasureRequests(c *fiber.Ctx) error {
	return s.renderDPOErasureRequests(c, fiber.StatusOK, "", nil)
}

func (s *Server) renderDPOErasureRequests(c *fiber.Ctx, status int, rid string, errs map[string]string) error {
	list, err := s.Store.ErasureRequests(c.UserContext(), edge.Actor(c), "")
	if err != nil {
		return err
	}
	v := s.view(c, "dpo_erasure.title")
	rows := make([]erasureRow, len(list))
	for i, r := range list {
		rows[i] = erasureRow{ErasureRequest: r, Decided: dateOrZero(r.DecidedAt), CSRF: v.CSRF,
			ReasonField: "reason-" + r.ID, ConfirmField: "confirm-" + r.ID}
		if r.ID == rid {
			rows[i].ReasonValue = formValue(c, "reason")
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
	return s.render(c, status, "dpo_erasure_requests", v)
}
