package sqlite

import (
	"context"
	"time"

	"github.com/nabij/nabij/records"
)

// CreateClient creates a client with their own data key. A professional who
// creates a client takes them on their caseload. Only professionals (and nabij
// itself) create clients. Returns EINVALID for bad input, EFORBIDDEN otherwise.
func (s *Store) CreateClient(ctx context.Context, a records.Actor, in records.NewClient) (*records.Client, error) {
	if err := in.Validate(s.now()); err != nil {
		return nil, err
	}
	c := &records.Client{ID: newID(), Name: in.Name, BirthDate: in.BirthDate, Contact: in.Contact}
	err := s.write(ctx, func(w *wtx) error {
		g, err := w.creator(a, c.ID)
		if err != nil {
			return err
		}
		return w.createClient(g, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// createClient writes the client c (ID set, input validated) under the
// creator's grant g, with its key, its sealed fields, the creator's caseload
// and the access record.
func (w *wtx) createClient(g grant, c *records.Client) error {
	a := g.actor
	c.CreatedAt = fromMS(ms(w.now))
	sl, err := w.newClientKeyFor(g, c.CreatedAt)
	if err != nil {
		return err
	}
	if err := w.queryRow(`SELECT case_code FROM clients WHERE id = ?`, c.ID).Scan(&c.CaseCode); err != nil {
		return internal("create client", err)
	}
	var birth, contact []byte
	if c.BirthDate != "" {
		birth = sl.seal("clients", "birth_date", c.ID, c.BirthDate)
	}
	if c.Contact != "" {
		contact = sl.seal("clients", "contact", c.ID, c.Contact)
	}
	if _, err := w.exec(`UPDATE clients SET name_sealed = ?, birth_date_sealed = ?, contact_sealed = ? WHERE id = ?`,
		sl.seal("clients", "name", c.ID, c.Name), birth, contact, c.ID); err != nil {
		return internal("create client", err)
	}
	if g.rule == records.RuleCaseload {
		if _, err := w.exec(`INSERT INTO caseload (id, client_id, user_id, from_at) VALUES (?,?,?,?)`,
			newID(), c.ID, a.UserID, ms(w.now)); err != nil {
			return internal("create client: caseload", err)
		}
	}
	return w.record(g.entry("client", []string{c.ID}, records.ActionCreate))
}

// newClientKeyFor inserts the client row (with a placeholder name, sealed right
// after: the row must exist before its key) and the client's new data key, and
// returns the sealer for the client's fields.
func (w *wtx) newClientKeyFor(g grant, at time.Time) (sealer, error) {
	code, err := freshCaseCode(w.tx, w.ctx)
	if err != nil {
		return sealer{}, err
	}
	if _, err := w.exec(`INSERT INTO clients (id, case_code, name_sealed, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
		g.clientID, code, []byte{}, g.actor.UserID, ms(at)); err != nil {
		return sealer{}, internal("create client", err)
	}
	return w.newClientKey(g)
}

// Client returns the client's identity fields. Writes a read record first;
// EFORBIDDEN (with a denied record) when no rule allows it; EDESTROYED when the
// client's key was shredded.
func (s *Store) Client(ctx context.Context, a records.Actor, purpose records.Purpose, clientID string) (*records.Client, error) {
	c := &records.Client{ID: clientID}
	err := s.readClient(ctx, readSpec{actor: a, clientID: clientID, purpose: purpose, kind: "client", action: records.ActionRead},
		func(w *wtx, g grant, u *unsealing) ([]string, error) {
			var name, birth, contact []byte
			var created int64
			if err := w.queryRow(`SELECT name_sealed, birth_date_sealed, contact_sealed, created_at, COALESCE(case_code, '') FROM clients WHERE id = ?`, clientID).
				Scan(&name, &birth, &contact, &created, &c.CaseCode); err != nil {
				return nil, internal("client", err)
			}
			c.CreatedAt = fromMS(created)
			return []string{clientID}, u.add(w, g, clientFields(c, name, birth, contact)...)
		})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// clientFields are the sealed identity fields of c, to open into c.
func clientFields(c *records.Client, name, birth, contact []byte) []sealedField {
	return []sealedField{
		{"clients", "name", c.ID, name, &c.Name},
		{"clients", "birth_date", c.ID, birth, &c.BirthDate},
		{"clients", "contact", c.ID, contact, &c.Contact},
	}
}
