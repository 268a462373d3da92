package sqlite

import (
	"context"
	"time"

	"github.com/nabij/nabij/crypto"
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
		if a.Role != records.RoleProfessional && !a.IsSystem() {
			return w.deny(entry{actor: a, kind: "client", action: records.ActionCreate, purpose: records.PurposeCare},
				"only professionals create clients")
		}
		c.CreatedAt = fromMS(ms(w.now))
		dk, err := w.newClientKeyFor(c.ID, a, c.CreatedAt)
		if err != nil {
			return err
		}
		sl := sealer{dk: dk, clientID: c.ID, version: 1}
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
		rule := records.RuleSystem
		if a.Role == records.RoleProfessional {
			rule = records.RuleCaseload
			if _, err := w.exec(`INSERT INTO caseload (id, client_id, user_id, from_at) VALUES (?,?,?,?)`,
				newID(), c.ID, a.UserID, ms(w.now)); err != nil {
				return internal("create client: caseload", err)
			}
		}
		return w.record(entry{actor: a, clientID: c.ID, kind: "client", ids: []string{c.ID},
			action: records.ActionCreate, purpose: records.PurposeCare, rule: rule, outcome: records.OutcomeOK})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// newClientKeyFor inserts the client row (with a placeholder name, sealed right
// after: the row must exist before its key) and the client's new data key.
func (w *wtx) newClientKeyFor(id string, a records.Actor, at time.Time) (*crypto.DataKey, error) {
	if _, err := w.exec(`INSERT INTO clients (id, name_sealed, created_by, created_at) VALUES (?, x'', ?, ?)`,
		id, a.UserID, ms(at)); err != nil {
		return nil, internal("create client", err)
	}
	return w.newClientKey(id)
}

// Client returns the client's identity fields. Writes a read record first;
// EFORBIDDEN (with a denied record) when no rule allows it; EDESTROYED when the
// client's key was shredded.
func (s *Store) Client(ctx context.Context, a records.Actor, purpose records.Purpose, clientID string) (*records.Client, error) {
	var c *records.Client
	var sl sealer
	var name, birth, contact []byte
	err := s.write(ctx, func(w *wtx) error {
		g, err := w.authorize(a, clientID, purpose, "client", records.ActionRead)
		if err != nil {
			return err
		}
		c = &records.Client{ID: clientID}
		var created int64
		if err := w.queryRow(`SELECT name_sealed, birth_date_sealed, contact_sealed, created_at FROM clients WHERE id = ?`, clientID).
			Scan(&name, &birth, &contact, &created); err != nil {
			return internal("client", err)
		}
		c.CreatedAt = fromMS(created)
		if sl, err = w.sealerFor(clientID); err != nil {
			return err
		}
		return w.record(g.entry("client", []string{clientID}, records.ActionRead))
	})
	if err != nil {
		return nil, err
	}
	if err := openClient(sl, c, name, birth, contact); err != nil {
		return nil, err
	}
	return c, nil
}

func openClient(sl sealer, c *records.Client, name, birth, contact []byte) error {
	var err error
	if c.Name, err = sl.open("clients", "name", c.ID, name); err != nil {
		return err
	}
	if c.BirthDate, err = sl.open("clients", "birth_date", c.ID, birth); err != nil {
		return err
	}
	c.Contact, err = sl.open("clients", "contact", c.ID, contact)
	return err
}
