package records

import "time"

// BreakGlassDuration is how long an emergency grant lasts.
const BreakGlassDuration = 4 * time.Hour

// Grant is a break-the-glass grant: time-limited access to a client outside the
// professional's caseload, with a reason. It is flagged to the data officer and
// shown to the client.
type Grant struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	ClientID  string    `json:"client_id"`
	Reason    string    `json:"reason"`
	GrantedAt time.Time `json:"granted_at"`
	ExpiresAt time.Time `json:"expires_at"`
}
