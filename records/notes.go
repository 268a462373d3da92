package records

import (
	"context"
	"database/sql"
	"errors"
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

const maxNoteLen = 20000

func validateNoteText(body *string, vis Visibility, reason *string) error {
	*body = strings.TrimSpace(*body)
	*reason = strings.TrimSpace(*reason)
	if !vis.Valid() {
		return invalid("visibility", "visibility must be shared, restricted or personal")
	}
	if *body == "" {
		return invalid("body", "the note is empty")
	}
	if err := checkText("body", *body, maxNoteLen); err != nil {
		return err
	}
	if vis == VisibilityRestricted && *reason == "" {
		return invalid("restricted_reason", "a restricted note needs the reason it is hidden from the client")
	}
	if vis != VisibilityRestricted && *reason != "" {
		return invalid("restricted_reason", "only a restricted note has a reason")
	}
	return checkText("restricted_reason", *reason, 500)
}

// CreateNote writes a note, sealed with the client's key, and its access record.
// EINVALID for bad input (unknown visibility, empty body, a restricted note
// without reason, a contact or trajectory of another client); EFORBIDDEN (with a
// denied record) when no rule allows it.
func (s *Store) CreateNote(ctx context.Context, a Actor, clientID string, in NewNote) (*Note, error) {
	if err := validateNoteText(&in.Body, in.Visibility, &in.RestrictedReason); err != nil {
		return nil, err
	}
	if (in.ContactID == "") == (in.TrajectoryID == "") {
		return nil, invalid("contact_id", "give either contact_id or trajectory_id")
	}
	n := &Note{ID: newID(), ClientID: clientID, ContactID: in.ContactID, TrajectoryID: in.TrajectoryID, AuthorID: a.UserID,
		NoteVersion: NoteVersion{Version: 1, Visibility: in.Visibility, Body: in.Body, RestrictedReason: in.RestrictedReason, VersionAuthorID: a.UserID}}
	err := s.write(ctx, func(w *wtx) error {
		if a.Role != RoleProfessional && a != System {
			return w.deny(entry{actor: a, clientID: clientID, kind: "note", action: ActionCreate, purpose: PurposeCare},
				"only professionals write notes")
		}
		g, err := w.authorize(a, clientID, PurposeCare, "note", ActionCreate)
		if err != nil {
			return err
		}
		if n.ContactID != "" {
			err := w.queryRow(`SELECT trajectory_id FROM contacts WHERE id = ? AND client_id = ?`, n.ContactID, clientID).Scan(&n.TrajectoryID)
			if errors.Is(err, sql.ErrNoRows) {
				return invalid("contact_id", "contact_id must be a contact of this client")
			} else if err != nil {
				return internal("note contact", err)
			}
		} else if err := w.checkTrajectory(clientID, n.TrajectoryID); err != nil {
			return err
		}
		sl, err := w.sealerFor(clientID)
		if err != nil {
			return err
		}
		n.CreatedAt = fromMS(ms(w.now))
		n.VersionAt = n.CreatedAt
		if _, err := w.exec(`INSERT INTO notes (id, client_id, trajectory_id, contact_id, author_id, created_at) VALUES (?,?,?,?,?,?)`,
			n.ID, clientID, n.TrajectoryID, nullString(n.ContactID), n.AuthorID, ms(w.now)); err != nil {
			return internal("create note", err)
		}
		if err := w.insertNoteVersion(sl, n.ID, n.NoteVersion); err != nil {
			return err
		}
		return w.record(g.entry("note", []string{n.ID}, ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

func (w *wtx) insertNoteVersion(sl sealer, noteID string, v NoteVersion) error {
	rid := noteVersionID(noteID, v.Version)
	var reason []byte
	if v.RestrictedReason != "" {
		reason = sl.seal("note_versions", "reason", rid, v.RestrictedReason)
	}
	_, err := w.exec(`INSERT INTO note_versions (note_id, version, visibility, body_sealed, reason_sealed, author_id, created_at)
		VALUES (?,?,?,?,?,?,?)`, noteID, v.Version, string(v.Visibility), sl.seal("note_versions", "body", rid, v.Body),
		reason, v.VersionAuthorID, ms(v.VersionAt))
	if err != nil {
		return internal("note version", err)
	}
	return nil
}

// noteVersionID names one version as the record id bound into its ciphertexts,
// so a body cannot be moved to another note or version.
func noteVersionID(noteID string, version int) string {
	return noteID + "#" + itoa(version)
}

// CorrectNote adds a new version to a note; the earlier versions stay. Only the
// note's author corrects it. A note that was shared or restricted stays part of
// the file: it cannot become a personal note again.
// EFORBIDDEN (with a denied record) when there is no such note or the actor may
// not; EINVALID for bad input.
func (s *Store) CorrectNote(ctx context.Context, a Actor, noteID string, in Correction) (*Note, error) {
	if err := validateNoteText(&in.Body, in.Visibility, &in.RestrictedReason); err != nil {
		return nil, err
	}
	var n *Note
	err := s.write(ctx, func(w *wtx) error {
		var clientID, author, trajectoryID, contactID string
		var version int
		var vis string
		var created int64
		err := w.queryRow(`SELECT n.client_id, n.author_id, n.trajectory_id, COALESCE(n.contact_id, ''), n.created_at, v.version, v.visibility
			FROM notes n JOIN note_versions v ON v.note_id = n.id WHERE n.id = ? ORDER BY v.version DESC LIMIT 1`, noteID).
			Scan(&clientID, &author, &trajectoryID, &contactID, &created, &version, &vis)
		if errors.Is(err, sql.ErrNoRows) {
			// The same answer as for a note out of reach, so note ids cannot be probed.
			return w.deny(entry{actor: a, kind: "note", ids: []string{noteID}, action: ActionCorrect, purpose: PurposeCare},
				"you have no access to this note")
		} else if err != nil {
			return internal("correct note", err)
		}
		if a.Role != RoleProfessional && a != System {
			return w.deny(entry{actor: a, clientID: clientID, kind: "note", ids: []string{noteID}, action: ActionCorrect, purpose: PurposeCare},
				"only professionals correct notes")
		}
		g, err := w.authorize(a, clientID, PurposeCare, "note", ActionCorrect)
		if err != nil {
			return err
		}
		if author != a.UserID {
			return w.deny(entry{actor: a, clientID: clientID, kind: "note", ids: []string{noteID}, action: ActionCorrect, purpose: g.purpose},
				"only the author corrects a note")
		}
		if Visibility(vis) != VisibilityPersonal && in.Visibility == VisibilityPersonal {
			return invalid("visibility", "a note that is part of the file cannot become a personal note again")
		}
		sl, err := w.sealerFor(clientID)
		if err != nil {
			return err
		}
		v := NoteVersion{Version: version + 1, Visibility: in.Visibility, Body: in.Body,
			RestrictedReason: in.RestrictedReason, VersionAuthorID: a.UserID, VersionAt: fromMS(ms(w.now))}
		if err := w.insertNoteVersion(sl, noteID, v); err != nil {
			return err
		}
		// The answer is the new version with the note's own fields; the earlier
		// versions stay in the file (ClientFile), read under its own record.
		n = &Note{ID: noteID, ClientID: clientID, TrajectoryID: trajectoryID, ContactID: contactID, AuthorID: author,
			CreatedAt: fromMS(created), NoteVersion: v}
		return w.record(g.entry("note", []string{noteID}, ActionCorrect))
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}
