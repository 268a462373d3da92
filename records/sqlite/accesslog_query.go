package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

const maxPage = 500

// AccessLog searches the access log for the data officer, newest first. The
// search itself is recorded (purpose audit). EFORBIDDEN for other roles.
func (s *Store) AccessLog(ctx context.Context, a records.Actor, f records.AccessFilter) ([]records.AccessView, error) {
	if !isDataOfficer(a) {
		return nil, forbidden("only the data officer searches the access log")
	}
	if f.Limit <= 0 || f.Limit > maxPage {
		f.Limit = 100
	}
	if f.Action != "" && !validAction(f.Action) {
		return nil, invalid("action", "unknown action %q", f.Action)
	}
	if f.Kind != "" && !validKind(f.Kind) {
		return nil, invalid("kind", "unknown kind %q", f.Kind)
	}
	var out []records.AccessView
	err := s.gate(ctx, func(w *wtx, _ *unsealing) error {
		var err error
		if out, err = w.searchAccessLog(f, false); err != nil {
			return err
		}
		return w.record(entry{actor: a, clientID: f.ClientID, kind: "access_log", action: records.ActionRead,
			purpose: records.PurposeAudit, rule: records.RuleAudit, outcome: records.OutcomeOK})
	})
	if err != nil {
		return nil, err // fail closed: no rows when the search could not be recorded
	}
	return out, nil
}

// ClientAccessLog is the client's view of who read their file, when and why,
// newest first (including their own reads), without the addresses requests
// came from. Reading it is recorded too.
// EFORBIDDEN (with a denied record) for anyone but the client.
func (s *Store) ClientAccessLog(ctx context.Context, a records.Actor, clientID string, beforeSeq int64, limit int) ([]records.AccessView, error) {
	return s.ClientAccessLogFilter(ctx, a, clientID, records.AccessFilter{BeforeSeq: beforeSeq, Limit: limit})
}

// ClientAccessLogFilter is ClientAccessLog narrowed by f (actor, time range,
// a user id left out, paging); f.ClientID is always the client's own.
// EFORBIDDEN (with a denied record) for anyone but the client.
func (s *Store) ClientAccessLogFilter(ctx context.Context, a records.Actor, clientID string, f records.AccessFilter) ([]records.AccessView, error) {
	if f.Limit <= 0 || f.Limit > maxPage {
		f.Limit = 100
	}
	f.ClientID, f.Kind, f.Action, f.Outcome, f.Rule = clientID, "", "", "", ""
	var out []records.AccessView
	var reasons breakGlassReasons
	spec := readSpec{actor: a, clientID: clientID, purpose: records.PurposeOwnFile, kind: "access_log", action: records.ActionRead,
		may: isClient, refusal: "only the client reads their own access log here"}
	err := s.readClient(ctx, spec, func(w *wtx, g grant, u *unsealing) ([]string, error) {
		var err error
		if out, err = w.searchAccessLog(f, true); err != nil {
			return nil, err
		}
		reasons, err = w.grantReasons(g, u, out)
		return nil, err
	})
	if err != nil {
		return nil, err // fail closed: no rows when the read could not be recorded
	}
	reasons.fill(out)
	// Where staff worked from is for the data officer, not for the client.
	for i := range out {
		out[i].Remote = ""
	}
	return out, nil
}

// breakGlassReasons are the reasons of break-the-glass grants, by grant id,
// opened by the gate after the commit, and when each grant ends.
type breakGlassReasons struct {
	reasons map[string]*string
	expires map[string]time.Time
	// keyed: the client's key was there (not shredded), so reasons are opened.
	keyed bool
}

