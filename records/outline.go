package records

import "time"

// Outline is the narrow read a form needs — for logging a contact or writing
// a note: who the client is (id and name), their open trajectories, and their
// contacts. It holds no note bodies, no entries and no other identity fields,
// so opening a form reads, and records, less than opening the whole file.
type Outline struct {
	ClientID     string              `json:"client_id"`
	Name         string              `json:"name"`
	Trajectories []OutlineTrajectory `json:"trajectories"`
	Contacts     []OutlineContact    `json:"contacts"`
}

// OutlineTrajectory is an open trajectory as a form offers it.
type OutlineTrajectory struct {
	ID       string    `json:"id"`
	Goal     string    `json:"goal"`
	OpenedAt time.Time `json:"opened_at"`
}

// OutlineContact is a contact as a form offers it (to attach a note to, or to
// follow up): when, through which channel, in which trajectory, and the
// contact it followed up.
type OutlineContact struct {
	ID           string    `json:"id"`
	Channel      Channel   `json:"channel"`
	OccurredAt   time.Time `json:"occurred_at"`
	TrajectoryID string    `json:"trajectory_id"`
	FollowUpOf   string    `json:"follow_up_of,omitempty"`
}
