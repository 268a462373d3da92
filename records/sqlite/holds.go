package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/nabij/nabij/records"
)

// PlaceLegalHold puts a hold on a client (trajectoryID "") or on one trajectory
// (clientID may then be ""); the reason is sealed with the client's key. Only the
// data officer. EINVALID for bad input, ENOTFOUND for an unknown client or
// trajectory, EFORBIDDEN (with a denied record) for other roles.
func (s *Store) PlaceLegalHold(ctx context.Context, a records.Actor, clientID, trajectoryID, reason string) (*records.LegalHold, error) {
	reason = strings.TrimSpace(reason)
	if (clientID == "") == (trajectoryID == "") {
		return nil, invalid("client_id", "give either client_id or trajectory_id")
	}
	if len([]rune(reason)) < 5 {
		return nil, invalid("reason", "state the reason for the hold")
	}
	if err := records.CheckText("reason", reason, 500); err != nil {
		return nil, err
	}
	h := &records.LegalHold{ID: newID(), ClientID: clientID, TrajectoryID: trajectoryID, Reason: reason, PlacedBy: a.UserID}
	err := s.write(ctx, func(w *wtx) error {
		if h.TrajectoryID != "" && audits(a) {
			err := w.queryRow(`SELECT client_id FROM trajectories WHERE id = ?`, h.TrajectoryID).Scan(&h.ClientID)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("trajectory")
			} else if err != nil {
				return internal("legal hold", err)
			}
		}
		g, err := w.officer(a, h.ClientID, "legal_hold", records.ActionCreate, records.PurposeRetention)
		if err != nil {
			return err
		}
		sl, err := w.sealerFor(g)
		if err != nil {
			return err
		}
		h.PlacedAt = fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO legal_holds (id, client_id, trajectory_id, reason_sealed, placed_by, placed_at) VALUES (?,?,?,?,?,?)`,
			h.ID, h.ClientID, nullString(h.TrajectoryID), sl.seal("legal_holds", "reason", h.ID, h.Reason), h.PlacedBy, ms(h.PlacedAt)); err != nil {
			return internal("legal hold", err)
		}
		return w.record(g.entry("legal_hold", []string{h.ID}, records.ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// ReleaseLegalHold ends a hold; the row stays with its release time. Only the
// data officer. ENOTFOUND for an unknown hold, ECONFLICT when released already.
func (s *Store) ReleaseLegalHold(ctx context.Context, a records.Actor, id string) error {
	return s.write(ctx, func(w *wtx) error {
		var clientID string
		var released sql.NullInt64
		err := w.queryRow(`SELECT client_id, released_at FROM legal_holds WHERE id = ?`, id).Scan(&clientID, &released)
		if errors.Is(err, sql.ErrNoRows) {
			if !isDataOfficer(a) {
				return w.deny(entry{actor: a, kind: "legal_hold", ids: []string{id}, action: records.ActionCorrect, purpose: purposeFor(a)},
					"only the data officer does this")
			}
			return notFound("legal hold")
		} else if err != nil {
			return internal("release hold", err)
		}
		g, err := w.officer(a, clientID, "legal_hold", records.ActionCorrect, records.PurposeRetention)
		if err != nil {
			return err
		}
		if released.Valid {
			return conflict("this hold was released already")
		}
		if _, err := w.exec(`UPDATE legal_holds SET released_at = ?, released_by = ? WHERE id = ?`, ms(w.now), a.UserID, id); err != nil {
			return internal("release hold", err)
		}
		return w.record(g.entry("legal_hold", []string{id}, records.ActionCorrect))
	})
}

// LegalHolds lists the holds (active first, then released), with their reasons.
// Only the data officer; one access record per client listed.
// EFORBIDDEN (with a denied record) for anyone but the data officer.
func (s *Store) LegalHolds(ctx context.Context, a records.Actor) ([]records.LegalHold, error) {
	out := []records.LegalHold{}
	err := s.gate(ctx, func(w *wtx, u *unsealing) error {
		out = out[:0]
		var sealed [][]byte
		officer, err := w.officer(a, "", "legal_hold", records.ActionRead, records.PurposeRetention)
		if err != nil {
			return err
		}
		rows, err := w.query(`SELECT id, client_id, COALESCE(trajectory_id, ''), reason_sealed, placed_by, placed_at,
			COALESCE(released_by, ''), released_at FROM legal_holds ORDER BY released_at IS NOT NULL, placed_at DESC`)
		if err != nil {
			return internal("legal holds", err)
		}
		for rows.Next() {
			var h records.LegalHold
			var reason []byte
			var at int64
			var rel sql.NullInt64
			if err := rows.Scan(&h.ID, &h.ClientID, &h.TrajectoryID, &reason, &h.PlacedBy, &at, &h.ReleasedBy, &rel); err != nil {
				rows.Close()
				return internal("legal holds", err)
			}
			h.PlacedAt, h.ReleasedAt = fromMS(at), fromNullMS(rel)
			out = append(out, h)
			sealed = append(sealed, reason)
		}
		rows.Close()
		byClient := map[string][]string{}
		var order []string
		for _, h := range out {
			if _, ok := byClient[h.ClientID]; !ok {
				order = append(order, h.ClientID)
			}
			byClient[h.ClientID] = append(byClient[h.ClientID], h.ID)
		}
		for _, id := range order {
			g := officer.forClient(id)
			var fields []sealedField
			for i := range out {
				if out[i].ClientID == id {
					fields = append(fields, sealedField{"legal_holds", "reason", out[i].ID, sealed[i], &out[i].Reason})
				}
			}
			// shredded: listed without the reason
			if err := skipDestroyed(u.add(w, g, fields...)); err != nil {
				return err
			}
			if err := w.record(g.entry("legal_hold", byClient[id], records.ActionRead)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
