package records

import (
	"encoding/base64"
	"strconv"
	"strings"
)

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
	// Older and Newer are the cursors of the pages of notes before and after
	// this one (ClientFilePage); empty when there are none, and always empty
	// for the whole file (ClientFile, the export).
	Older string `json:"older,omitempty"`
	Newer string `json:"newer,omitempty"`
	// Helpers, in the client's own file only, are the people who can open
	// it now (the social workers on the caseload, a team's members, an
	// emergency access) with how to reach them at work.
	Helpers []AccessHolder `json:"helpers,omitempty"`
}

// Page sizes of a file's notes: a page holds at most MaxFilePage notes, and
// DefaultFilePage when the reader asks for no size.
const (
	DefaultFilePage = 50
	MaxFilePage     = 100
)

// FilePage selects one page of a file's notes, newest first across pages:
// with no cursor the latest notes; with Before the notes older than the
// cursor; with After the notes newer than it. Within a page the notes stay
// oldest first, as in the whole file. The trajectories, contacts and entries
// come whole with every page.
type FilePage struct {
	Before, After string // opaque cursors from File.Older / File.Newer; at most one
	Limit         int    // 1..MaxFilePage; 0 means DefaultFilePage
}

// NoteCursor is the position of a note in the file's order: its creation
// time (Unix ms) and id. As text it is opaque to readers.
type NoteCursor struct {
	At int64
	ID string
}

// String is the cursor as readers pass it back: URL-safe base64 of "ms:id".
func (c NoteCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.At, 10) + ":" + c.ID))
}

// ParseNoteCursor reads a cursor made by String; EINVALID naming field for
// anything else (a cursor is never trusted to be well formed).
func ParseNoteCursor(field, s string) (NoteCursor, error) {
	bad := invalid(field, "%s is not a cursor this file gave", field)
	if len(s) > 128 {
		return NoteCursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return NoteCursor{}, bad
	}
	ms, id, ok := strings.Cut(string(raw), ":")
	if !ok || id == "" || len(id) > 64 {
		return NoteCursor{}, bad
	}
	at, err := strconv.ParseInt(ms, 10, 64)
	if err != nil || at < 0 {
		return NoteCursor{}, bad
	}
	for _, r := range id {
		if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return NoteCursor{}, bad
		}
	}
	return NoteCursor{At: at, ID: id}, nil
}

// Check validates the page: the limit's range and the cursor's form.
func (p FilePage) Check() error {
	if p.Limit < 0 || p.Limit > MaxFilePage {
		return invalid("limit", "limit must be between 1 and %d", MaxFilePage)
	}
	if p.Before != "" && p.After != "" {
		return invalid("before", "give before or after, not both")
	}
	if p.Before != "" {
		if _, err := ParseNoteCursor("before", p.Before); err != nil {
			return err
		}
	}
	if p.After != "" {
		if _, err := ParseNoteCursor("after", p.After); err != nil {
			return err
		}
	}
	return nil
}
