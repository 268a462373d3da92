package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

// CreateTrajectory opens a trajectory for a client the actor may reach.
// EINVALID for bad input; EFORBIDDEN (with a denied record) when no rule allows it.
func (s *Store) CreateTrajectory(ctx context.Context, a records.Actor, clientID string, in records.NewTrajectory) (*records.Trajectory, error) {
	in.Goal = strings.TrimSpace(in.Goal)
	if in.Goal == "" {
		return nil, invalid("goal", "goal is required")
	}
	if err := records.CheckText("goal", in.Goal, 2000); err != nil {
		return nil, err
	}
	now := s.now()
	t := &records.Trajectory{ID: newID(), ClientID: clientID, Goal: in.Goal, LeadID: in.LeadID, OpenedAt: fromMS(ms(now))}
	if in.OpenedAt != nil {
		if in.OpenedAt.After(now.Add(24 * time.Hour)) {
			return nil, invalid("opened_at", "a trajectory cannot open more than a day from now")
		}
		t.OpenedAt = fromMS(ms(*in.OpenedAt))
	}
	if t.LeadID == "" && isProfessional(a) {
		t.LeadID = a.UserID
	}
	err := s.write(ctx, func(w *wtx) error {
		if !doesCare(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "trajectory", action: records.ActionCreate, purpose: records.PurposeCare},
				"only professionals open trajectories")
		}
		g, err := w.authorize(a, clientID, records.PurposeCare, "trajectory", records.ActionCreate)
		if err != nil {
			return err
		}
		return w.createTrajectory(g, t)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// createTrajectory writes the trajectory t (input checked) of g's client with
// its sealed goal and the access record.
func (w *wtx) createTrajectory(g grant, t *records.Trajectory) error {
	clientID := g.clientID
	if t.LeadID != "" {
		var ok bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM users WHERE id = ? AND role = 'professional')`, t.LeadID).Scan(&ok); err != nil {
			return internal("trajectory lead", err)
		}
		if !ok {
			return invalid("lead_id", "the lead must be a professional")
		}
	}
	sl, err := w.sealerFor(g)
	if err != nil {
		return err
	}
	if _, err := w.exec(`INSERT INTO trajectories (id, client_id, goal_sealed, lead_id, opened_at, created_at) VALUES (?,?,?,?,?,?)`,
		t.ID, clientID, sl.seal("trajectories", "goal", t.ID, t.Goal), nullString(t.LeadID), ms(t.OpenedAt), ms(w.now)); err != nil {
		return internal("create trajectory", err)
	}
	return w.record(g.entry("trajectory", []string{t.ID}, records.ActionCreate))
}

// CloseTrajectory closes a trajectory now: this starts most retention clocks
// (and personal working notes are due at once). A professional who may reach
// the client. ECONFLICT when closed already; EFORBIDDEN (with a denied record)
// for an unknown trajectory or when no rule allows it.
func (s *Store) CloseTrajectory(ctx context.Context, a records.Actor, trajectoryID string) (*records.Trajectory, error) {
	t := &records.Trajectory{ID: trajectoryID}
	err := s.write(ctx, func(w *wtx) error {
		var opened int64
		var closed sql.NullInt64
		err := w.queryRow(`SELECT client_id, COALESCE(lead_id, ''), opened_at, closed_at FROM trajectories WHERE id = ?`, trajectoryID).
			Scan(&t.ClientID, &t.LeadID, &opened, &closed)
		if errors.Is(err, sql.ErrNoRows) {
			return w.deny(entry{actor: a, kind: "trajectory", ids: []string{trajectoryID}, action: records.ActionCorrect, purpose: purposeFor(a)},
				"no such trajectory for you")
		} else if err != nil {
			return internal("close trajectory", err)
		}
		if !doesCare(a) {
			return w.deny(entry{actor: a, clientID: t.ClientID, kind: "trajectory", ids: []string{trajectoryID}, action: records.ActionCorrect, purpose: records.PurposeCare},
				"only professionals close trajectories")
		}
		g, err := w.authorize(a, t.ClientID, records.PurposeCare, "trajectory", records.ActionCorrect)
		if err != nil {
			return err
		}
		if err := w.noBreakGlass(g, "trajectory", []string{trajectoryID}, records.ActionCorrect); err != nil {
			return err
		}
		if closed.Valid {
			return conflict("this trajectory was closed already")
		}
		now := fromMS(ms(w.now))
		if _, err := w.exec(`UPDATE trajectories SET closed_at = ? WHERE id = ?`, ms(now), trajectoryID); err != nil {
			return internal("close trajectory", err)
		}
		t.OpenedAt, t.ClosedAt = fromMS(opened), &now
		return w.record(g.entry("trajectory", []string{trajectoryID}, records.ActionCorrect))
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}
