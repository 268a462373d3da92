package pro

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

var contactFields = []string{"trajectory_id", "channel", "occurred_at", "duration_minutes", "synchronous", "follow_up_of", "tool_id", "tool_name"}

// fileFormView is what the contact and note forms need from the file: the
// client's name, open trajectories and earlier contacts, newest first.
type fileFormView struct {
	ClientID, Name string
	Trajectories   []web.TrajectoryView
	Contacts       []web.ContactRef
	Tools          []records.Tool // the register, for the contact form's tool choice
}

// loadFileForm reads the client's outline for a form's choices: name, open
// trajectories and contacts, no note bodies. It is a read of client data of
// its own kind, so records writes an access record for it (or a denied one)
// that tells the client a form was opened, not that every note was read.
func (h *Handler) loadFileForm(c *fiber.Ctx) (*fileFormView, error) {
	o, err := h.Store.ClientOutline(c.UserContext(), edge.Actor(c), records.PurposeCare, edge.Param(c, "id"))
	if err != nil {
		return nil, err
	}
	fv := &fileFormView{ClientID: o.ClientID, Name: o.Name}
	for _, t := range o.Trajectories {
		fv.Trajectories = append(fv.Trajectories, web.TrajectoryView{ID: t.ID, Goal: t.Goal, Opened: t.OpenedAt})
	}
	for _, k := range o.Contacts {
		fv.Contacts = append(fv.Contacts, web.ContactRef{ID: k.ID, Channel: string(k.Channel), At: k.OccurredAt})
	}
	slices.SortStableFunc(fv.Contacts, func(a, b web.ContactRef) int { return b.At.Compare(a.At) })
	return fv, nil
}

func (h *Handler) contactNew(c *fiber.Ctx) error {
	form := map[string]string{
		"occurred_at":  ui.FormatLocalInput(h.Now()),
		"synchronous":  "yes",
		"follow_up_of": web.FormQuery(c, "follow_up_of"),
	}
	return h.renderContactNew(c, fiber.StatusOK, nil, form)
}

func (h *Handler) renderContactNew(c *fiber.Ctx, status int, errs, form map[string]string) error {
	fv, err := h.loadFileForm(c)
	if err != nil {
		return err
	}
	if fv.Tools, err = h.Store.Tools(c.UserContext(), edge.Actor(c)); err != nil {
		return err
	}
	v := h.View(c, "contact_new.title")
	v.Errors, v.Form, v.Data = errs, form, fv
	return h.Render(c, status, "contact_new", v)
}

// contactCreate logs a contact: channel, time, duration, synchronous or
// not, the earlier contact it follows up, and for an online contact the
// tool used (from the register, or another by name).
func (h *Handler) contactCreate(c *fiber.Ctx) error {
	in := web.FormValues(c, contactFields...)
	errs := map[string]string{}
	at, err := ui.ParseLocalInput(strings.TrimSpace(in["occurred_at"]))
	if err != nil {
		errs["occurred_at"] = "invalid.occurred_at"
	}
	minutes, err := strconv.Atoi(strings.TrimSpace(in["duration_minutes"]))
	if err != nil || minutes < 0 || minutes > 1440 {
		errs["duration_minutes"] = "invalid.duration_minutes"
	}
	if in["synchronous"] != "yes" && in["synchronous"] != "no" {
		errs["synchronous"] = "invalid.synchronous"
	}
	if !records.Channel(in["channel"]).Valid() {
		errs["channel"] = "invalid.channel"
	}
	if len(errs) > 0 {
		return h.renderContactNew(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	id := edge.Param(c, "id")
	k, err := h.Store.CreateContact(c.UserContext(), edge.Actor(c), id, records.NewContact{
		TrajectoryID: in["trajectory_id"], Channel: records.Channel(in["channel"]), OccurredAt: at,
		DurationMinutes: minutes, Synchronous: in["synchronous"] == "yes", FollowUpOf: in["follow_up_of"],
		ToolID: in["tool_id"], ToolName: in["tool_name"]})
	if err != nil {
		errs, ok := web.FormErrors(err, contactFields, nil, nil)
		if !ok {
			return err
		}
		return h.renderContactNew(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	if len(k.Warnings) > 0 {
		// Kept, and said plainly: the register does not advise this tool.
		return h.Redirect(c, "/clients/"+id+"#contact-"+k.ID, "flash.contact_created_not_advised")
	}
	return h.Redirect(c, "/clients/"+id+"#contact-"+k.ID, "flash.contact_created")
}
