package dpo

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/ui"
)

type anomalyRow struct {
	Kind, ActorUsername, ClientID, LogURL string
	At                                    time.Time
	Seq                                   int64
	Count                                 int
	Reason                                string
	Expires                               *time.Time
}

// anomalies lists break-the-glass uses, denied attempts, bulk reads
// and online contacts without consent since a date (30 days by default).
func (h *Handler) anomalies(c *fiber.Ctx) error {
	v := h.View(c, "dpo_anomalies.title")
	since := h.Now().AddDate(0, 0, -30)
	if d := strings.TrimSpace(web.FormQuery(c, "since")); d != "" {
		v.Form = map[string]string{"since": d}
		t, err := ui.ParseDateInput(d)
		if err != nil {
			v.Errors = map[string]string{"since": "invalid.date"}
			v.Data = struct{ Rows []anomalyRow }{}
			return h.Render(c, fiber.StatusUnprocessableEntity, "dpo_anomalies", v)
		}
		since = t
	}
	list, err := h.Store.Anomalies(c.UserContext(), edge.Actor(c), since)
	if err != nil {
		return err
	}
	rows := make([]anomalyRow, 0, len(list))
	for _, an := range list {
		r := anomalyRow{Kind: an.Kind, ActorUsername: an.ActorUsername, ClientID: an.ClientID, At: an.At, Seq: an.Seq, Count: an.Count,
			Reason: an.Reason, Expires: an.ExpiresAt}
		if an.Seq > 0 {
			r.LogURL = "/dpo/access-log?before=" + strconv.FormatInt(an.Seq+1, 10)
		}
		rows = append(rows, r)
	}
	v.Data = struct{ Rows []anomalyRow }{rows}
	return h.Render(c, fiber.StatusOK, "dpo_anomalies", v)
}
