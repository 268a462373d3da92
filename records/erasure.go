package records

import "time"

// Erasure request statuses.
const (
	ErasurePending  = "pending"
	ErasureApproved = "approved"
	ErasureRefused  = "refused"
)

// ErasureRequest is a client's request to erase their data, and its outcome.
// The request stays after an approved erasure, so the client sees the outcome.
type ErasureRequest struct {
	ID          string     `json:"id"`
	ClientID    string     `json:"client_id"`
	RequestedBy string     `json:"requested_by"`
	RequestedAt time.Time  `json:"requested_at"`
	Status      string     `json:"status"`
	DecidedBy   string     `json:"decided_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	// Reason is the data officer's reason for a refusal (e.g. a legal retention duty).
	Reason string `json:"reason,omitempty"`
}
