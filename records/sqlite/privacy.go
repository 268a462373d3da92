package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

// ClientPrivacy is the client's privacy at a glance: who has access now and
// who gave it, reads per person and week (the client's own only with own),
// and what was shared. One read through the gate, recorded as kind privacy.
// EFORBIDDEN (with a denied record) for anyone but the client;
// EDESTROYED after crypto-shredding.
func (s *Store) ClientPrivacy(ctx context.Context, a records.Actor, clientID string, own bool) (*records.Privacy, error) {
	var p *records.Privacy
	var members []records.NetworkMember
	spec := readSpec{actor: a, clientID: clientID, purpose: records.PurposeOwnFile, kind: records.KindPrivacy, action: records.ActionRead,
		may: isClient, refusal: "only the client reads their own privacy overview"}
	err := s.readClient(ctx, spec, func(w *wtx, g grant, u *unsealing) ([]string, error) {
		p = &records.Privacy{OwnReads: own, KeptUntil: []records.KeptUntil{}}
		if err := u.add(w, g); err != nil {
			return nil, err // EDESTROYED before anything is read
		}
		var fields []sealedField
		var err error
		if p.HasAccess, fields, err = w.accessHolders(clientID); err != nil {
			return nil, err
		}
		if p.ReadsByPerson, err = w.readsByPerson(clientID, own); err != nil {
			return nil, err
		}
		var more []sealedField
		if p.Shared, more, err = w.sharedItems(clientID); err != nil {
			return nil, err
		}
		fields = append(fields, more...)
		if p.Trajectories, more, err = w.trajectoryGoals(clientID); err != nil {
			return nil, err
		}
		fields = append(fields, more...)
		// The birth date is the clock of an until_age retention rule.
		var birth []byte
		if err := w.queryRow(`SELECT birth_date_sealed FROM clients WHERE id = ?`, clientID).Scan(&birth); err != nil {
			return nil, internal("privacy: birth date", err)
		}
		if birth != nil {
			fields = append(fields, sealedField{"clients", "birth_date", clientID, birth, &p.BirthDate})
		}
		// Who may read the plan: the people of the network, whose ids the
		// overview's one access record names (the overview stays one read).
		// The names open after the commit, into members: filter only then.
		var memberIDs []string
		if members, memberIDs, err = w.readNetwork(g, u); err != nil {
			return nil, err
		}
		return memberIDs, u.add(w, g, fields...)
	})
	if err != nil {
		return nil, err // fail closed
	}
	p.PlanReaders = []records.NetworkMember{}
	for _, m := range members {
		if m.Active {
			p.PlanReaders = append(p.PlanReaders, m)
		}
	}
	return p, nil
}

// holderSQL lists who can open client ?1 at time ?2: the professionals with
// the client on their own caseload, the members of a team that holds the
// caseload, and unexpired break-the-glass grants. The same conditions as the
// caseload rule (policy.go), so the list cannot say more or less than the
// gate allows.
var holderSQL = `
SELECT 'caseload', l.id, u.id, u.username, u.display_name, u.work_contact, '', '', l.from_at, CAST(NULL AS BIGINT), CAST(NULL AS BYTEA)
  FROM caseload l JOIN users u ON u.id = l.user_id
 WHERE l.client_id = ?1 AND u.disabled = 0 AND ` + currentAssignmentAt("?2") + `
UNION ALL
SELECT 'team', l.id, u.id, u.username, u.display_name, u.work_contact, t.id, t.name, l.from_at, NULL, NULL
  FROM caseload l JOIN teams t ON t.id = l.team_id JOIN team_members m ON m.team_id = l.team_id JOIN users u ON u.id = m.user_id
 WHERE l.client_id = ?1 AND u.disabled = 0 AND ` + currentAssignmentAt("?2") + `
UNION ALL
SELECT 'break_glass', b.id, u.id, u.username, u.display_name, u.work_contact, '', '', b.granted_at, b.expires_at, b.reason_sealed
  FROM break_glass b JOIN users u ON u.id = b.user_id
 WHERE b.client_id = ?1 AND b.granted_at <= ?2 AND b.expires_at > ?2
ORDER BY 9`

