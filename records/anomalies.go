package records

import (
	"strings"
	"time"
)

// Anomaly is something the data officer should look at. It holds ids and codes,
// never content.
type Anomaly struct {
	Kind          string    `json:"kind"` // break_glass, denied, bulk_read, consent_missing, consent_flag_resolved, new_account_access
	At            time.Time `json:"at"`
	ActorID       string    `json:"actor_id,omitempty"`
	ActorUsername string    `json:"actor_username,omitempty"`
	ActorRole     Role      `json:"actor_role,omitempty"`
	ClientID      string    `json:"client_id,omitempty"`
	RecordIDs     []string  `json:"record_ids,omitempty"`
	Seq           int64     `json:"seq,omitempty"`   // the access record, when there is one
	Count         int       `json:"count,omitempty"` // distinct clients, for bulk reads
	Detail        string    `json:"detail,omitempty"`
	// Reason and ExpiresAt are the break-the-glass grant's: why the professional
	// needed emergency access, and until when. Opening the reason is recorded.
	Reason    string     `json:"reason,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// Key names this anomaly for a review ("denied:812", "consent_missing:<contact>").
	Key string `json:"key"`
	// Review is the data officer's, once marked reviewed.
	Review *AnomalyReview `json:"review,omitempty"`
}

// AnomalyReview is the data officer's mark that an anomaly was looked at, with
// a note on what was found.
type AnomalyReview struct {
	Note       string    `json:"note"`
	ReviewedBy string    `json:"reviewed_by"` // username
	ReviewedAt time.Time `json:"reviewed_at"`
}

// AnomalyKinds lists the kinds of anomaly in the order the data officer's page
// groups them.
var AnomalyKinds = []string{"break_glass", "denied", "new_account_access", "bulk_read", "consent_missing", "consent_flag_resolved"}

// CheckReviewNote validates a review note: 3 to 500 characters.
func CheckReviewNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if len([]rune(note)) < 3 {
		return "", invalid("note", "say in a few words what you found")
	}
	return note, CheckText("note", note, 500)
}

// BulkReadThreshold is how many distinct client files one actor may open within
// an hour before it shows as an anomaly.
const BulkReadThreshold = 25

// NewAccountAge is how young an account is that, given a caseload and then
// reading the file, shows as an anomaly: the way a stand-in account is used.
const NewAccountAge = 7 * 24 * time.Hour
