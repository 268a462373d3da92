package web

import (
	"strings"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// Shared pieces of the consent pages of the professional (package pro) and
// of the client (package client). Their handlers call the same
// consent.Service and records.Store methods as the API's consent, retention
// and rights handlers, so every page view and every change writes the same
// access record as the API.

// ConsentRow is one consent as the "consent-card" partial shows it.
type ConsentRow struct {
	consent.View
	WithdrawURL string // set when the consent is valid now and may be withdrawn here
	CSRF        string
}

// ConsentRows orders a consent history for a page, valid consents first,
// then the ended ones, each newest first; withdraw(id) gives the form action.
func ConsentRows(list []consent.View, csrf string, withdraw func(id string) string) []ConsentRow {
	rows := make([]ConsentRow, 0, len(list))
	for _, valid := range []bool{true, false} {
		for i := len(list) - 1; i >= 0; i-- {
			v := list[i]
			if v.Valid != valid {
				continue
			}
			r := ConsentRow{View: v, CSRF: csrf}
			if v.Valid {
				r.WithdrawURL = withdraw(v.ID)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// ConsentFields are the fields of the consent forms, in page order.
var ConsentFields = []string{"purpose", "channel", "recipient", "reason", "evidence", "given_at", "expires_at"}

// consentKeys names the message for each field consent.Validate or records may
// refuse (the generic invalid.<field> keys mean other things on other forms).
var consentKeys = map[string]string{
	"purpose":    "invalid.consent_purpose",
	"channel":    "invalid.consent_channel",
	"recipient":  "invalid.consent_recipient",
	"reason":     "invalid.consent_reason",
	"evidence":   "invalid.consent_evidence",
	"expires_at": "invalid.consent_expires_at",
	"given_at":   "invalid.consent_given_at",
}

// ConsentInput turns a consent form into the API's input. Fields that do not
// belong to the chosen purpose are left out (the form shows them all, as it
// works without script). expires_at is a date: the consent ends at the start
// of that day, Brussels time. given_at is the day the client gave it: it
// counts from the start of that day (empty: now).
func ConsentInput(in map[string]string) (consent.Input, map[string]string) {
	ci := consent.Input{Purpose: in["purpose"], Evidence: in["evidence"]}
	switch in["purpose"] {
	case string(records.ConsentContactChannel):
		ci.Channel = in["channel"]
	case string(records.ConsentDisclosure):
		ci.Recipient, ci.Reason = in["recipient"], in["reason"]
	}
	if d := strings.TrimSpace(in["given_at"]); d != "" {
		t, err := ui.ParseDateInput(d)
		if err != nil {
			return ci, map[string]string{"given_at": "invalid.date"}
		}
		ci.GivenAt = &t
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

// ConsentFormErrors maps a refused consent to the form's field errors.
func ConsentFormErrors(err error) (map[string]string, bool) {
	return FormErrors(err, ConsentFields, nil, consentKeys)
}

// IsCode reports whether err is a records error with the given code.
func IsCode(err error, code string) bool { return err != nil && records.ErrorCode(err) == code }