// accessHolders reads who can open the client's file now and, from the access
// log, who gave each of them that access; the reasons of emergency access are
// queued to be opened after the commit.
func (w *wtx) accessHolders(clientID string) ([]records.AccessHolder, []sealedField, error) {
	rows, err := w.query(holderSQL, clientID, ms(w.now))
	if err != nil {
		return nil, nil, internal("privacy: access", err)
	}
	type held struct {
		records.AccessHolder
		ref, teamID string
	}
	var list []held
	var reasons [][]byte
	for rows.Next() {
		var h held
		var from int64
		var until sql.NullInt64
		var reason []byte
		if err := rows.Scan(&h.Via, &h.ref, &h.UserID, &h.Username, &h.Name, &h.WorkContact, &h.teamID, &h.Team, &from, &until, &reason); err != nil {
			rows.Close()
			return nil, nil, internal("privacy: access", err)
		}
		h.Since, h.Until = fromMS(from), fromNullMS(until)
		list = append(list, h)
		reasons = append(reasons, reason)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, internal("privacy: access", err)
	}
	out := make([]records.AccessHolder, len(list))
	var fields []sealedField
	for i, h := range list {
		by, role, at, err := w.givenBy(clientID, h.Via, h.ref, h.teamID, h.UserID)
		if err != nil {
			return nil, nil, err
		}
		h.GivenBy, h.GivenByRole = by, role
		if at.After(h.Since) { // a team member since later than the team's assignment
			h.Since = at
		}
		out[i] = h.AccessHolder
		if h.Via == records.ViaBreakGlass && reasons[i] != nil {
			fields = append(fields, sealedField{"break_glass", "reason", h.ref, reasons[i], &out[i].Reason})
		}
	}
	return out, fields, nil
}

// givenBy finds, in the access log, who gave the access: the record of the
// caseload assignment (record ids "assignment,target"), of the team
// membership ("team,member", recorded with no client), or — for a client
// registered by a professional, which puts them on that caseload without an
// assignment record — the record of the client's creation. Emergency access
// is given by the professional themselves. at is when that record was written.
func (w *wtx) givenBy(clientID, via, ref, teamID, userID string) (name string, role records.Role, at time.Time, err error) {
	var q string
	var args []any
	switch via {
	case records.ViaCaseload:
		q = `SELECT l.actor_id, l.actor_role, l.at FROM access_log l WHERE l.client_id = ? AND l.record_kind = 'caseload'
			AND l.action = 'grant' AND l.outcome = 'ok' AND l.record_ids LIKE ? ORDER BY l.seq DESC LIMIT 1`
		args = []any{clientID, ref + ",%"}
	case records.ViaTeam:
		q = `SELECT l.actor_id, l.actor_role, l.at FROM access_log l WHERE l.client_id = '' AND l.record_kind = 'team'
			AND l.action = 'grant' AND l.outcome = 'ok' AND l.record_ids = ? ORDER BY l.seq DESC LIMIT 1`
		args = []any{teamID + "," + userID}
	default:
		return "", "", time.Time{}, nil
	}
	var actorID string
	var ms int64
	err = w.queryRow(q, args...).Scan(&actorID, &role, &ms)
	if errors.Is(err, sql.ErrNoRows) && via == records.ViaCaseload {
		err = w.queryRow(`SELECT l.actor_id, l.actor_role, l.at FROM access_log l WHERE l.client_id = ? AND l.record_kind = 'client'
			AND l.action = 'create' AND l.outcome = 'ok' ORDER BY l.seq LIMIT 1`, clientID).Scan(&actorID, &role, &ms)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", "", time.Time{}, nil
	case err != nil:
		return "", "", time.Time{}, internal("privacy: given by", err)
	}
	if role == records.System().Role {
		return "nabij", role, fromMS(ms), nil
	}
	var username, display string
	err = w.queryRow(`SELECT username, display_name FROM users WHERE id = ?`, actorID).Scan(&username, &display)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", "", time.Time{}, internal("privacy: given by", err)
	}
	if display == "" {
		display = username
	}
	return display, role, fromMS(ms), nil
}

