package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nabij/nabij/records"
)

// CreateNote writes a note, sealed with the client's key, and its access record.
// EINVALID for bad input (unknown visibility, empty body, a restricted note
// without reason, a contact or trajectory of another client); EFORBIDDEN (with a
// denied record) when no rule allows it.
func (s *Store) CreateNote(ctx context.Context, a records.Actor, clientID string, in records.NewNote) (*records.Note, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	n := &records.Note{ID: newID(), ClientID: clientID, ContactID: in.ContactID, TrajectoryID: in.TrajectoryID, AuthorID: a.UserID,
		NoteVersion: records.NoteVersion{Version: 1, Visibility: in.Visibility, Body: in.Body, RestrictedReason: in.RestrictedReason, VersionAuthorID: a.UserID}}
	err := s.write(ctx, func(w *wtx) error {
		if !doesCare(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "note", action: records.ActionCreate, purpose: records.PurposeCare},
				"only professionals write notes")
		}
		g, err := w.authorize(a, clientID, records.PurposeCare, "note", records.ActionCreate)
		if err != nil {
			return err
		}
		return w.createNote(g, n)
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// createNote writes the note n (input validated) of g's client: its contact or
// trajectory must be the client's; the body is sealed; the access record.
func (w *wtx) createNote(g grant, n *records.Note) error {
	clientID := g.clientID
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
	sl, err := w.sealerFor(g)
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
	return w.record(g.entry("note", []string{n.ID}, records.ActionCreate))
}

func (w *wtx) insertNoteVersion(sl sealer, noteID string, v records.NoteVersion) error {
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
func (s *Store) CorrectNote(ctx context.Context, a records.Actor, noteID string, in records.Correction) (*records.Note, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var n *records.Note
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
			return w.deny(entry{actor: a, kind: "note", ids: []string{noteID}, action: records.ActionCorrect, purpose: records.PurposeCare},
				"you have no access to this note")
		} else if err != nil {
			return internal("correct note", err)
		}
		if !doesCare(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "note", ids: []string{noteID}, action: records.ActionCorrect, purpose: records.PurposeCare},
				"only professionals correct notes")
		}
		g, err := w.authorize(a, clientID, records.PurposeCare, "note", records.ActionCorrect)
		if err != nil {
			return err
		}
		if author != a.UserID {
			return w.deny(entry{actor: a, clientID: clientID, kind: "note", ids: []string{noteID}, action: records.ActionCorrect, purpose: g.purpose},
				"only the author corrects a note")
		}
		if records.Visibility(vis) != records.VisibilityPersonal && in.Visibility == records.VisibilityPersonal {
			return invalid("visibility", "a note that is part of the file cannot become a personal note again")
		}
		sl, err := w.sealerFor(g)
		if err != nil {
			return err
		}
		v := records.NoteVersion{Version: version + 1, Visibility: in.Visibility, Body: in.Body,
			RestrictedReason: in.RestrictedReason, VersionAuthorID: a.UserID, VersionAt: fromMS(ms(w.now))}
		if err := w.insertNoteVersion(sl, noteID, v); err != nil {
			return err
		}
		// The answer is the new version with the note's own fields; the earlier
		// versions stay in the file (ClientFile), read under its own record.
		n = &records.Note{ID: noteID, ClientID: clientID, TrajectoryID: trajectoryID, ContactID: contactID, AuthorID: author,
			CreatedAt: fromMS(created), NoteVersion: v}
		return w.record(g.entry("note", []string{noteID}, records.ActionCorrect))
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}
