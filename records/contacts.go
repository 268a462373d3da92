package records

import "time"

// Contact is one encounter with the client: when, how long, through which
// channel (which tells face-to-face from online), synchronous or not, in which
// trajectory, and optionally the earlier contact it follows up.
type Contact struct {
	ID              string    `json:"id"`
	ClientID        string    `json:"client_id"`
	TrajectoryID    string    `json:"trajectory_id"`
	Channel         Channel   `json:"channel"`
	Mode            Mode      `json:"mode"`
	Synchronous     bool      `json:"synchronous"`
	OccurredAt      time.Time `json:"occurred_at"`
	DurationMinutes int       `json:"duration_minutes"`
	FollowUpOf      string    `json:"follow_up_of,omitempty"`
	// FollowedUpBy lists the later contacts that follow this one up (the link seen
	// from the other side); filled when the whole file is read.
	FollowedUpBy   []string `json:"followed_up_by,omitempty"`
	ConsentMissing bool     `json:"consent_missing"`
	// ToolID names the register's tool an online contact used; ToolName a
	// tool not in the register ("other"), shown to the register's keepers for
	// review. At most one of the two.
	ToolID   string `json:"tool_id,omitempty"`
	ToolName string `json:"tool_name,omitempty"`
	// Warnings are set on the answer to CreateContact only: a not-advised
	// tool was chosen (WarnToolNotAdvised). The contact is kept.
	Warnings []string `json:"warnings,omitempty"`
	// FlagResolution is set when a professional resolved the consent flag with a
	// reason; ConsentMissing stays true (the consent is still not in nabij).
	FlagResolution *FlagResolution `json:"flag_resolution,omitempty"`
	AuthorID       string          `json:"author_id"`
	CreatedAt      time.Time       `json:"created_at"`
}

// NewContact is the input to CreateContact.
type NewContact struct {
	TrajectoryID    string
	Channel         Channel
	Synchronous     bool
	OccurredAt      time.Time
	DurationMinutes int
	FollowUpOf      string
	ToolID          string
	ToolName        string
}
