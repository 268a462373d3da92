package records

import (
	"context"
	"slices"
	"strings"
	"time"
)

// FirstContactGoal is the goal of the trajectory the quick log opens for a
// client who has no open trajectory: the contact always belongs to one, and the
// professional renames or closes it later, when the care has a goal.
const FirstContactGoal = "Eerste contact"

// QuickLog is the input to QuickLog: one contact from the street, with its
// note, for a client on the caseload (ClientID) or a new one known only by a
// first name or nickname (NewClientName). Exactly one of the two is given.
type QuickLog struct {
	ClientID      string
	NewClientName string
	// TrajectoryID is optional: without it the contact goes to the client's
	// most recently opened open trajectory, or to a new "eerste contact" one.
	TrajectoryID     string
	Channel          Channel
	OccurredAt       time.Time
	DurationMinutes  int
	FollowUpOf       string
	Body             string
	Visibility       Visibility
	RestrictedReason string
}

// Validate trims and checks the quick log's input; EINVALID names the field.
// The note is optional: a contact may be logged without one.
func (in *QuickLog) Validate(now time.Time) error {
	in.NewClientName = strings.TrimSpace(in.NewClientName)
	if (in.ClientID == "") == (in.NewClientName == "") {
		return invalid("client_id", "pick a client from your caseload or give the first name or nickname of a new one")
	}
	if in.NewClientName != "" && in.TrajectoryID != "" {
		return invalid("trajectory_id", "a new client has no trajectory yet")
	}
	if in.NewClientName != "" && in.FollowUpOf != "" {
		return invalid("follow_up_of", "a new client has no earlier contact")
	}
	if err := CheckText("new_client_name", in.NewClientName, 100); err != nil {
		return err
	}
	if err := checkContactInput(in.Channel, in.OccurredAt, in.DurationMinutes, now); err != nil {
		return err
	}
	if strings.TrimSpace(in.Body) == "" && in.RestrictedReason == "" {
		in.Body = ""
		return nil
	}
	return validateNoteText(&in.Body, in.Visibility, &in.RestrictedReason)
}

// checkContactInput checks what every logged contact needs: a known channel, a
// time no more than a year ahead, and a duration of at most a day.
func checkContactInput(ch Channel, at time.Time, minutes int, now time.Time) error {
	if !ch.Valid() {
		return invalid("channel", "unknown channel %q", ch)
	}
	if at.IsZero() {
		return invalid("occurred_at", "occurred_at is required")
	}
	if at.After(now.AddDate(1, 0, 0)) {
		return invalid("occurred_at", "occurred_at lies more than a year ahead")
	}
	if minutes < 0 || minutes > 24*60 {
		return invalid("duration_minutes", "duration must be between 0 and 1440 minutes")
	}
	return nil
}

// QuickLogResult is what QuickLog made: the client (new or existing, its name
// only when new), the trajectory (new when TrajectoryCreated), the contact and
// the note (nil without a note body).
type QuickLogResult struct {
	ClientID          string   `json:"client_id"`
	ClientCreated     bool     `json:"client_created"`
	TrajectoryID      string   `json:"trajectory_id"`
	TrajectoryCreated bool     `json:"trajectory_created"`
	Contact           *Contact `json:"contact"`
	Note              *Note    `json:"note,omitempty"`
}

// Topic is what an anonymous outreach contact was about: a fixed list, so
// that nothing personal can be typed into it.
type Topic string

// Topics lists the topics of anonymous contacts.
var Topics = []Topic{"housing", "income", "health", "addiction", "safety", "loneliness", "work", "papers", "other"}

// AnonymousContact is an outreach contact with nobody identified: how, where
// (in words, without people's names), how long and about what. It is counted
// in the statistics and never linked to a person.
type AnonymousContact struct {
	ID              string    `json:"id"`
	Channel         Channel   `json:"channel"`
	Place           string    `json:"place"`
	Topics          []Topic   `json:"topics"`
	OccurredAt      time.Time `json:"occurred_at"`
	DurationMinutes int       `json:"duration_minutes"`
	AuthorID        string    `json:"author_id"`
	CreatedAt       time.Time `json:"created_at"`
}

// NewAnonymousContact is the input to LogAnonymousContact.
type NewAnonymousContact struct {
	Channel         Channel
	Place           string
	Topics          []Topic
	OccurredAt      time.Time
	DurationMinutes int
}

