package sqlite

import (
	"context"
	"database/sql"

	"github.com/nabij/nabij/records"
)

// HandOver moves or shares the caseload of one professional with another
// until a date, in one transaction: every client on From's own caseload (not
// through a team) gets an assignment to To until in.Until, recorded as a
// caseload grant on that client; a move also ends From's assignments now
// (recorded as revokes) and gives them back from in.Until (recorded as
// grants). The stand-in's access ends by itself: the caseload rule compares
// the assignment's end with the time now. Only admins. EINVALID for bad input
// (either account not an active professional), ENOTFOUND when From has no
// clients, EFORBIDDEN otherwise.
func (s *Store) HandOver(ctx context.Context, a records.Actor, in records.NewHandover) (*records.Handover, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	if err := in.Validate(s.now()); err != nil {
		return nil, err
	}
	h := &records.Handover{ID: newID(), From: in.From, To: in.To, Mode: in.Mode, Until: fromMS(ms(in.Until)), CreatedBy: a.UserID}
	err := s.write(ctx, func(w *wtx) error {
		h.Clients = 0
		for field, id := range map[string]string{"from": in.From, "to": in.To} {
			var ok bool
			if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM users WHERE id = ? AND role = 'professional' AND disabled = 0)`, id).Scan(&ok); err != nil {
				return internal("handover", err)
			}
			if !ok {
				return invalid(field, "%s must be an active professional", field)
			}
		}
		now := ms(w.now)
		type row struct{ id, clientID string }
		var rows []row
		q, err := w.query(`SELECT l.id, l.client_id FROM caseload l WHERE l.user_id = ?1 AND `+currentAssignmentAt("?2")+` ORDER BY l.from_at, l.id`, in.From, now)
		if err != nil {
			return internal("handover", err)
		}
		for q.Next() {
			var r row
			if err := q.Scan(&r.id, &r.clientID); err != nil {
				q.Close()
				return internal("handover", err)
			}
			rows = append(rows, r)
		}
		q.Close()
		if len(rows) == 0 {
			return notFound("caseload")
		}
		h.CreatedAt = fromMS(now)
		if _, err := w.exec(`INSERT INTO handovers (id, from_user, to_user, mode, until_at, created_by, created_at) VALUES (?,?,?,?,?,?,?)`,
			h.ID, in.From, in.To, in.Mode, ms(h.Until), a.UserID, now); err != nil {
			return internal("handover", err)
		}
		for _, r := range rows {
			var already bool
			if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM caseload l WHERE l.client_id = ?1 AND l.user_id = ?2 AND `+currentAssignmentAt("?3")+`)`,
				r.clientID, in.To, now).Scan(&already); err != nil {
				return internal("handover", err)
			}
			if in.Mode == records.HandoverMove {
				if _, err := w.exec(`UPDATE caseload SET to_at = ? WHERE id = ?`, now, r.id); err != nil {
					return internal("handover", err)
				}
				if err := w.record(adminEvent(a, r.clientID, records.KindCaseload, []string{r.id, in.From}, records.ActionRevoke)); err != nil {
					return err
				}
				back := newID()
				if _, err := w.exec(`INSERT INTO caseload (id, client_id, user_id, from_at, handover_id) VALUES (?,?,?,?,?)`,
					back, r.clientID, in.From, ms(h.Until), h.ID); err != nil {
					return internal("handover", err)
				}
				if err := w.record(adminEvent(a, r.clientID, records.KindCaseload, []string{back, in.From}, records.ActionGrant)); err != nil {
					return err
				}
			}
			h.Clients++
			if already { // on the stand-in's own caseload already: nothing to give
				continue
			}
			id := newID()
			if _, err := w.exec(`INSERT INTO caseload (id, client_id, user_id, from_at, to_at, handover_id) VALUES (?,?,?,?,?,?)`,
				id, r.clientID, in.To, now, ms(h.Until), h.ID); err != nil {
				return internal("handover", err)
			}
			if err := w.record(adminEvent(a, r.clientID, records.KindCaseload, []string{id, in.To}, records.ActionGrant)); err != nil {
				return err
			}
		}
		return w.queryRow(`SELECT COALESCE(NULLIF(f.display_name, ''), f.username), COALESCE(NULLIF(t.display_name, ''), t.username)
			FROM users f, users t WHERE f.id = ? AND t.id = ?`, in.From, in.To).Scan(&h.FromName, &h.ToName)
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// Handovers lists handovers, newest first. Only admins; EFORBIDDEN otherwise.
func (s *Store) Handovers(ctx context.Context, a records.Actor) ([]records.Handover, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT h.id, h.from_user, h.to_user, COALESCE(NULLIF(f.display_name, ''), f.username),
		COALESCE(NULLIF(t.display_name, ''), t.username), h.mode, h.until_at, h.created_at, h.created_by,
		(SELECT COUNT(DISTINCT l.client_id) FROM caseload l WHERE l.handover_id = h.id)
		FROM handovers h JOIN users f ON f.id = h.from_user JOIN users t ON t.id = h.to_user
		ORDER BY h.created_at DESC, h.id`)
	if err != nil {
		return nil, internal("handovers", err)
	}
	defer rows.Close()
	out := []records.Handover{}
	for rows.Next() {
		var h records.Handover
		var until, created int64
		if err := rows.Scan(&h.ID, &h.From, &h.To, &h.FromName, &h.ToName, &h.Mode, &until, &created, &h.CreatedBy, &h.Clients); err != nil {
			return nil, internal("handovers", err)
		}
		h.Until, h.CreatedAt = fromMS(until), fromMS(created)
		out = append(out, h)
	}
	return out, rows.Err()
}

// FileAccess lists who may read the client's file now: professionals and
// teams on the caseload, with the end of a stand-in's access and whom they
// stand in for. A read of the client's file (kind caseload), recorded; the
// client for their own file, or a professional who may reach it. EFORBIDDEN
// (with a denied record) otherwise.
func (s *Store) FileAccess(ctx context.Context, a records.Actor, clientID string) ([]records.StandIn, error) {
	out := []records.StandIn{}
	err := s.readClient(ctx, readSpec{actor: a, clientID: clientID, purpose: careOrOwnFile(a), kind: records.KindCaseload,
		action: records.ActionRead, may: readsFileAccess, refusal: "only the client and their professionals see this"},
		func(w *wtx, g grant, u *unsealing) ([]string, error) {
			out = out[:0]
			rows, err := w.query(`SELECT l.id, COALESCE(NULLIF(p.display_name, ''), p.username, tm.name, ''), l.team_id IS NOT NULL, l.to_at,
				CASE WHEN l.to_at IS NOT NULL THEN COALESCE(NULLIF(f.display_name, ''), f.username, '') ELSE '' END
				FROM caseload l LEFT JOIN users p ON p.id = l.user_id LEFT JOIN teams tm ON tm.id = l.team_id
				LEFT JOIN handovers h ON h.id = l.handover_id LEFT JOIN users f ON f.id = h.from_user
				WHERE l.client_id = ?1 AND `+currentAssignmentAt("?2")+` ORDER BY l.to_at IS NOT NULL, l.from_at, l.id`, clientID, ms(w.now))
			if err != nil {
				return nil, internal("file access", err)
			}
			defer rows.Close()
			var ids []string
			for rows.Next() {
				var id string
				var hd records.StandIn
				var until sql.NullInt64
				if err := rows.Scan(&id, &hd.Name, &hd.Team, &until, &hd.StandsInFor); err != nil {
					return nil, internal("file access", err)
				}
				hd.Until = fromNullMS(until)
				out = append(out, hd)
				ids = append(ids, id)
			}
			return ids, rows.Err()
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}
