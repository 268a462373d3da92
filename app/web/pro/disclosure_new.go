package pro

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

var disclosureFields = []string{"recipient", "purpose", "record_ids"}

// disclosable is one record the professional may tick: shared notes,
// contacts and trajectories (records refuses personal and restricted notes).
type disclosable struct {
	ID, Kind, Label, Channel string
	At                       time.Time
}

// missingConsent names the consent a refused disclosure lacked, with a link
// to record it.
type missingConsent struct {
	Recipient, Purpose, RecordURL string
}

type disclosureFormView struct {
	ClientID, Name string
	Records        []disclosable
	Missing        *missingConsent
}

type disclosureDoneView struct {
	ClientID, Name string
	Disclosure     records.Disclosure
	Trajectories   []records.Trajectory
	Contacts       []records.Contact
	Notes          []records.Note
}

func disclosables(f *records.File) []disclosable {
	var out []disclosable
	for _, t := range f.Trajectories {
		out = append(out, disclosable{ID: t.ID, Kind: "trajectory", Label: t.Goal, At: t.OpenedAt})
	}
	for _, k := range f.Contacts {
		out = append(out, disclosable{ID: k.ID, Kind: "contact", Channel: string(k.Channel), At: k.OccurredAt})
	}
	for _, n := range f.Notes {
		if n.Visibility == records.VisibilityShared && !n.Withheld {
			label := strings.Join(strings.Fields(n.Body), " ")
			if r := []rune(label); len(r) > 80 {
				label = string(r[:80]) + "…"
			}
			out = append(out, disclosable{ID: n.ID, Kind: "note", Label: label, At: n.VersionAt})
		}
	}
	slices.SortStableFunc(out, func(a, b disclosable) int { return b.At.Compare(a.At) })
	return out
}

// disclosureNew is the form to share records of the client with a named
// recipient, which needs the client's valid consent for that recipient and purpose.
func (h *Handler) disclosureNew(c *fiber.Ctx) error {
	return h.renderDisclosureNew(c, fiber.StatusOK, nil, map[string]string{}, nil)
}

func (h *Handler) renderDisclosureNew(c *fiber.Ctx, status int, errs, form map[string]string, missing *missingConsent) error {
	f, err := h.clientFileFor(c)
	if err != nil {
		return err
	}
	v := h.View(c, "disclosure_new.title")
	v.Errors, v.Form = errs, form
	v.Data = disclosureFormView{ClientID: f.Client.ID, Name: f.Client.Name, Records: disclosables(f), Missing: missing}
	return h.Render(c, status, "disclosure_new", v)
}

// disclosureCreate shares the ticked records (as POST
// /clients/{id}/disclosures): refused, with the missing consent named next to
// the recipient, when the client has no valid consent for it.
func (h *Handler) disclosureCreate(c *fiber.Ctx) error {
	in := web.FormValues(c, "recipient", "purpose")
	var ids []string
	for _, b := range c.Request().PostArgs().PeekMulti("record_ids") {
		id := string(b)
		ids = append(ids, id)
		in["record:"+id] = "on"
	}
	id := edge.Param(c, "id")
	p, err := h.Consent().Disclose(c.UserContext(), edge.Actor(c), id,
		records.NewDisclosure{Recipient: in["recipient"], Purpose: in["purpose"], RecordIDs: ids})
	if errors.Is(err, records.ErrNoConsent) {
		q := url.Values{"purpose": {"disclosure"}, "recipient": {strings.TrimSpace(in["recipient"])}, "reason": {strings.TrimSpace(in["purpose"])}}
		m := &missingConsent{Recipient: strings.TrimSpace(in["recipient"]), Purpose: strings.TrimSpace(in["purpose"]),
			RecordURL: clientPath(id) + "/consents/new?" + q.Encode()}
		return h.renderDisclosureNew(c, fiber.StatusForbidden, map[string]string{"recipient": "invalid.consent_missing"}, in, m)
	}
	if err != nil {
		errs, ok := web.FormErrors(err, disclosureFields, nil, map[string]string{
			"recipient": "invalid.disclosure_recipient", "purpose": "invalid.disclosure_purpose", "record_ids": "invalid.record_ids"})
		if !ok {
			return err
		}
		return h.renderDisclosureNew(c, fiber.StatusUnprocessableEntity, errs, in, nil)
	}
	name := ""
	if o, err := h.Store.ClientOutline(c.UserContext(), edge.Actor(c), records.PurposeCare, id); err == nil {
		name = o.Name
	}
	v := h.View(c, "disclosure_done.title")
	v.Flash = "flash.disclosed"
	v.Data = disclosureDoneView{ClientID: id, Name: name, Disclosure: p.Disclosure,
		Trajectories: p.Trajectories, Contacts: p.Contacts, Notes: p.Notes}
	return h.Render(c, fiber.StatusOK, "disclosure_done", v)
}
