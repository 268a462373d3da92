package sqlite

import (
	"context"

	"github.com/nabij/nabij/records"
)

// ClientOutline returns what a form needs of the client: id and name, the open
// trajectories (id, goal, opened) and the contacts (id, channel, when,
// trajectory, follow-up), oldest first. It reads no note and no entry, and is
// recorded as its own kind ("outline", action read, with the ids of the
// trajectories whose goals it returns) in the same transaction.
// EFORBIDDEN (with a denied record) when no rule allows it; EDESTROYED after
// crypto-shredding; never partial data on error.
func (s *Store) ClientOutline(ctx context.Context, a records.Actor, purpose records.Purpose, clientID string) (*records.Outline, error) {
	o := &records.Outline{ClientID: clientID, Trajectories: []records.OutlineTrajectory{}, Contacts: []records.OutlineContact{}}
	spec := readSpec{actor: a, clientID: clientID, purpose: purpose, kind: "outline", action: records.ActionRead}
	err := s.readClient(ctx, spec, func(w *wtx, g grant, u *unsealing) ([]string, error) {
		if err := u.add(w, g); err != nil {
			return nil, err // EDESTROYED before anything is read
		}
		var name []byte
		if err := w.queryRow(`SELECT name_sealed FROM clients WHERE id = ?`, clientID).Scan(&name); err != nil {
			return nil, internal("outline: client", err)
		}
		rows, err := w.query(`SELECT id, goal_sealed, opened_at FROM trajectories
			WHERE client_id = ? AND closed_at IS NULL ORDER BY opened_at, id`, clientID)
		if err != nil {
			return nil, internal("outline: trajectories", err)
		}
		var goals [][]byte
		for rows.Next() {
			var t records.OutlineTrajectory
			var goal []byte
			var opened int64
			if err := rows.Scan(&t.ID, &goal, &opened); err != nil {
				rows.Close()
				return nil, internal("outline: trajectories", err)
			}
			t.OpenedAt = fromMS(opened)
			o.Trajectories = append(o.Trajectories, t)
			goals = append(goals, goal)
		}
		rows.Close()
		rows, err = w.query(`SELECT id, channel, occurred_at, trajectory_id, COALESCE(follow_up_of, '')
			FROM contacts WHERE client_id = ? ORDER BY occurred_at, id`, clientID)
		if err != nil {
			return nil, internal("outline: contacts", err)
		}
		for rows.Next() {
			var c records.OutlineContact
			var ch string
			var at int64
			if err := rows.Scan(&c.ID, &ch, &at, &c.TrajectoryID, &c.FollowUpOf); err != nil {
				rows.Close()
				return nil, internal("outline: contacts", err)
			}
			c.Channel, c.OccurredAt = records.Channel(ch), fromMS(at)
			o.Contacts = append(o.Contacts, c)
		}
		rows.Close()
		// Only now that the slices are final, take pointers into them.
		fields := []sealedField{{"clients", "name", clientID, name, &o.Name}}
		ids := make([]string, 0, len(o.Trajectories))
		for i := range o.Trajectories {
			t := &o.Trajectories[i]
			fields = append(fields, sealedField{"trajectories", "goal", t.ID, goals[i], &t.Goal})
			ids = append(ids, t.ID)
		}
		return ids, u.add(w, g, fields...)
	})
	if err != nil {
		return nil, err // fail closed
	}
	return o, nil
}
