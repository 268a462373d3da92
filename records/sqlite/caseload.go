package sqlite

import (
	"context"
	"database/sql"

	"github.com/nabij/nabij/records"
)

// Caseload lists the clients the professional follows now, directly or through a
// team. Showing a client's name is a read: one access record per client listed,
// written in the same transaction. EFORBIDDEN for other roles.
func (s *Store) Caseload(ctx context.Context, a records.Actor) ([]records.CaseloadEntry, error) {
	if a.Role != records.RoleProfessional {
		return nil, forbidden("only professionals have a caseload")
	}
	var out []records.CaseloadEntry
	var names [][]byte
	var sealers []sealer
	err := s.write(ctx, func(w *wtx) error {
		out, names, sealers = out[:0], names[:0], sealers[:0]
		now := ms(w.now)
		rows, err := w.query(`SELECT c.id, c.name_sealed, MIN(CASE WHEN l.user_id IS NOT NULL THEN 0 ELSE 1 END),
			(SELECT COUNT(*) FROM contacts k WHERE k.client_id = c.id AND k.consent_missing = 1),
			(SELECT MAX(occurred_at) FROM contacts k WHERE k.client_id = c.id AND k.occurred_at <= ?2),
			(SELECT MIN(occurred_at) FROM contacts k WHERE k.client_id = c.id AND k.occurred_at > ?2),
			(SELECT COUNT(*) FROM trajectories t WHERE t.client_id = c.id AND t.closed_at IS NULL)
			FROM caseload l JOIN clients c ON c.id = l.client_id
			LEFT JOIN team_members m ON m.team_id = l.team_id AND m.user_id = ?1
			WHERE (l.user_id = ?1 OR m.user_id IS NOT NULL) AND l.from_at <= ?2 AND (l.to_at IS NULL OR l.to_at > ?2)
			GROUP BY c.id ORDER BY c.created_at, c.id`, a.UserID, now)
		if err != nil {
			return internal("caseload", err)
		}
		for rows.Next() {
			var e records.CaseloadEntry
			var name []byte
			var viaTeam int
			var last, next sql.NullInt64
			if err := rows.Scan(&e.ClientID, &name, &viaTeam, &e.ConsentMissing, &last, &next, &e.OpenTrajectories); err != nil {
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
		for _, e := range out {
			sl, err := w.sealerFor(e.ClientID)
			if records.ErrorCode(err) == records.EDESTROYED {
				sl = sealer{} // shredded: listed without a name
			} else if err != nil {
				return err // any other failure (a missing master key) is not a shredded client
			}
			sealers = append(sealers, sl)
			if err := w.record(entry{actor: a, clientID: e.ClientID, kind: "client", ids: []string{e.ClientID},
				action: records.ActionRead, purpose: records.PurposeCaseload, rule: e.Rule, outcome: records.OutcomeOK}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		if sealers[i].dk == nil {
			continue
		}
		if out[i].Name, err = sealers[i].open("clients", "name", out[i].ClientID, names[i]); err != nil {
			return nil, err
		}
	}
	if out == nil {
		out = []records.CaseloadEntry{}
	}
	return out, nil
}
