package pro

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

type consentFormView struct {
	ClientID, Name string
}

// consentNew is the form to record a consent the client gave the
// professional (verbal or written). ?purpose, ?recipient and ?reason prefill
// it: the disclosure form links here when a consent is missing.
func (h *Handler) consentNew(c *fiber.Ctx) error {
	form := map[string]string{"given_at": ui.FormatLocalInput(h.Now())[:len("2006-01-02")]}
	for _, f := range []string{"purpose", "recipient", "reason"} {
		form[f] = web.FormQuery(c, f)
	}
	return h.renderConsentNew(c, fiber.StatusOK, nil, form)
}

func (h *Handler) renderConsentNew(c *fiber.Ctx, status int, errs, form map[string]string) error {
	o, err := h.Store.ClientOutline(c.UserContext(), edge.Actor(c), records.PurposeCare, edge.Param(c, "id"))
	if err != nil {
		return err
	}
	v := h.View(c, "consent_new.title")
	v.Errors, v.Form = errs, form
	v.Data = consentFormView{ClientID: o.ClientID, Name: o.Name}
	return h.Render(c, status, "consent_new", v)
}

// consentCreate records the consent (as POST /clients/{id}/consents).
func (h *Handler) consentCreate(c *fiber.Ctx) error {
	in := web.FormValues(c, web.ConsentFields...)
	ci, errs := web.ConsentInput(in)
	if errs == nil {
		id := edge.Param(c, "id")
		_, err := h.Consent().Record(c.UserContext(), edge.Actor(c), id, ci)
		if err == nil {
			return h.Redirect(c, clientPath(id)+"#consents", "flash.consent_recorded")
		}
		var ok bool
		if errs, ok = web.ConsentFormErrors(err); !ok {
			return err
		}
	}
	return h.renderConsentNew(c, fiber.StatusUnprocessableEntity, errs, in)
}
