package records

// File is everything in a client's file that the reader may see, as one
// timeline: identity, trajectories, contacts (with follow-up links both ways),
// notes with their history, and the client's own entries.
type File struct {
	Client       Client       `json:"client"`
	Trajectories []Trajectory `json:"trajectories"`
	Contacts     []Contact    `json:"contacts"`
	Notes        []Note       `json:"notes"`
	Entries      []Entry      `json:"entries"`
	// Rule is the access rule that allowed this read (caseload, break_glass, own_file…).
	Rule Rule `json:"rule"`
	// Helpers, in the client's own file only, are the people who can open
	// it now (the social workers on the caseload, a team's members, an
	// emergency access) with how to reach them at work.
	Helpers []AccessHolder `json:"helpers,omitempty"`
}
