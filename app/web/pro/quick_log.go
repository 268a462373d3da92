package pro

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// The quick log's "who" choices besides a client on the caseload.
const (
	whoNew       = "new"
	whoAnonymous = "anonymous"
)

var quickLogFields = []string{"client_id", "new_client_name", "channel", "occurred_at", "duration_minutes", "follow_up_of",
	"body", "visibility", "restricted_reason", "place", "topics"}

// quickLogRename maps records' fields to the quick log form's.
var quickLogRename = map[string]string{"contact": "client_id", "trajectory_id": "client_id"}

// quickLogView is what the quick log form offers: the caseload to pick from,
// and, when the page was opened for one client, that client's recent past
// contacts for the follow-up link.
type quickLogView struct {
	Clients  []caseloadRow
	Contacts []web.ContactRef
	Topics   []string
	Checked  map[string]bool
}

// quickLog is the street worker's one form: who (a client on the caseload,
// a new one by first name or nickname, or nobody in particular), channel,
// when, how long, follow-up and the note. Outreach is preselected: this is the
// form for the street, on a phone or not (a server cannot tell a narrow screen
// without JavaScript).
func (h *Handler) quickLog(c *fiber.Ctx) error {
	form := map[string]string{"client_id": whoNew, "channel": string(records.ChannelOutreach),
		"occurred_at": ui.FormatLocalInput(h.Now()), "duration_minutes": "10", "visibility": string(records.VisibilityShared)}
	if id := web.FormQuery(c, "client"); id != "" {
		form["client_id"] = id
	}
	return h.renderQuickLog(c, fiber.StatusOK, nil, form, nil)
}

func (h *Handler) renderQuickLog(c *fiber.Ctx, status int, errs, form map[string]string, topics []string) error {
	list, err := h.Store.Caseload(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	qv := quickLogView{Checked: map[string]bool{}}
	for _, e := range list {
		// The case code tells apart two clients of the same name.
		qv.Clients = append(qv.Clients, caseloadRow{ID: e.ClientID, Name: e.Name, Code: e.CaseCode})
	}
	slices.SortStableFunc(qv.Clients, func(a, b caseloadRow) int { return strings.Compare(a.Name, b.Name) })
	for _, t := range records.Topics {
		qv.Topics = append(qv.Topics, string(t))
	}
	for _, t := range topics {
		qv.Checked[t] = true
	}
	// A client picked beforehand (from their file): their recent past contacts,
	// read as the outline is read for any form, so a follow-up can be linked.
	if id := form["client_id"]; id != whoNew && id != whoAnonymous && id != "" && slices.ContainsFunc(qv.Clients, func(r caseloadRow) bool { return r.ID == id }) {
		o, err := h.Store.ClientOutline(c.UserContext(), edge.Actor(c), records.PurposeCare, id)
		if err != nil {
			return err
		}
		now := h.Now()
		for _, k := range o.Contacts {
			if !k.OccurredAt.After(now) {
				qv.Contacts = append(qv.Contacts, web.ContactRef{ID: k.ID, Channel: string(k.Channel), At: k.OccurredAt})
			}
		}
		slices.SortStableFunc(qv.Contacts, func(a, b web.ContactRef) int { return b.At.Compare(a.At) })
		qv.Contacts = qv.Contacts[:min(len(qv.Contacts), 5)]
	}
	v := h.View(c, "quick_log.title")
	v.Errors, v.Form, v.Data = errs, form, qv
	return h.Render(c, status, "quick_log", v)
}

// quickLogSave saves the quick log in one step: a contact (and note) for a
// client, new or on the caseload, through records.QuickLog; or an anonymous
// contact. A refused form comes back as typed, with the errors.
func (h *Handler) quickLogSave(c *fiber.Ctx) error {
	in := web.FormValues(c, quickLogFields...)
	var topics []string
	for _, t := range c.Request().PostArgs().PeekMulti("topics") {
		topics = append(topics, string(t)) // copied: fasthttp reuses the buffer
	}
	errs := map[string]string{}
	at, err := ui.ParseLocalInput(strings.TrimSpace(in["occurred_at"]))
	if err != nil {
		errs["occurred_at"] = "invalid.occurred_at"
	}
	minutes, err := strconv.Atoi(strings.TrimSpace(in["duration_minutes"]))
	if err != nil || minutes < 0 || minutes > 1440 {
		errs["duration_minutes"] = "invalid.duration_minutes"
	}
	if !records.Channel(in["channel"]).Valid() {
		errs["channel"] = "invalid.channel"
	}
	who, name := in["client_id"], strings.TrimSpace(in["new_client_name"])
	switch {
	case who == whoAnonymous && (name != "" || strings.TrimSpace(in["body"]) != ""):
		// Nothing personal goes with an anonymous contact: no name, no note.
		errs["client_id"] = "invalid.anonymous_personal"
	case who == whoNew && name == "":
		errs["new_client_name"] = "invalid.new_client_name"
	case who != whoNew && who != whoAnonymous && name != "":
		errs["new_client_name"] = "invalid.new_client_name_or_client"
	}
	if len(errs) > 0 {
		return h.renderQuickLog(c, fiber.StatusUnprocessableEntity, errs, in, topics)
	}
	ctx, a := c.UserContext(), edge.Actor(c)
	if who == whoAnonymous {
		ts := make([]records.Topic, len(topics))
		for i, t := range topics {
			ts[i] = records.Topic(t)
		}
		if _, err := h.Store.LogAnonymousContact(ctx, a, records.NewAnonymousContact{Channel: records.Channel(in["channel"]),
			Place: in["place"], OccurredAt: at, DurationMinutes: minutes, Topics: ts}); err != nil {
			errs, ok := web.FormErrors(err, quickLogFields, quickLogRename, nil)
			if !ok {
				return err
			}
			return h.renderQuickLog(c, fiber.StatusUnprocessableEntity, errs, in, topics)
		}
		return h.Redirect(c, "/log", "flash.anonymous_contact_logged")
	}
	ql := records.QuickLog{NewClientName: name, Channel: records.Channel(in["channel"]), OccurredAt: at,
		DurationMinutes: minutes, FollowUpOf: in["follow_up_of"], Body: in["body"],
		Visibility: records.Visibility(in["visibility"]), RestrictedReason: in["restricted_reason"]}
	if who != whoNew {
		ql.ClientID = who
	}
	res, err := h.Store.QuickLog(ctx, a, ql)
	if err != nil {
		keys := noteKeys(in)
		keys["client_id"], keys["trajectory_id"] = "invalid.quick_log_who", "invalid.quick_log_who"
		errs, ok := web.FormErrors(err, quickLogFields, quickLogRename, keys)
		if !ok {
			return err
		}
		return h.renderQuickLog(c, fiber.StatusUnprocessableEntity, errs, in, topics)
	}
	return h.Redirect(c, clientPath(res.ClientID)+"#contact-"+url.PathEscape(res.Contact.ID), "flash.quick_logged")
}

// recentPast is the latest contact in list (newest first) that is not in
// the future, or "" when there is none: a note is written about what
// happened, never about a planned contact.
func recentPast(list []web.ContactRef, now time.Time) string {
	for _, k := range list {
		if !k.At.After(now) {
			return k.ID
		}
	}
	return ""
}
