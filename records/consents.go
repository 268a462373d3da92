package records

import (
	"strings"
	"time"
)

// ConsentPurpose is what a consent allows.
type ConsentPurpose string

const (
	// ConsentContactChannel allows contact through one online channel.
	ConsentContactChannel ConsentPurpose = "contact_channel"
	// ConsentDisclosure allows sharing with a named recipient for a stated reason.
	ConsentDisclosure ConsentPurpose = "disclosure"
	// ConsentStatistics allows counting the client in anonymised statistics.
	ConsentStatistics ConsentPurpose = "statistics"
)

// Valid reports whether p is a known consent purpose.
func (p ConsentPurpose) Valid() bool {
	return p == ConsentContactChannel || p == ConsentDisclosure || p == ConsentStatistics
}

// Evidence is how a consent was given.
type Evidence string

const (
	EvidenceVerbal  Evidence = "verbal"
	EvidenceWritten Evidence = "written"
	EvidenceOnline  Evidence = "online" // given by the client in nabij
)

// Valid reports whether e is a known kind of evidence.
func (e Evidence) Valid() bool {
	return e == EvidenceVerbal || e == EvidenceWritten || e == EvidenceOnline
}

// Access rules and purposes of this part of records (kept in access records).
const (
	// RuleConsent: the client's consent allowed it (statistics).
	RuleConsent Rule = "consent"
	// PurposeStatistics: counting in anonymised statistics.
	PurposeStatistics Purpose = "statistics"
)

// Consent is one consent record of a client. Consent history is append-only:
// a withdrawal is a new fact (WithdrawnAt), the record itself never changes.
type Consent struct {
	ID         string         `json:"id"`
	ClientID   string         `json:"client_id"`
	Purpose    ConsentPurpose `json:"purpose"`
	Channel    Channel        `json:"channel,omitempty"`
	Recipient  string         `json:"recipient,omitempty"`
	Reason     string         `json:"reason,omitempty"`
	Evidence   Evidence       `json:"evidence"`
	RecordedBy string         `json:"recorded_by"`
	// GivenAt is when the client gave the consent, which may precede when it
	// was recorded (GrantedAt); validity runs from GivenAt.
	GivenAt     time.Time  `json:"given_at"`
	GrantedAt   time.Time  `json:"granted_at"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawnBy string     `json:"withdrawn_by,omitempty"`
	// ToolID: a consent for an online channel may name the register's tool.
	ToolID string `json:"tool_id,omitempty"`
}

// NewConsent is the input to RecordConsent (validated by package consent first).
type NewConsent struct {
	Purpose   ConsentPurpose
	Channel   Channel
	Recipient string
	Reason    string
	Evidence  Evidence
	// GivenAt is when the client gave the consent: not in the future; nil is now.
	GivenAt   *time.Time
	ExpiresAt *time.Time
	ToolID    string
}

func (in *NewConsent) Validate(now time.Time) error {
	in.Recipient, in.Reason = strings.TrimSpace(in.Recipient), strings.TrimSpace(in.Reason)
	switch in.Purpose {
	case ConsentContactChannel:
		if !in.Channel.Online() {
			return invalid("channel", "a contact_channel consent names an online channel: video, phone, chat, email, messaging or ehealth_module")
		}
		if in.Recipient != "" || in.Reason != "" {
			return invalid("recipient", "a contact_channel consent has no recipient or reason")
		}
	case ConsentDisclosure:
		if in.Channel != "" {
			return invalid("channel", "only a contact_channel consent names a channel")
		}
		if in.Recipient == "" {
			return invalid("recipient", "a disclosure consent names the recipient")
		}
		if in.Reason == "" {
			return invalid("reason", "a disclosure consent states the purpose of the disclosure")
		}
	case ConsentStatistics:
		if in.Channel != "" || in.Recipient != "" || in.Reason != "" {
			return invalid("purpose", "a statistics consent has no channel, recipient or reason")
		}
	default:
		return invalid("purpose", "purpose must be contact_channel, disclosure or statistics")
	}
	if err := CheckText("recipient", in.Recipient, 200); err != nil {
		return err
	}
	if err := CheckText("reason", in.Reason, 500); err != nil {
		return err
	}
	if in.ToolID != "" && in.Purpose != ConsentContactChannel {
		return invalid("tool_id", "only a consent for an online channel names a tool")
	}
	if !in.Evidence.Valid() {
		return invalid("evidence", "evidence must be verbal, written or online")
	}
	if in.GivenAt != nil && in.GivenAt.After(now) {
		return invalid("given_at", "given_at cannot lie in the future: record a consent once it is given")
	}
	if in.GivenAt != nil && in.GivenAt.Before(now.AddDate(-10, 0, 0)) {
		return invalid("given_at", "given_at lies more than ten years back")
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(now) {
		return invalid("expires_at", "expires_at must lie in the future")
	}
	return nil
}
