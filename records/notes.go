package records

import (
	"strings"
	"time"
)

// Note is text about a contact or trajectory. Notes are never edited in place: a
// correction adds a version, and History keeps the earlier ones.
type Note struct {
	ID           string        `json:"id"`
	ClientID     string        `json:"client_id"`
	TrajectoryID string        `json:"trajectory_id"`
	ContactID    string        `json:"contact_id,omitempty"`
	AuthorID     string        `json:"author_id"`
	CreatedAt    time.Time     `json:"created_at"`
	NoteVersion                // the current version
	History      []NoteVersion `json:"history,omitempty"` // earlier versions, oldest first
}

// NoteVersion is one version of a note. For a client reading a restricted note,
// Body is empty and Withheld is true: they see that it exists and why.
type NoteVersion struct {
	Version          int        `json:"version"`
	Visibility       Visibility `json:"visibility"`
	Body             string     `json:"body"`
	Withheld         bool       `json:"withheld,omitempty"`
	RestrictedReason string     `json:"restricted_reason,omitempty"`
	VersionAuthorID  string     `json:"version_author_id"`
	VersionAt        time.Time  `json:"version_at"`
}

// NewNote is the input to CreateNote: the note belongs to a contact, or directly
// to a trajectory.
type NewNote struct {
	ContactID        string
	TrajectoryID     string
	Body             string
	Visibility       Visibility
	RestrictedReason string
}

// Correction is the input to CorrectNote: the new version in full.
type Correction struct {
	Body             string
	Visibility       Visibility
	RestrictedReason string
}

// MaxNoteLen is the longest note or entry body, in characters.
const MaxNoteLen = 20000

// Validate trims the note's text and checks it; EINVALID names the field.
// A note belongs to a contact or to a trajectory, never both.
func (in *NewNote) Validate() error {
	if err := validateNoteText(&in.Body, in.Visibility, &in.RestrictedReason); err != nil {
		return err
	}
	if (in.ContactID == "") == (in.TrajectoryID == "") {
		return invalid("contact_id", "give either contact_id or trajectory_id")
	}
	return nil
}

// Validate trims the new version's text and checks it; EINVALID names the field.
func (in *Correction) Validate() error {
	return validateNoteText(&in.Body, in.Visibility, &in.RestrictedReason)
}

func validateNoteText(body *string, vis Visibility, reason *string) error {
	*body = strings.TrimSpace(*body)
	*reason = strings.TrimSpace(*reason)
	if !vis.Valid() {
		return invalid("visibility", "visibility must be shared, restricted or personal")
	}
	if *body == "" {
		return invalid("body", "the note is empty")
	}
	if err := CheckText("body", *body, MaxNoteLen); err != nil {
		return err
	}
	if vis == VisibilityRestricted && *reason == "" {
		return invalid("restricted_reason", "a restricted note needs the reason it is hidden from the client")
	}
	if vis != VisibilityRestricted && *reason != "" {
		return invalid("restricted_reason", "only a restricted note has a reason")
	}
	return CheckText("restricted_reason", *reason, 500)
}
