package records

import (
	"context"
	"strings"
	"time"
)

// Entry is text the client writes in their own file (a reaction, a correction
// request, something they want their worker to know).
type Entry struct {
	ID        string    `json:"id"`
	ClientID  string    `json:"client_id"`
	AuthorID  string    `json:"author_id"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// CreateEntry adds an entry to the client's own file. Only the client writes in
// their own file. EINVALID for an empty or too long body; EFORBIDDEN (with a
// denied record) otherwise.
func (s *Store) CreateEntry(ctx context.Context, a Actor, clientID, body string) (*Entry, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, invalid("body", "the entry is empty")
	}
	if err := checkText("body", body, maxNoteLen); err != nil {
		return nil, err
	}
	e := &Entry{ID: newID(), ClientID: clientID, AuthorID: a.UserID, Body: body}
	err := s.write(ctx, func(w *wtx) error {
		if a.Role != RoleClient {
			return w.deny(entry{actor: a, clientID: clientID, kind: "entry", action: ActionCreate, purpose: PurposeOwnFile},
				"only the client writes entries in their own file")
		}
		g, err := w.authorize(a, clientID, PurposeOwnFile, "entry", ActionCreate)
		if err != nil {
			return err
		}
		sl, err := w.sealerFor(clientID)
		if err != nil {
			return err
		}
		e.CreatedAt = fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO entries (id, client_id, author_id, body_sealed, created_at) VALUES (?,?,?,?,?)`,
			e.ID, clientID, e.AuthorID, sl.seal("entries", "body", e.ID, body), ms(w.now)); err != nil {
			return internal("create entry", err)
		}
		return w.record(g.entry("entry", []string{e.ID}, ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}
