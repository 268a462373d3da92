package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/nabij/nabij/records"
)

// BlendedData returns the contacts the blended-work report counts, between
// from (inclusive) and to (exclusive): every contact for the data officer, the
// contacts logged by members of their own teams for a professional flagged as
// team lead. It reads no sealed field and returns no name; the read is one
// access record of kind blended_report (no client: the figures are
// aggregated and small cells suppressed before they leave the server).
// EFORBIDDEN (with a denied record) for everyone else; EINVALID when to is
// not after from.
func (s *Store) BlendedData(ctx context.Context, a records.Actor, from, to time.Time) (*records.BlendedData, error) {
	if !to.After(from) {
		return nil, invalid("to", "to must lie after from")
	}
	out := &records.BlendedData{From: from, To: to, Contacts: []records.ReportContact{}}
	err := s.write(ctx, func(w *wtx) error {
		e := entry{actor: a, kind: records.KindBlendedReport, action: records.ActionRead, purpose: records.PurposeStatistics, outcome: records.OutcomeOK}
		scope := ` AND ?3 = ?3` // every contact; the parameter is bound either way
		switch {
		case audits(a):
			e.rule, out.Scope = auditRule(a), "organisation"
		case isProfessional(a):
			var lead bool
			err := w.queryRow(`SELECT team_lead FROM users WHERE id = ?`, a.UserID).Scan(&lead)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return internal("report", err)
			}
			if !lead {
				return w.deny(e, "only team leads and the data officer see the blended-work report")
			}
			e.rule, out.Scope = records.RuleTeamLead, "teams"
			scope = ` AND c.author_id IN (SELECT m.user_id FROM team_members m WHERE m.team_id IN
				(SELECT team_id FROM team_members WHERE user_id = ?3))`
		default:
			return w.deny(e, "only team leads and the data officer see the blended-work report")
		}
		rows, err := w.query(`SELECT c.occurred_at, c.channel, COALESCE(t.name, ''),
			c.duration_minutes, c.client_id, c.author_id, COALESCE(p.channel, '')
			FROM contacts c LEFT JOIN tools t ON t.id = c.tool_id LEFT JOIN contacts p ON p.id = c.follow_up_of
			WHERE c.occurred_at >= ?1 AND c.occurred_at < ?2`+scope+` ORDER BY c.occurred_at`, ms(from), ms(to), a.UserID)
		if err != nil {
			return internal("report", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c records.ReportContact
			var ch, prev string
			var at int64
			if err := rows.Scan(&at, &ch, &c.Tool, &c.Minutes, &c.ClientID, &c.AuthorID, &prev); err != nil {
				return internal("report", err)
			}
			c.Month = monthOf(at)
			c.Channel = records.Channel(ch)
			if prev != "" {
				c.Follows = records.Channel(prev).Mode()
			}
			out.Contacts = append(out.Contacts, c)
		}
		if err := rows.Err(); err != nil {
			return internal("report", err)
		}
		return w.record(e)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
