package sqlite

import (
	"context"
	"strings"

	"github.com/nabij/nabij/records"
)

// CreateEntry adds an entry to the client's own file. Only the client writes in
// their own file. EINVALID for an empty or too long body; EFORBIDDEN (with a
// denied record) otherwise.
func (s *Store) CreateEntry(ctx context.Context, a records.Actor, clientID, body string) (*records.Entry, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, invalid("body", "the entry is empty")
	}
	if err := records.CheckText("body", body, records.MaxNoteLen); err != nil {
		return nil, err
	}
	e := &records.Entry{ID: newID(), ClientID: clientID, AuthorID: a.UserID, Body: body}
	err := s.write(ctx, func(w *wtx) error {
		if !isClient(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "entry", action: records.ActionCreate, purpose: records.PurposeOwnFile},
				"only the client writes entries in their own file")
		}
		g, err := w.authorize(a, clientID, records.PurposeOwnFile, "entry", records.ActionCreate)
		if err != nil {
			return err
		}
		sl, err := w.sealerFor(g)
		if err != nil {
			return err
		}
		e.CreatedAt = fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO entries (id, client_id, author_id, body_sealed, created_at) VALUES (?,?,?,?,?)`,
			e.ID, clientID, e.AuthorID, sl.seal("entries", "body", e.ID, body), ms(w.now)); err != nil {
			return internal("create entry", err)
		}
		return w.record(g.entry("entry", []string{e.ID}, records.ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}
