package records

import (
	"errors"
	"strings"
	"time"
)

// ErrNoConsent is wrapped by the EFORBIDDEN error of a disclosure refused for
// want of a valid consent for that recipient and purpose.
var ErrNoConsent = errors.New("no valid consent for this disclosure")

// Disclosure is one entry of the accounting of disclosures: who shared which
// records of the client, with whom, for what, under which consent, and when.
type Disclosure struct {
	ID          string    `json:"id"`
	ClientID    string    `json:"client_id"`
	ConsentID   string    `json:"consent_id"`
	Recipient   string    `json:"recipient"`
	Purpose     string    `json:"purpose"`
	RecordIDs   []string  `json:"record_ids"`
	DisclosedBy string    `json:"disclosed_by"`
	DisclosedAt time.Time `json:"disclosed_at"`
}

// NewDisclosure is the input to Disclose.
type NewDisclosure struct {
	Recipient string
	Purpose   string
	RecordIDs []string
}

// DisclosurePackage is what the recipient gets: the disclosed records, and the
// accounting entry that was kept.
type DisclosurePackage struct {
	Disclosure   Disclosure   `json:"disclosure"`
	Trajectories []Trajectory `json:"trajectories"`
	Contacts     []Contact    `json:"contacts"`
	Notes        []Note       `json:"notes"`
}

// SameText compares a recipient or purpose as people write them: case, and
// spacing between words, do not matter.
func SameText(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}
