package records

import "time"

// KindPrivacy is the record kind of a client reading their privacy overview
// (who has access, reads per person, what was shared, how long things are
// kept): it is a read of the client's data like any other.
const KindPrivacy = "privacy"

// Privacy is the client's privacy at a glance, as the store reads it. The
// retention dates (KeptUntil) are not the store's to compute: package consent
// fills them in from the organisation's rules and Trajectories.
type Privacy struct {
	// HasAccess is who can open the file right now, since when, and who gave
	// them that access.
	HasAccess []AccessHolder `json:"has_access"`
	// ReadsByPerson counts the reads of the file per person and ISO week,
	// newest week first; the client's own reads only when asked for.
	ReadsByPerson []PersonReads `json:"reads_by_person"`
	OwnReads      bool          `json:"own_reads_included"`
	// Shared is what was given to others under the client's consent.
	Shared []SharedItem `json:"shared"`
	// PlanReaders are the people of the client's network who may read the
	// plan now (invited, not ended).
	PlanReaders []NetworkMember `json:"plan_readers"`
	// KeptUntil is how long each kind of record is kept (see package consent).
	KeptUntil []KeptUntil `json:"kept_until"`
	// Trajectories are the client's trajectories (goal, opened, closed), the
	// clock of most retention rules.
	Trajectories []Trajectory `json:"-"`
	// BirthDate (YYYY-MM-DD, "" when unknown) is the clock of an until_age rule.
	BirthDate string `json:"-"`
}

// Ways a person has access to a client's file.
const (
	ViaCaseload   = "caseload"    // the client is on their own caseload
	ViaTeam       = "team"        // the client is on the caseload of a team they are in
	ViaBreakGlass = "break_glass" // emergency access, for a limited time
)

// AccessHolder is one person who can open the client's file now.
type AccessHolder struct {
	UserID   string    `json:"-"`
	Name     string    `json:"name"`
	Username string    `json:"username"`
	Via      string    `json:"via"`
	Team     string    `json:"team,omitempty"`
	Since    time.Time `json:"since"`
	// Until is when emergency access ends (break the glass only).
	Until *time.Time `json:"until,omitempty"`
	// GivenBy is the name of who gave this access (the admin who made the
	// assignment or the team membership, or the professional who registered
	// the client); GivenByRole is their role.
	GivenBy     string `json:"given_by,omitempty"`
	GivenByRole Role   `json:"given_by_role,omitempty"`
	// Reason is the reason given for emergency access.
	Reason string `json:"reason,omitempty"`
	// WorkContact is how to reach the professional at work (not personal data
	// of the client; stored in the clear).
	WorkContact string `json:"work_contact,omitempty"`
}

// PersonReads counts one person's reads of the file in one ISO week.
type PersonReads struct {
	Name     string `json:"name"`
	Username string `json:"username"`
	Role     Role   `json:"role"`
	// Own marks the client's own reads.
	Own bool `json:"own"`
	// Week is the ISO week ("2026-W49"); WeekStart its Monday (UTC).
	Week      string    `json:"week"`
	WeekStart time.Time `json:"week_start"`
	Reads     int       `json:"reads"`
	// Denied counts refused attempts in that week.
	Denied int       `json:"denied"`
	First  time.Time `json:"first"`
	Last   time.Time `json:"last"`
}

// SharedItem is one disclosure in plain words: with whom, why, by whom, when,
// and how many records of each kind.
type SharedItem struct {
	Recipient string         `json:"recipient"`
	Purpose   string         `json:"purpose"`
	SharedBy  string         `json:"shared_by"`
	SharedAt  time.Time      `json:"shared_at"`
	Counts    map[string]int `json:"counts"`
}

// KeptUntil is how long one kind of record is kept, for one trajectory (or,
// for kinds that belong to the whole file, for the file).
type KeptUntil struct {
	Kind string `json:"kind"`
	// Trajectory is the goal of the trajectory the date runs from ("" for
	// kinds that belong to the whole file).
	Trajectory string `json:"trajectory,omitempty"`
	// Open is true while the trajectory (or, for the whole file, any
	// trajectory) is open: the date then is not known yet.
	Open bool `json:"open"`
	// Until is the date the records are destroyed or anonymised; nil while
	// open (then Years/Days after the close) or when it runs per record
	// (after_creation).
	Until   *time.Time `json:"until,omitempty"`
	Basis   string     `json:"basis"`
	Years   int        `json:"years"`
	Days    int        `json:"days"`
	MaxDays *int       `json:"max_days,omitempty"`
	// Age is the birthday an until_age rule keeps records until; Birthday
	// is that day when the birth date is known.
	Age      int        `json:"age,omitempty"`
	Birthday *time.Time `json:"birthday,omitempty"`
	Action   string     `json:"action"`
	// Source is the rule's reason as the data officer wrote it.
	Source string `json:"source,omitempty"`
}
