package sqlite

import (
	"database/sql"
	"errors"

	"github.com/nabij/nabij/records"
)

// What changed since a professional last looked. Opening a client's file
// (the access record of kind "file") moves that professional's mark for the
// client to the record's place in the access log, in the same transaction
// as the record; the caseload counts the changes the log holds after it.
// Every change is an access record already, so nothing else is kept.

// markLooked moves the mark of a professional who just opened a client's
// file (r is its access record, just appended). Called by record, the one
// place both gate paths pass, so the mark cannot miss a read or add a
// transaction.
func (w *wtx) markLooked(e entry, seq int64) error {
	// The rules that let a professional open a file (decided by authorize);
	// no policy check here, since record is reached by nearly every method.
	byProfessional := e.rule == records.RuleCaseload || e.rule == records.RuleTeamCaseload || e.rule == records.RuleBreakGlass
	if e.kind != "file" || e.action != records.ActionRead || e.outcome != records.OutcomeOK || !byProfessional {
		return nil
	}
	if _, err := w.exec(`INSERT INTO last_looked (user_id, client_id, seq, at) VALUES (?,?,?,?)
		ON CONFLICT (user_id, client_id) DO UPDATE SET seq = excluded.seq, at = excluded.at`,
		e.actor.UserID, e.clientID, seq, ms(w.now)); err != nil {
		return internal("last looked", err)
	}
	return nil
}

// changesSQL counts, per kind and action, what others (?3) did in client
// ?1's file after log position ?2: the kinds a professional wants to know
// about, never reads (a colleague's reads are not news), except emergency
// access, which is a break_glass record of its own. It walks the
// access_log_client index from the mark on.
const changesSQL = `SELECT record_kind, action, COUNT(*) FROM access_log
	WHERE client_id = ?1 AND seq > ?2 AND actor_id <> ?3 AND outcome = 'ok' AND (
		(record_kind IN ('entry', 'consent', 'consent_withdrawal', 'break_glass') AND action = 'create')
		OR (record_kind = 'disclosure' AND action = 'export')
		OR (record_kind = 'plan' AND action IN ('create', 'correct')))
	GROUP BY record_kind, action`

// changesSince reads the professional's mark on the client and counts what
// changed after it (records.Changes). Ids, kinds and counts only.
func (w *wtx) changesSince(userID, clientID string) (records.Changes, error) {
	var c records.Changes
	var seq, at int64
	err := w.queryRow(`SELECT seq, at FROM last_looked WHERE user_id = ? AND client_id = ?`, userID, clientID).Scan(&seq, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		c.NeverOpened = true
		return c, nil
	case err != nil:
		return c, internal("last looked", err)
	}
	t := fromMS(at)
	c.LastLooked = &t
	rows, err := w.query(changesSQL, clientID, seq, userID)
	if err != nil {
		return c, internal("changes", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, action string
		var n int
		if err := rows.Scan(&kind, &action, &n); err != nil {
			return c, internal("changes", err)
		}
		switch kind {
		case "entry":
			c.Entries += n
		case "consent":
			c.ConsentsGiven += n
		case "consent_withdrawal":
			c.ConsentsWithdrawn += n
		case "break_glass":
			c.EmergencyAccess += n
		case "disclosure":
			c.Disclosures += n
		case records.KindPlan:
			c.PlanChanges += n
		}
	}
	return c, rows.Err()
}
