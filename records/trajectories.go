package records

import "time"

// Trajectory is one care pathway of a client: its goal (sealed), when it opened
// and closed, and the lead professional.
type Trajectory struct {
	ID       string     `json:"id"`
	ClientID string     `json:"client_id"`
	Goal     string     `json:"goal"`
	LeadID   string     `json:"lead_id,omitempty"`
	OpenedAt time.Time  `json:"opened_at"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
}

// NewTrajectory is the input to CreateTrajectory. OpenedAt defaults to now, and
// LeadID to the professional who opens it.
type NewTrajectory struct {
	Goal     string
	LeadID   string
	OpenedAt *time.Time
}
