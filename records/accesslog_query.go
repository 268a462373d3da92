package records

import "time"

// AccessView is an access record as shown to a client or the data officer: the
// record plus the actor's username, display name and role. The names are of
// staff accounts, looked up at read time; the log itself keeps only ids.
type AccessView struct {
	AccessRecord
	ActorUsername string `json:"actor_username"`
	ActorName     string `json:"actor_name,omitempty"`
	// For emergency access (rule break_glass), the reason the professional gave
	// and when the grant ends; shown to the client whose file it is.
	BreakGlassReason  string     `json:"break_glass_reason,omitempty"`
	BreakGlassExpires *time.Time `json:"break_glass_expires_at,omitempty"`
	// For a caseload assignment or a team membership: the staff account given
	// (or losing) access, and the team through which; looked up at read time.
	SubjectUsername string `json:"subject_username,omitempty"`
	SubjectName     string `json:"subject_name,omitempty"`
	TeamName        string `json:"team_name,omitempty"`
}

// AccessFilter narrows an access-log search. Zero fields do not filter.
type AccessFilter struct {
	ClientID string
	Actor    string // a username
	// ExceptReadsBy leaves out the reads and exports by this user id (a client's own reads; their sign-ins stay).
	ExceptReadsBy string
	Kind          string // a record kind: "file", or an event kind such as KindCaseload
	Action        Action
	Outcome       Outcome
	Rule          Rule
	From, To      time.Time
	// AfterSeq pages: records with seq below it (newest first). 0 starts at the head.
	BeforeSeq int64
	Limit     int
}
