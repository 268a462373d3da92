package app

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// Shared pieces of the consent, disclosure, retention and rights pages
// (issue 4 in the browser). The handlers, one file per action, call the same
// consent.Service and records.Store methods as the API handlers in
// consent_handlers.go, retention_handlers.go and rights_handlers.go, so every
// page view and every change writes the same access record as the API.

// consentRow is one consent as the "consent-card" partial shows it.
type consentRow struct {
	consent.View
	WithdrawURL string // set when the consent is valid now and may be withdrawn here
	CSRF        string
}

// consentRows orders a consent history for a page, valid consents first,
// then the ended ones, each newest first; withdraw(id) gives the form action.
func consentRows(list []consent.View, csrf string, withdraw func(id string) string) []consentRow {
	rows := make([]consentRow, 0, len(list))
	for _, valid := range []bool{true, false} {
		for i := len(list) - 1; i >= 0; i-- {
			v := list[i]
			if v.Valid != valid {
				continue
			}
			r := consentRow{View: v, CSRF: csrf}
			if v.Valid {
				r.WithdrawURL = withdraw(v.ID)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// consentFields are the fields of the consent forms, in page order.
var consentFields = []string{"purpose", "channel", "recipient", "reason", "evidence", "expires_at"}

// consentKeys names the message for each field consent.Validate or records may
// refuse (the generic invalid.<field> keys mean other things on other forms).
var consentKeys = map[string]string{
	"purpose":    "invalid.consent_purpose",
	"channel":    "invalid.consent_channel",
	"recipient":  "invalid.consent_recipient",
	"reason":     "invalid.consent_reason",
	"evidence":   "invalid.consent_evidence",
	"expires_at": "invalid.consent_expires_at",
}

// consentInput turns a consent form into the API's input. Fields that do not
// belong to the chosen purpose are left out (the form shows them all, as it
// works without script). expires_at is a date: the consent ends at the start
// of that day, Brussels time.
func consentInput(in map[string]string) (consent.Input, map[string]string) {
	ci := consent.Input{Purpose: in["purpose"], Evidence: in["evidence"]}
	switch in["purpose"] {
	case string(records.ConsentContactChannel):
		ci.Channel = in["channel"]
	case string(records.ConsentDisclosure):
		ci.Recipient, ci.Reason = in["recipient"], in["reason"]
	}
	if d := strings.TrimSpace(in["expires_at"]); d != "" {
		t, err := ui.ParseDateInput(d)
		if err != nil {
			return ci, map[string]string{"expires_at": "invalid.date"}
		}
		ci.ExpiresAt = &t
	}
	return ci, nil
}

// consentFormErrors maps a refused consent to the form's field errors.
func consentFormErrors(err error) (map[string]string, bool) {
	return formErrors(err, consentFields, nil, consentKeys)
}

// isCode reports whether err is a records error with the given code.
func isCode(err error, code string) bool { return err != nil && records.ErrorCode(err) == code }

// fileHeader reads the client's file for a form page (a read, recorded) and
// returns it with the name; loadFileForm's choices are not always needed.
func (s *Server) clientFileFor(c *fiber.Ctx) (*records.File, error) {
	return s.Store.ClientFile(c.UserContext(), edge.Actor(c), records.PurposeCare, edge.Param(c, "id"))
}

// clientPath is the file page of a client.
func clientPath(id string) string { return "/clients/" + url.PathEscape(id) }

// dateOrZero dereferences an optional time for a template.
func dateOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
