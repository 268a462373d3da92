package sqlite

import (
	"context"
	"database/sql"

	"github.com/nabij/nabij/records"
)

// Caseload lists the clients the professional follows now, directly or through a
// team, each with what changed since the professional last opened the file.
// Showing a client's name is a read: one access record per client listed,
// written in the same transaction. EFORBIDDEN for other roles.
func (s *Store) Caseload(ctx context.Context, a records.Actor) ([]records.CaseloadEntry, error) {
	if !isProfessional(a) {
		return nil, forbidden("only professionals have a caseload")
	}
	var out []records.CaseloadEntry
	err := s.gate(ctx, func(w *wtx, u *unsealing) error {
		out = out[:0]
		var names [][]byte
		rows, err := w.query(caseloadSQL, a.UserID, ms(w.now))
		if err != nil {
			return internal("caseload", err)
		}
		for rows.Next() {
			var e records.CaseloadEntry
			var name []byte
			var viaTeam int
			var last, next sql.NullInt64
			if err := rows.Scan(&e.ClientID, &e.CaseCode, &name, &viaTeam, &e.ConsentMissing, &last, &next, &e.OpenTrajectories); err != nil {
				rows.Close()
				return internal("caseload", err)
			}
			e.Rule = records.RuleCaseload
			if viaTeam == 1 {
				e.Rule = records.RuleTeamCaseload
			}
			e.LastContact, e.NextContact = fromNullMS(last), fromNullMS(next)
			out = append(out, e)
			names = append(names, name)
		}
		rows.Close()
		for i := range out {
			g := onCaseload(a, out[i].ClientID, out[i].Rule)
			err := u.add(w, g, sealedField{"clients", "name", out[i].ClientID, names[i], &out[i].Name})
			if err != nil && records.ErrorCode(err) != records.EDESTROYED {
				return err // any other failure (a missing master key) is not a shredded client
			} // shredded: listed without a name
			if err := w.record(g.entry("client", []string{out[i].ClientID}, records.ActionRead)); err != nil {
				return err
			}
			if out[i].Changes, err = w.changesSince(a.UserID, out[i].ClientID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []records.CaseloadEntry{}
	}
	return out, nil
}

// SearchCaseload is Caseload narrowed to names that contain q.Name and ordered
// by q.Sort. The names are sealed, so the filter runs on the names Caseload
// opened, after its access records are committed, and only over the
// professional's own caseload. EINVALID for a bad query; EFORBIDDEN for other
// roles.
func (s *Store) SearchCaseload(ctx context.Context, a records.Actor, q records.CaseloadQuery) ([]records.CaseloadEntry, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	list, err := s.Caseload(ctx, a)
	if err != nil {
		return nil, err
	}
	return q.Apply(list), nil
}

// caseloadSQL lists the professional's (?1) clients now (?2), with the flags
// of the overview; the assignment's time condition is the access rule's own
// (currentAssignmentSQL).
var caseloadSQL = `SELECT c.id, COALESCE(c.case_code, ''), c.name_sealed, MIN(CASE WHEN l.user_id IS NOT NULL THEN 0 ELSE 1 END),
	(SELECT COUNT(*) FROM contacts k WHERE k.client_id = c.id AND k.consent_missing = 1
		AND NOT EXISTS(SELECT 1 FROM consent_flag_resolutions r WHERE r.contact_id = k.id)),
	(SELECT MAX(occurred_at) FROM contacts k WHERE k.client_id = c.id AND k.occurred_at <= ?2),
	(SELECT MIN(occurred_at) FROM contacts k WHERE k.client_id = c.id AND k.occurred_at > ?2),
	(SELECT COUNT(*) FROM trajectories t WHERE t.client_id = c.id AND t.closed_at IS NULL)
	FROM caseload l JOIN clients c ON c.id = l.client_id
	LEFT JOIN team_members m ON m.team_id = l.team_id AND m.user_id = ?1
	WHERE (l.user_id = ?1 OR m.user_id IS NOT NULL) AND ` + currentAssignmentAt("?2") + `
	GROUP BY c.id ORDER BY c.created_at, c.id`
