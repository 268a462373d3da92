package app

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

var contactFields = []string{"trajectory_id", "channel", "occurred_at", "duration_minutes", "synchronous", "follow_up_of"}

// fileFormView is what the contact and note forms need from the file: the
// client's name, open trajectories and earlier contacts, newest first.
type fileFormView struct {
	ClientID, Name string
	Trajectories   []trajectoryView
	Contacts       []contactRef
}

// loadFileForm reads the client's file for a form's choices. It is a read
// of client data, so records writes the access record (or a denied one).
func (s *Server) loadFileForm(c *fiber.Ctx) (*fileFormView, error) {
	f, err := s.Store.ClientFile(c.UserContext(), edge.Actor(c), records.PurposeCare, edge.Param(c, "id"))
	if err != nil {
		return nil, err
	}
	fv := &fileFormView{ClientID: f.Client.ID, Name: f.Client.Name}
	for _, t := range f.Trajectories {
		if t.ClosedAt == nil {
			fv.Trajectories = append(fv.Trajectories, trajectoryView{ID: t.ID, Goal: t.Goal, Opened: t.OpenedAt})
		}
	}
	for _, k := range f.Contacts {
		fv.Contacts = append(fv.Contacts, contactRef{ID: k.ID, Channel: string(k.Channel), At: k.OccurredAt})
	}
	slices.SortStableFunc(fv.Contacts, func(a, b contactRef) int { return b.At.Compare(a.At) })
	return fv, nil
}

func (s *Server) pageContactNew(c *fiber.Ctx) error {
	form := map[string]string{
		"occurred_at":  ui.FormatLocalInput(s.cfg.Now()),
		"synchronous":  "yes",
		"follow_up_of": formQuery(c, "follow_up_of"),
	}
	return s.renderContactNew(c, fiber.StatusOK, nil, form)
}

func formQuery(c *fiber.Ctx, name string) string { return strings.Clone(c.Query(name)) }

func (s *Server) renderContactNew(c *fiber.Ctx, status int, errs, form map[string]string) error {
	fv, err := s.loadFileForm(c)
	if err != nil {
		return err
	}
	v := s.view(c, "contact_new.title")
	v.Errors, v.Form, v.Data = errs, form, fv
	return s.render(c, status, "contact_new", v)
}

// pageContactCreate logs a contact: channel, time, duration, synchronous or
// not, and the earlier contact it follows up.
func (s *Server) pageContactCreate(c *fiber.Ctx) error {
	in := formValues(c, contactFields...)
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
		return s.renderContactNew(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	id := edge.Param(c, "id")
	k, err := s.Store.CreateContact(c.UserContext(), edge.Actor(c), id, records.NewContact{
		TrajectoryID: in["trajectory_id"], Channel: records.Channel(in["channel"]), OccurredAt: at,
		DurationMinutes: minutes, Synchronous: in["synchronous"] == "yes", FollowUpOf: in["follow_up_of"]})
	if err != nil {
		errs, ok := formErrors(err, contactFields, nil, nil)
		if !ok {
			return err
		}
		return s.renderContactNew(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	return s.redirect(c, "/clients/"+id+"#contact-"+k.ID, "flash.contact_created")
}
