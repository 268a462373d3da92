// Package consent is nabij's consent and retention policy: the purposes a
// client can consent to, how a consent is validated and when it is valid, the
// default retention rules with their sources, when a record is due, the
// suppression of small cells in statistics, and the FHIR R4 mapping of a
// client's export. It holds no SQL and no HTTP: records stores and enforces,
// app serves. Errors are *records.Error values with the records codes.
package consent

import (
	"context"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

// Purposes a client can consent to.
var Purposes = []records.ConsentPurpose{records.ConsentContactChannel, records.ConsentDisclosure, records.ConsentStatistics}

// Input is a consent as written to the API:
// {purpose, channel, recipient, reason, evidence, given_at, expires_at}.
// given_at is when the client gave the consent (default: now).
type Input struct {
	Purpose   string     `json:"purpose"`
	Channel   string     `json:"channel,omitempty"`
	Recipient string     `json:"recipient,omitempty"`
	Reason    string     `json:"reason,omitempty"`
	Evidence  string     `json:"evidence,omitempty"`
	GivenAt   *time.Time `json:"given_at,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	ToolID    string     `json:"tool_id,omitempty"`
}

func invalid(field, msg string) error {
	return &records.Error{Code: records.EINVALID, Field: field, Message: msg}
}

// Validate checks a consent for the role that records it and returns it in the
// form records stores: a client gives consent online (evidence defaults to
// online); a professional records verbal or written consent. EINVALID names the
// field that is wrong.
func Validate(in Input, role records.Role, now time.Time) (records.NewConsent, error) {
	out := records.NewConsent{
		Purpose: records.ConsentPurpose(strings.TrimSpace(in.Purpose)), Channel: records.Channel(strings.TrimSpace(in.Channel)),
		Recipient: strings.Join(strings.Fields(in.Recipient), " "), Reason: strings.Join(strings.Fields(in.Reason), " "),
		Evidence: records.Evidence(strings.TrimSpace(in.Evidence)), GivenAt: in.GivenAt, ExpiresAt: in.ExpiresAt,
		ToolID: strings.TrimSpace(in.ToolID),
	}
	if role == records.RoleClient && out.Evidence == "" {
		out.Evidence = records.EvidenceOnline
	}
	switch out.Purpose {
	case records.ConsentContactChannel:
		if out.Channel == "" {
			return out, invalid("channel", "name the online channel: video, phone, chat, email, messaging or ehealth_module")
		}
		if !out.Channel.Valid() {
			return out, invalid("channel", "unknown channel "+string(out.Channel))
		}
		if !out.Channel.Online() {
			return out, invalid("channel", "face-to-face contact needs no channel consent; name an online channel")
		}
		if out.Recipient != "" || out.Reason != "" {
			return out, invalid("recipient", "a contact_channel consent has no recipient or reason")
		}
	case records.ConsentDisclosure:
		if out.Channel != "" {
			return out, invalid("channel", "only a contact_channel consent names a channel")
		}
		if out.Recipient == "" {
			return out, invalid("recipient", "name who the data may be shared with, e.g. OCMW Gent")
		}
		if out.Reason == "" {
			return out, invalid("reason", "state for what the data may be shared, e.g. budget counselling")
		}
	case records.ConsentStatistics:
		if out.Channel != "" || out.Recipient != "" || out.Reason != "" {
			return out, invalid("purpose", "a statistics consent has no channel, recipient or reason")
		}
	case "":
		return out, invalid("purpose", "purpose is required: contact_channel, disclosure or statistics")
	default:
		return out, invalid("purpose", "purpose must be contact_channel, disclosure or statistics")
	}
	switch {
	case out.Evidence == "":
		return out, invalid("evidence", "evidence is required: verbal or written")
	case !out.Evidence.Valid():
		return out, invalid("evidence", "evidence must be verbal, written or online")
	case role == records.RoleClient && out.Evidence != records.EvidenceOnline:
		return out, invalid("evidence", "consent you give yourself is recorded as online")
	case role != records.RoleClient && out.Evidence == records.EvidenceOnline:
		return out, invalid("evidence", "only the client gives consent online; record verbal or written consent")
	}
	if len([]rune(out.Recipient)) > 200 {
		return out, invalid("recipient", "recipient is longer than 200 characters")
	}
	if len([]rune(out.Reason)) > 500 {
		return out, invalid("reason", "reason is longer than 500 characters")
	}
	if out.GivenAt != nil && out.GivenAt.After(now) {
		return out, invalid("given_at", "given_at cannot lie in the future: record a consent once it is given")
	}
	if out.ExpiresAt != nil && !out.ExpiresAt.After(now) {
		return out, invalid("expires_at", "expires_at must lie in the future")
	}
	return out, nil
}

// ValidAt is the validity rule: a consent is valid at t when it was given at
// or before t, has not expired at t (expires_at > t) and was not withdrawn at t
// (withdrawn_at > t). records applies the same rule in SQL (flags on contacts,
// disclosures, statistics); a test checks both agree.
func ValidAt(c records.Consent, t time.Time) bool {
	tm := t.UnixMilli()
	return c.GivenAt.UnixMilli() <= tm &&
		(c.ExpiresAt == nil || c.ExpiresAt.UnixMilli() > tm) &&
		(c.WithdrawnAt == nil || c.WithdrawnAt.UnixMilli() > tm)
}

// Status of a consent at a time: active, expired or withdrawn.
func Status(c records.Consent, t time.Time) string {
	switch {
	case c.WithdrawnAt != nil && c.WithdrawnAt.UnixMilli() <= t.UnixMilli():
		return "withdrawn"
	case c.ExpiresAt != nil && c.ExpiresAt.UnixMilli() <= t.UnixMilli():
		return "expired"
	case ValidAt(c, t):
		return "active"
	}
	return "pending"
}

// View is a consent as the API shows it: the record plus its validity now.
type View struct {
	records.Consent
	Valid  bool   `json:"valid"`
	Status string `json:"status"`
}

func view(c records.Consent, now time.Time) View {
	return View{Consent: c, Valid: ValidAt(c, now), Status: Status(c, now)}
}

// Service applies the policy over a store. Now is the clock (the store's, so
// that --now time travel reaches both).
type Service struct {
	Store records.Store
	Now   func() time.Time
}

// New returns the service for st with the given clock (time.Now when nil).
func New(st records.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{Store: st, Now: now}
}

// Record validates and records a consent. See Validate and records.RecordConsent.
func (s *Service) Record(ctx context.Context, a records.Actor, clientID string, in Input) (*View, error) {
	nc, err := Validate(in, a.Role, s.Now())
	if err != nil {
		return nil, err
	}
	c, err := s.Store.RecordConsent(ctx, a, clientID, nc)
	if err != nil {
		return nil, err
	}
	v := view(*c, s.Now())
	return &v, nil
}

// List returns the client's consent history with each consent's validity now.
func (s *Service) List(ctx context.Context, a records.Actor, clientID string) ([]View, error) {
	list, err := s.Store.Consents(ctx, a, clientID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := make([]View, len(list))
	for i, c := range list {
		out[i] = view(c, now)
	}
	return out, nil
}

// ViewAt is a consent with its validity and status at now.
func ViewAt(c records.Consent, now time.Time) View { return view(c, now) }

// Withdraw withdraws a consent at once. A client may withdraw only their own.
func (s *Service) Withdraw(ctx context.Context, a records.Actor, id string) (*View, error) {
	c, err := s.Store.WithdrawConsent(ctx, a, id)
	if err != nil {
		return nil, err
	}
	v := view(*c, s.Now())
	return &v, nil
}

// Disclose produces a disclosure package under a valid consent; see records.Disclose.
func (s *Service) Disclose(ctx context.Context, a records.Actor, clientID string, in records.NewDisclosure) (*records.DisclosurePackage, error) {
	return s.Store.Disclose(ctx, a, clientID, in)
}
