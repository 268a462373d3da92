package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

const maxPage = 500

// AccessLog searches the access log for the data officer, newest first. The
// search itself is recorded (purpose audit). EFORBIDDEN for other roles.
func (s *Store) AccessLog(ctx context.Context, a records.Actor, f records.AccessFilter) ([]records.AccessView, error) {
	if a.Role != records.RoleDataOfficer {
		return nil, forbidden("only the data officer searches the access log")
	}
	if f.Limit <= 0 || f.Limit > maxPage {
		f.Limit = 100
	}
	if f.Action != "" && !validAction(f.Action) {
		return nil, invalid("action", "unknown action %q", f.Action)
	}
	var out []records.AccessView
	err := s.write(ctx, func(w *wtx) error {
		var err error
		if out, err = w.searchAccessLog(f); err != nil {
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
// newest first (including their own reads). Reading it is recorded too.
// EFORBIDDEN (with a denied record) for anyone but the client.
func (s *Store) ClientAccessLog(ctx context.Context, a records.Actor, clientID string, beforeSeq int64, limit int) ([]records.AccessView, error) {
	if limit <= 0 || limit > maxPage {
		limit = 100
	}
	var out []records.AccessView
	var grants sealedGrants
	err := s.write(ctx, func(w *wtx) error {
		if a.Role != records.RoleClient {
			return w.deny(entry{actor: a, clientID: clientID, kind: "access_log", action: records.ActionRead, purpose: records.PurposeOwnFile},
				"only the client reads their own access log here")
		}
		g, err := w.authorize(a, clientID, records.PurposeOwnFile, "access_log", records.ActionRead)
		if err != nil {
			return err
		}
		if out, err = w.searchAccessLog(records.AccessFilter{ClientID: clientID, BeforeSeq: beforeSeq, Limit: limit}); err != nil {
			return err
		}
		if grants, err = w.grantReasons(clientID, out); err != nil {
			return err
		}
		return w.record(g.entry("access_log", nil, records.ActionRead))
	})
	if err != nil {
		return nil, err // fail closed: no rows when the read could not be recorded
	}
	if err := grants.fill(out); err != nil {
		return nil, err
	}
	return out, nil
}

// sealedGrants are break-the-glass grants read inside a job, opened after it.
type sealedGrants struct {
	sl      sealer
	reasons map[string][]byte
	expires map[string]time.Time
}

// grantReasons reads the grants that the views' records name, with the client's
// sealer; nothing when none of them is a break-the-glass access.
func (w *wtx) grantReasons(clientID string, views []records.AccessView) (sealedGrants, error) {
	g := sealedGrants{reasons: map[string][]byte{}, expires: map[string]time.Time{}}
	for _, v := range views {
		if v.GrantID != "" {
			g.reasons[v.GrantID] = nil
		}
	}
	if len(g.reasons) == 0 {
		return g, nil
	}
	sl, err := w.sealerFor(clientID)
	if err != nil {
		if records.ErrorCode(err) == records.EDESTROYED {
			return sealedGrants{}, nil // shredded: the reasons are gone with the key
		}
		return g, err
	}
	g.sl = sl
	rows, err := w.query(`SELECT id, reason_sealed, expires_at FROM break_glass WHERE client_id = ?`, clientID)
	if err != nil {
		return g, internal("grants", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var reason []byte
		var exp int64
		if err := rows.Scan(&id, &reason, &exp); err != nil {
			return g, internal("grants", err)
		}
		if _, wanted := g.reasons[id]; wanted {
			g.reasons[id], g.expires[id] = reason, fromMS(exp)
		}
	}
	return g, rows.Err()
}

// fill opens the reasons into the views (after the commit, like every decryption).
func (g sealedGrants) fill(views []records.AccessView) error {
	if g.sl.dk == nil {
		return nil
	}
	opened := map[string]string{}
	for id, sealed := range g.reasons {
		if sealed == nil {
			continue
		}
		r, err := g.sl.open("break_glass", "reason", id, sealed)
		if err != nil {
			return err // fail closed
		}
		opened[id] = r
	}
	for i := range views {
		if r, ok := opened[views[i].GrantID]; ok {
			exp := g.expires[views[i].GrantID]
			views[i].BreakGlassReason, views[i].BreakGlassExpires = r, &exp
		}
	}
	return nil
}

func validAction(a records.Action) bool {
	switch a {
	case records.ActionRead, records.ActionCreate, records.ActionCorrect, records.ActionExport, records.ActionDestroy:
		return true
	}
	return false
}

func (w *wtx) searchAccessLog(f records.AccessFilter) ([]records.AccessView, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.ClientID != "" {
		add("l.client_id = ?", f.ClientID)
	}
	if f.Actor != "" {
		add("u.username = ?", strings.ToLower(f.Actor))
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
	return out, rows.Err()
}

// scanPrefix scans the access-record columns followed by extra columns.
type scanPrefix struct {
	rows  *sql.Rows
	extra []any
}

func (p scanPrefix) Scan(dest ...any) error { return p.rows.Scan(append(dest, p.extra...)...) }