// dayMS is a day in milliseconds; epochMonday shifts a day number (days since
// 1970-01-01, a Thursday) back to the Monday of its ISO week.
const (
	dayMS        = 24 * 60 * 60 * 1000
	weekStartSQL = `((l.at / 86400000) - ((l.at / 86400000 + 3) % 7))`
)

// readsByPerson counts reads (and exports) of the client's data per person and
// ISO week (UTC), in SQL, newest week first, then most reads first. Refused
// attempts count apart. Without own, the client's own reads are left out
// (the client's account is the only client that can read the file).
func (w *wtx) readsByPerson(clientID string, own bool) ([]records.PersonReads, error) {
	q := `SELECT l.actor_role, COALESCE(u.username, l.actor_id), COALESCE(u.display_name, ''), ` + weekStartSQL + ` AS monday,
		SUM(CASE WHEN l.outcome = 'ok' THEN 1 ELSE 0 END), SUM(CASE WHEN l.outcome = 'denied' THEN 1 ELSE 0 END), MIN(l.at), MAX(l.at)
		FROM access_log l LEFT JOIN users u ON u.id = l.actor_id
		WHERE l.client_id = ? AND l.action IN ('read', 'export')`
	if !own {
		q += ` AND l.actor_role <> 'client'`
	}
	q += ` GROUP BY l.actor_id, l.actor_role, u.username, u.display_name, monday ORDER BY monday DESC, COUNT(*) DESC, MAX(l.at) DESC LIMIT 500`
	rows, err := w.query(q, clientID)
	if err != nil {
		return nil, internal("privacy: reads", err)
	}
	defer rows.Close()
	out := []records.PersonReads{}
	for rows.Next() {
		var r records.PersonReads
		var monday, first, last int64
		if err := rows.Scan(&r.Role, &r.Username, &r.Name, &monday, &r.Reads, &r.Denied, &first, &last); err != nil {
			return nil, internal("privacy: reads", err)
		}
		r.WeekStart, r.First, r.Last = fromMS(monday*dayMS), fromMS(first), fromMS(last)
		y, wk := r.WeekStart.ISOWeek()
		r.Week = fmt.Sprintf("%04d-W%02d", y, wk)
		r.Own = r.Role == records.RoleClient
		if r.Role == records.System().Role {
			r.Name = "nabij"
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// sharedItems reads the accounting of disclosures in plain words: recipient
// and purpose (sealed, opened after the commit), who shared (by name) and how
// many records of each kind.
func (w *wtx) sharedItems(clientID string) ([]records.SharedItem, []sealedField, error) {
	rows, err := w.query(`SELECT d.id, d.recipient_sealed, d.purpose_sealed, d.record_ids, COALESCE(NULLIF(u.display_name, ''), u.username, ''), d.disclosed_at
		FROM disclosures d LEFT JOIN users u ON u.id = d.disclosed_by WHERE d.client_id = ? ORDER BY d.disclosed_at DESC, d.id`, clientID)
	if err != nil {
		return nil, nil, internal("privacy: shared", err)
	}
	type row struct {
		id       string
		rec, pur []byte
		ids      []string
	}
	out := []records.SharedItem{}
	var list []row
	for rows.Next() {
		var r row
		var it records.SharedItem
		var ids string
		var at int64
		if err := rows.Scan(&r.id, &r.rec, &r.pur, &ids, &it.SharedBy, &at); err != nil {
			rows.Close()
			return nil, nil, internal("privacy: shared", err)
		}
		r.ids, it.SharedAt = splitIDs(ids), fromMS(at)
		out = append(out, it)
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, internal("privacy: shared", err)
	}
	var fields []sealedField
	for i, r := range list {
		counts, err := w.recordKinds(clientID, r.ids)
		if err != nil {
			return nil, nil, err
		}
		out[i].Counts = counts
		fields = append(fields, sealedField{"disclosures", "recipient", r.id, r.rec, &out[i].Recipient},
			sealedField{"disclosures", "purpose", r.id, r.pur, &out[i].Purpose})
	}
	return out, fields, nil
}

// recordKinds counts the client's records among ids by kind (trajectory,
// contact, note), so a disclosure can be told as "2 contacts, 1 note".
func (w *wtx) recordKinds(clientID string, ids []string) (map[string]int, error) {
	counts := map[string]int{}
	if len(ids) == 0 {
		return counts, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	var args []any
	for range 3 {
		args = append(args, clientID)
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := w.query(`SELECT 'trajectory', COUNT(*) FROM trajectories WHERE client_id = ? AND id IN (`+ph+`)
		UNION ALL SELECT 'contact', COUNT(*) FROM contacts WHERE client_id = ? AND id IN (`+ph+`)
		UNION ALL SELECT 'note', COUNT(*) FROM notes WHERE client_id = ? AND id IN (`+ph+`)`, args...)
	if err != nil {
		return nil, internal("privacy: shared kinds", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, internal("privacy: shared kinds", err)
		}
		if n > 0 {
			counts[k] = n
		}
	}
	return counts, rows.Err()
}

// trajectoryGoals reads the client's trajectories (goal sealed, opened after
// the commit), the clock of the retention dates.
func (w *wtx) trajectoryGoals(clientID string) ([]records.Trajectory, []sealedField, error) {
	rows, err := w.query(`SELECT id, goal_sealed, opened_at, closed_at FROM trajectories WHERE client_id = ? ORDER BY opened_at, id`, clientID)
	if err != nil {
		return nil, nil, internal("privacy: trajectories", err)
	}
	var out []records.Trajectory
	var goals [][]byte
	for rows.Next() {
		t := records.Trajectory{ClientID: clientID}
		var goal []byte
		var opened int64
		var closed sql.NullInt64
		if err := rows.Scan(&t.ID, &goal, &opened, &closed); err != nil {
			rows.Close()
			return nil, nil, internal("privacy: trajectories", err)
		}
		t.OpenedAt, t.ClosedAt = fromMS(opened), fromNullMS(closed)
		out = append(out, t)
		goals = append(goals, goal)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, internal("privacy: trajectories", err)
	}
	fields := make([]sealedField, len(out))
	for i := range out {
		fields[i] = sealedField{"trajectories", "goal", out[i].ID, goals[i], &out[i].Goal}
	}
	return out, fields, nil
}

// maxWorkContact bounds a professional's work contact line.
const maxWorkContact = 200

// SetWorkContact sets how a professional is reached at work (a work phone
// number or e-mail address), shown to the clients whose file they can open.
// The admin sets it for any professional, a professional for themselves;
// the change is an access record (kind account, action change) in the same
// transaction. "" removes it. EINVALID for a line that is too long or holds
// control characters; ENOTFOUND for an unknown account or one that is not a
// professional's; EFORBIDDEN (with a denied record) for anyone else.
func (s *Store) SetWorkContact(ctx context.Context, a records.Actor, userID, contact string) error {
	contact = strings.Join(strings.Fields(contact), " ")
	if len(contact) > maxWorkContact {
		return invalid("work_contact", "the work contact has more than %d characters", maxWorkContact)
	}
	for _, r := range contact {
		if r < 0x20 || r == 0x7f {
			return invalid("work_contact", "the work contact holds a control character")
		}
	}
	return s.write(ctx, func(w *wtx) error {
		if !administers(a) && !(isProfessional(a) && a.UserID == userID) {
			return w.deny(entry{actor: a, kind: records.KindAccount, ids: []string{userID}, action: records.ActionChange,
				purpose: records.PurposeAdministration}, "only the admin, or the professional themselves, sets a work contact")
		}
		res, err := w.exec(`UPDATE users SET work_contact = ? WHERE id = ? AND role = 'professional'`, contact, userID)
		if err != nil {
			return internal("work contact", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return notFound("professional")
		}
		ev := adminEvent(a, "", records.KindAccount, []string{userID}, records.ActionChange)
		if isProfessional(a) {
			ev.rule = records.RuleOwnAccount
		}
		return w.record(ev)
	})
}
