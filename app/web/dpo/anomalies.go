package dpo

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

type anomalyRow struct {
	Kind, ActorUsername, CaseCode, LogURL string
	At                                    time.Time
	Seq                                   int64
	Count                                 int
	Reason                                string
	Expires                               *time.Time
	// Key names the anomaly in the review form; Field is that form's note
	// field ("note-3"), NoteValue and NoteErr what a refused review left.
	Key, Field, NoteValue, NoteErr string
	Review                         *records.AnomalyReview
	CSRF                           string
}

// anomalyGroup is one kind of anomaly with its rows still to review: all
// of them when the page shows that kind alone, else the newest
// groupPreview, with the link to the rest.
type anomalyGroup struct {
	Kind    string
	Rows    []anomalyRow
	Total   int
	MoreURL string
}

// groupPreview is how many anomalies of a kind the overview shows.
const groupPreview = 10

type anomaliesView struct {
	Groups   []anomalyGroup
	Open     int
	Reviewed []anomalyRow
	Since    string
}

// anomalies lists break-the-glass uses, denied attempts, bulk reads,
// online contacts without consent and new accounts given a file since a
// date (30 days by default), grouped by kind with counts, each with a form
// to mark it reviewed; reviewed ones follow under their own heading.
func (h *Handler) anomalies(c *fiber.Ctx) error {
	return h.renderAnomalies(c, fiber.StatusOK, "", "")
}

func (h *Handler) renderAnomalies(c *fiber.Ctx, status int, failedKey, errKey string) error {
	v := h.View(c, "dpo_anomalies.title")
	since := h.Now().AddDate(0, 0, -30)
	if d := strings.TrimSpace(web.FormValue(c, "since")); d != "" {
		v.Form = map[string]string{"since": d}
		t, err := ui.ParseDateInput(d)
		if err != nil {
			v.Errors = map[string]string{"since": "invalid.date"}
			v.Data = anomaliesView{}
			return h.Render(c, fiber.StatusUnprocessableEntity, "dpo_anomalies", v)
		}
		since = t
	}
	list, err := h.Store.Anomalies(c.UserContext(), edge.Actor(c), since)
	if err != nil {
		return err
	}
	codes, err := h.CaseCodes(c)
	if err != nil {
		return err
	}
	d := anomaliesView{Since: since.Format("2006-01-02")}
	only := strings.TrimSpace(web.FormValue(c, "kind"))
	groups := map[string]*anomalyGroup{}
	order := append([]string(nil), records.AnomalyKinds...)
	for _, k := range order {
		groups[k] = &anomalyGroup{Kind: k}
	}
	for i, an := range list {
		r := anomalyRow{Kind: an.Kind, ActorUsername: an.ActorUsername, CaseCode: codes.Of(an.ClientID), At: an.At, Seq: an.Seq,
			Count: an.Count, Reason: an.Reason, Expires: an.ExpiresAt, Key: an.Key, Review: an.Review,
			Field: "note-" + strconv.Itoa(i), CSRF: v.CSRF}
		if an.Seq > 0 {
			r.LogURL = "/dpo/access-log?before=" + strconv.FormatInt(an.Seq+1, 10)
		}
		if failedKey != "" && an.Key == failedKey {
			r.NoteValue, r.NoteErr = web.FormValue(c, "note"), errKey
			v.Errors = map[string]string{r.Field: errKey}
		}
		if an.Review != nil {
			d.Reviewed = append(d.Reviewed, r)
			continue
		}
		g, ok := groups[an.Kind]
		if !ok { // a kind this page does not know yet still shows
			g = &anomalyGroup{Kind: an.Kind}
			groups[an.Kind] = g
			order = append(order, an.Kind)
		}
		g.Total++
		d.Open++
		if (only == "" && len(g.Rows) < groupPreview) || only == an.Kind || an.Key == failedKey {
			g.Rows = append(g.Rows, r)
		}
	}
	for _, k := range order {
		g := groups[k]
		if g.Total == 0 || (only != "" && only != k) {
			continue
		}
		if len(g.Rows) < g.Total {
			g.MoreURL = "/dpo/anomalies?" + url.Values{"kind": {k}, "since": {d.Since}}.Encode()
		}
		d.Groups = append(d.Groups, *g)
	}
	v.Data = d
	return h.Render(c, status, "dpo_anomalies", v)
}

// anomalyReview marks one anomaly reviewed with a note (POST
// /dpo/anomalies/review); the review is recorded in the access log.
func (h *Handler) anomalyReview(c *fiber.Ctx) error {
	in := web.FormValues(c, "key", "note", "since")
	err := h.Store.ReviewAnomaly(c.UserContext(), edge.Actor(c), in["key"], in["note"])
	switch {
	case err == nil:
		return h.Redirect(c, "/dpo/anomalies", "flash.anomaly_reviewed")
	case web.IsCode(err, records.ECONFLICT):
		return h.renderAnomalies(c, fiber.StatusConflict, in["key"], "invalid.anomaly_reviewed")
	case web.IsCode(err, records.ENOTFOUND) || web.IsCode(err, records.EINVALID) && records.ErrorField(err) == "key":
		return h.renderAnomalies(c, fiber.StatusUnprocessableEntity, "", "")
	case web.IsCode(err, records.EINVALID):
		return h.renderAnomalies(c, fiber.StatusUnprocessableEntity, in["key"], "invalid.review_note")
	}
	return err
}
