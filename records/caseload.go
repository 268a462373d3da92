package records

import "time"

// CaseloadEntry is one client on a professional's caseload, with the flags the
// overview shows.
type CaseloadEntry struct {
	ClientID string `json:"client_id"`
	CaseCode string `json:"case_code"`
	Name     string `json:"name"`
	Rule     Rule   `json:"rule"` // caseload or team_caseload
	// ConsentMissing counts online contacts logged without consent for their channel.
	ConsentMissing   int        `json:"consent_missing"`
	LastContact      *time.Time `json:"last_contact,omitempty"`
	NextContact      *time.Time `json:"next_contact,omitempty"`
	OpenTrajectories int        `json:"open_trajectories"`
}
