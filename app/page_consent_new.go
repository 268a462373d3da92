package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/nabij/nabij/app/edge"
)

type consentFormView struct {
	ClientID, Name string
}

// pageConsentNew is the form to record a consent the client gave the
// professional (verbal or written). ?purpose, ?recipient and ?reason prefill
// it: the disclosure form links here when a consent is missing.
func (s *Server) pageConsentNew(c *fiber.Ctx) error {
	form := map[string]string{}
	for _, f := range []string{"purpose", "recipient", "reason"} {
		form[f] = formQuery(c, f)
	}
	return s.renderConsentNew(c, fiber.StatusOK, nil, form)
}

func (s *Server) renderConsentNew(c *fiber.Ctx, status int, errs, form map[string]string) error {
	f, err := s.clientFileFor(c)
	if err != nil {
		return err
	}
	v := s.view(c, "consent_new.title")
	v.Errors, v.Form = errs, form
	v.Data = consentFormView{ClientID: f.Client.ID, Name: f.Client.Name}
	return s.render(c, status, "consent_new", v)
}

// pageConsentCreate records the consent (as POST /clients/{id}/consents).
func (s *Server) pageConsentCreate(c *fiber.Ctx) error {
	in := formValues(c, consentFields...)
	ci, errs := consentInput(in)
	if errs == nil {
		id := edge.Param(c, "id")
		_, err := s.consent().Record(c.UserContext(), edge.Actor(c), id, ci)
		if err == nil {
			return s.redirect(c, clientPath(id)+"#consents", "flash.consent_recorded")
		}
		var ok bool
		if errs, ok = consentFormErrors(err); !ok {
			return err
		}
	}
	return s.renderConsentNew(c, fiber.StatusUnprocessableEntity, errs, in)
}