// MaxPlaceLen is the longest place of an anonymous contact: a street, a
// square, a station — a few words, never a description of someone.
const MaxPlaceLen = 80

// Validate trims and checks an anonymous contact; EINVALID names the field.
// The place is a short single line; topics come from Topics only.
func (in *NewAnonymousContact) Validate(now time.Time) error {
	in.Place = strings.TrimSpace(in.Place)
	if in.Place == "" {
		return invalid("place", "place is required: where the contact took place, in a few words")
	}
	if strings.ContainsAny(in.Place, "\r\n\t") {
		return invalid("place", "place is one short line")
	}
	if err := CheckText("place", in.Place, MaxPlaceLen); err != nil {
		return err
	}
	if err := checkContactInput(in.Channel, in.OccurredAt, in.DurationMinutes, now); err != nil {
		return err
	}
	if in.OccurredAt.After(now) {
		return invalid("occurred_at", "an anonymous contact has taken place: occurred_at is not in the future")
	}
	seen := map[Topic]bool{}
	var topics []Topic
	for _, t := range in.Topics {
		if !slices.Contains(Topics, t) {
			return invalid("topics", "unknown topic %q", t)
		}
		if !seen[t] {
			seen[t] = true
			topics = append(topics, t)
		}
	}
	slices.Sort(topics)
	in.Topics = topics
	return nil
}

// RuleAnonymous: an anonymous contact, about nobody (kept in its access record).
const RuleAnonymous Rule = "anonymous"

// SynchronousByDefault says whether contact through ch usually happens at
// once (a conversation) rather than back and forth (mail, chat, a module).
func SynchronousByDefault(ch Channel) bool {
	switch ch {
	case ChannelChat, ChannelEmail, ChannelMessaging, ChannelEHealthModule:
		return false
	}
	return true
}

// AnonymousCount counts anonymous contacts through one channel in one month.
type AnonymousCount struct {
	Channel  Channel `json:"channel"`
	Month    string  `json:"month"` // YYYY-MM
	Contacts int     `json:"contacts"`
	Minutes  int     `json:"minutes"`
}

// FlagResolution is how a professional resolved a contact's consent flag: the
// consent was there but not in nabij (asked at the start of the call, say).
// The reason is client data, sealed with the client's key.
type FlagResolution struct {
	Reason     string    `json:"reason"`
	ResolvedBy string    `json:"resolved_by"`
	ResolvedAt time.Time `json:"resolved_at"`
}

// MaxFlagReasonLen is the longest reason for resolving a consent flag.
const MaxFlagReasonLen = 500

// CheckFlagReason trims and checks the reason of a flag resolution.
func CheckFlagReason(reason *string) error {
	*reason = strings.TrimSpace(*reason)
	if *reason == "" {
		return invalid("reason", "say why the contact had consent after all")
	}
	return CheckText("reason", *reason, MaxFlagReasonLen)
}

// Street is the quick log from the street, anonymous outreach contacts, and
// resolving a contact's consent flag.
type Street interface {
	// QuickLog logs one contact with its note in one transaction: for a client
	// the professional may reach, or a new client known by first name or nickname
	// (who goes on the professional's caseload). Without an open trajectory (or a
	// new client) it opens one with goal FirstContactGoal. Every part is
	// access-recorded as its own write is; if any part fails, nothing is kept.
	// EINVALID for bad input; EFORBIDDEN (with a denied record) when no rule allows it.
	QuickLog(ctx context.Context, a Actor, in QuickLog) (*QuickLogResult, error)
	// LogAnonymousContact logs an outreach contact with nobody identified. Only
	// professionals. The access record names no client. EINVALID for bad input;
	// EFORBIDDEN (with a denied record) for anyone else.
	LogAnonymousContact(ctx context.Context, a Actor, in NewAnonymousContact) (*AnonymousContact, error)
	// ResolveConsentFlag resolves the consent flag of a contact with a reason,
	// sealed with the client's key and access-recorded (kind consent_flag). A
	// professional who may reach the client, not through break the glass.
	// EINVALID for an empty or too long reason or a contact without a flag;
	// ECONFLICT when resolved already; EFORBIDDEN (with a denied record) for an
	// unknown contact or when no rule allows it.
	ResolveConsentFlag(ctx context.Context, a Actor, contactID, reason string) (*Contact, error)
}