// grantReasons queues the reasons of the break-the-glass grants that the
// views' records name, under g (the reader's grant on the client); nothing
// when none of them is a break-the-glass access, or when the client's key was
// shredded (the reasons are gone with it).
func (w *wtx) grantReasons(g grant, u *unsealing, views []records.AccessView) (breakGlassReasons, error) {
	r := breakGlassReasons{reasons: map[string]*string{}, expires: map[string]time.Time{}}
	wanted := map[string]bool{}
	for _, v := range views {
		if v.GrantID != "" {
			wanted[v.GrantID] = true
		}
	}
	if len(wanted) == 0 {
		return r, nil
	}
	if err := u.add(w, g); err != nil {
		if records.ErrorCode(err) == records.EDESTROYED {
			return breakGlassReasons{}, nil
		}
		return r, err
	}
	r.keyed = true
	rows, err := w.query(`SELECT id, reason_sealed, expires_at FROM break_glass WHERE client_id = ?`, g.clientID)
	if err != nil {
		return r, internal("grants", err)
	}
	defer rows.Close()
	var fields []sealedField
	for rows.Next() {
		var id string
		var reason []byte
		var exp int64
		if err := rows.Scan(&id, &reason, &exp); err != nil {
			return r, internal("grants", err)
		}
		if wanted[id] && reason != nil {
			dst := new(string)
			r.reasons[id], r.expires[id] = dst, fromMS(exp)
			fields = append(fields, sealedField{"break_glass", "reason", id, reason, dst})
		}
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	return r, u.add(w, g, fields...)
}

// fill puts the opened reasons, and when the grants end, into the views.
func (r breakGlassReasons) fill(views []records.AccessView) {
	for i := range views {
		if reason, ok := r.reasons[views[i].GrantID]; ok {
			exp := r.expires[views[i].GrantID]
			views[i].BreakGlassReason, views[i].BreakGlassExpires = *reason, &exp
		}
	}
}

func validAction(a records.Action) bool {
	switch a {
	case records.ActionRead, records.ActionCreate, records.ActionCorrect, records.ActionExport, records.ActionDestroy,
		records.ActionChange, records.ActionGrant, records.ActionRevoke, records.ActionSignIn, records.ActionSignOut:
		return true
	}
	return false
}

// validKind: a record kind is a short code of lower-case letters and
// underscores; anything else cannot be in the log.
func validKind(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	for _, r := range k {
		if (r < 'a' || r > 'z') && r != '_' {
			return false
		}
	}
	return true
}

// teamGrantsOfClientSQL matches, for client ?, the team memberships of a team
// that holds (or held) the client's caseload: such a membership gives access
// to the client's file, though it is recorded with no client (record ids
// "team,member").
const teamGrantsOfClientSQL = `(l.client_id = '' AND l.record_kind = 'team' AND l.action IN ('grant', 'revoke')
	AND instr(l.record_ids, ',') > 0
	AND substr(l.record_ids, 1, instr(l.record_ids, ',') - 1) IN (SELECT team_id FROM caseload WHERE client_id = ? AND team_id IS NOT NULL))`

// searchAccessLog finds the records of f, newest first. withTeams adds, for
// f.ClientID, the team memberships that gave access to that client's file.
//
// The client's own records and the team memberships are two queries, merged
// here: one query with an OR between them cannot walk the client's index in
// order, and would sort every record of a long file on each page.
func (w *wtx) searchAccessLog(f records.AccessFilter, withTeams bool) ([]records.AccessView, error) {
	out, err := w.searchAccessRecords(f, f.ClientID != "")
	if err != nil || !withTeams || f.ClientID == "" {
		if err != nil {
			return nil, err
		}
		return out, w.nameSubjects(out)
	}
	teams, err := w.searchAccessRecords(f, false)
	if err != nil {
		return nil, err
	}
	if len(teams) > 0 {
		out = append(out, teams...)
		sort.Slice(out, func(i, j int) bool { return out[i].Seq > out[j].Seq })
		if len(out) > f.Limit {
			out = out[:f.Limit]
		}
	}
	return out, w.nameSubjects(out)
}

// searchAccessRecords runs one query of searchAccessLog: with own set, the
// records that name f.ClientID; without, the team memberships that opened
// that client's file (or every record, when f names no client).
func (w *wtx) searchAccessRecords(f records.AccessFilter, own bool) ([]records.AccessView, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	switch {
	case f.ClientID != "" && own:
		add("l.client_id = ?", f.ClientID)
	case f.ClientID != "":
		add(teamGrantsOfClientSQL, f.ClientID)
	}
	if f.Kind != "" {
		add("l.record_kind = ?", f.Kind)
	}
	if f.Actor != "" {
		add("u.username = ?", strings.ToLower(f.Actor))
	}
	if f.ExceptReadsBy != "" {
		add("NOT (l.actor_id = ? AND l.action IN ('read', 'export'))", f.ExceptReadsBy)
	}
	if f.Action != "" {
		add("l.action = ?", string(f.Action))
	}
	if f.Outcome != "" {
		add("l.outcome = ?", string(f.Outcome))
	}
	if f.Rule != "" {
		add("l.rule = ?", string(f.Rule))
	}
	if !f.From.IsZero() {
		add("l.at >= ?", ms(f.From))
	}
	if !f.To.IsZero() {
		add("l.at < ?", ms(f.To))
	}
	if f.BeforeSeq > 0 {
		add("l.seq < ?", f.BeforeSeq)
	}
	q := `SELECT l.seq, l.id, l.at, l.actor_id, l.actor_role, l.client_id, l.record_kind, l.record_ids,
		l.action, l.purpose, l.rule, l.grant_id, l.remote, l.outcome, l.prev_hash, l.hash,
		COALESCE(u.username, l.actor_id), COALESCE(u.display_name, '')
		FROM access_log l LEFT JOIN users u ON u.id = l.actor_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY l.seq DESC LIMIT %d", f.Limit)
	rows, err := w.query(q, args...)
	if err != nil {
		return nil, internal("access log", err)
	}
	defer rows.Close()
	out := []records.AccessView{}
	for rows.Next() {
		var v records.AccessView
		r, err := scanAccessRecord(scanPrefix{rows, []any{&v.ActorUsername, &v.ActorName}})
		if err != nil {
			return nil, internal("access log", err)
		}
		v.AccessRecord = r
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("access log", err)
	}
	return out, nil
}

// nameSubjects fills in, for caseload assignments and team memberships, the
// staff account given or losing access and the team, by their current names.
func (w *wtx) nameSubjects(views []records.AccessView) error {
	type name struct{ username, display string }
	users, teams := map[string]*name{}, map[string]*name{}
	lookup := func(cache map[string]*name, q, id string) (*name, error) {
		if n, ok := cache[id]; ok {
			return n, nil
		}
		n := &name{}
		err := w.queryRow(q, id).Scan(&n.username, &n.display)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, internal("access log", err)
		}
		cache[id] = n
		return n, nil
	}
	const userQ, teamQ = `SELECT username, display_name FROM users WHERE id = ?`, `SELECT '', name FROM teams WHERE id = ?`
	for i := range views {
		v := &views[i]
		if len(v.RecordIDs) != 2 {
			continue
		}
		switch v.RecordKind {
		case records.KindCaseload: // assignment, then the professional or the team
			u, err := lookup(users, userQ, v.RecordIDs[1])
			if err != nil {
				return err
			}
			if u.username != "" {
				v.SubjectUsername, v.SubjectName = u.username, u.display
				continue
			}
			t, err := lookup(teams, teamQ, v.RecordIDs[1])
			if err != nil {
				return err
			}
			v.TeamName = t.display
		case records.KindTeam: // team, then the member
			t, err := lookup(teams, teamQ, v.RecordIDs[0])
			if err != nil {
				return err
			}
			u, err := lookup(users, userQ, v.RecordIDs[1])
			if err != nil {
				return err
			}
			v.TeamName, v.SubjectUsername, v.SubjectName = t.display, u.username, u.display
		}
	}
	return nil
}

// scanPrefix scans the access-record columns followed by extra columns.
type scanPrefix struct {
	rows  *sql.Rows
	extra []any
}

func (p scanPrefix) Scan(dest ...any) error { return p.rows.Scan(append(dest, p.extra...)...) }
