package records

import "time"

// Team is a group of professionals that can share a caseload.
type Team struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	MemberIDs []string  `json:"member_ids"`
	CreatedAt time.Time `json:"created_at"`
}

// Assignment puts a client on the caseload of a professional or a team, from..to.
type Assignment struct {
	ID       string     `json:"id"`
	ClientID string     `json:"client_id"`
	UserID   string     `json:"user_id,omitempty"`
	TeamID   string     `json:"team_id,omitempty"`
	From     time.Time  `json:"from"`
	To       *time.Time `json:"to,omitempty"`
}
