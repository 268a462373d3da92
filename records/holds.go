package records

import "time"

// LegalHold pauses retention for a client, or for one trajectory of a client.
type LegalHold struct {
	ID           string     `json:"id"`
	ClientID     string     `json:"client_id"`
	TrajectoryID string     `json:"trajectory_id,omitempty"`
	Reason       string     `json:"reason"`
	PlacedBy     string     `json:"placed_by"`
	PlacedAt     time.Time  `json:"placed_at"`
	ReleasedBy   string     `json:"released_by,omitempty"`
	ReleasedAt   *time.Time `json:"released_at,omitempty"`
}
