package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/nabij/nabij/records"
)

func requireAdmin(a records.Actor) error {
	if !administers(a) {
		return forbidden("only admins manage teams and caseloads")
	}
	return nil
}

// CreateTeam adds a team. ECONFLICT when the name is taken.
func (s *Store) CreateTeam(ctx context.Context, a records.Actor, name string) (*records.Team, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, invalid("name", "name is required")
	}
	if err := records.CheckText("name", name, 100); err != nil {
		return nil, err
	}
	t := &records.Team{ID: newID(), Name: name, MemberIDs: []string{}}
	err := s.write(ctx, func(w *wtx) error {
		var taken bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM teams WHERE name = ?)`, name).Scan(&taken); err != nil {
			return internal("team", err)
		}
		if taken {
			return conflict("a team named %s exists", name)
		}
		t.CreatedAt = fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO teams (id, name, created_at) VALUES (?,?,?)`, t.ID, name, ms(w.now)); err != nil {
			return internal("team", err)
		}
		return w.record(adminEvent(a, "", records.KindTeam, []string{t.ID}, records.ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// AddTeamMember adds a professional to a team. EINVALID when the user is not a
// professional; ENOTFOUND when the team does not exist.
func (s *Store) AddTeamMember(ctx context.Context, a records.Actor, teamID, userID string) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	return s.write(ctx, func(w *wtx) error {
		var team, pro bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM teams WHERE id = ?), EXISTS(SELECT 1 FROM users WHERE id = ? AND role = 'professional')`,
			teamID, userID).Scan(&team, &pro); err != nil {
			return internal("team member", err)
		}
		if !team {
			return notFound("team")
		}
		if !pro {
			return invalid("user_id", "only professionals join teams")
		}
		res, err := w.exec(`INSERT INTO team_members (team_id, user_id) VALUES (?,?) ON CONFLICT DO NOTHING`, teamID, userID)
		if err != nil {
			return internal("team member", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // a member already: no access given
		}
		// A membership opens every file on the team's caseload, so it concerns
		// no single client: recorded with no client, as team then member, and
		// each client finds it through the team's caseload.
		return w.record(adminEvent(a, "", records.KindTeam, []string{teamID, userID}, records.ActionGrant))
	})
}

// Teams lists teams with their members.
// EFORBIDDEN for anyone but admins.
func (s *Store) Teams(ctx context.Context, a records.Actor) ([]records.Team, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT t.id, t.name, t.created_at, COALESCE(m.user_id, '') FROM teams t
		LEFT JOIN team_members m ON m.team_id = t.id ORDER BY t.name, m.user_id`)
	if err != nil {
		return nil, internal("teams", err)
	}
	defer rows.Close()
	out := []records.Team{}
	for rows.Next() {
		var id, name, member string
		var created int64
		if err := rows.Scan(&id, &name, &created, &member); err != nil {
			return nil, internal("teams", err)
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, records.Team{ID: id, Name: name, CreatedAt: fromMS(created), MemberIDs: []string{}})
		}
		if member != "" {
			out[len(out)-1].MemberIDs = append(out[len(out)-1].MemberIDs, member)
		}
	}
	return out, rows.Err()
}

// Assign puts a client on the caseload of a professional (userID) or a team
// (teamID). It names the client by id only: admins read no client data.
// EINVALID for a bad target; ENOTFOUND when the client does not exist.
func (s *Store) Assign(ctx context.Context, a records.Actor, clientID, userID, teamID string) (*records.Assignment, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	if (userID == "") == (teamID == "") {
		return nil, invalid("user_id", "give either user_id or team_id")
	}
	as := &records.Assignment{ID: newID(), ClientID: clientID, UserID: userID, TeamID: teamID}
	err := s.write(ctx, func(w *wtx) error {
		if !w.clientExists(clientID) {
			return notFound("client")
		}
		var ok bool
		var err error
		if userID != "" {
			err = w.queryRow(`SELECT EXISTS(SELECT 1 FROM users WHERE id = ? AND role = 'professional' AND disabled = 0)`, userID).Scan(&ok)
		} else {
			err = w.queryRow(`SELECT EXISTS(SELECT 1 FROM teams WHERE id = ?)`, teamID).Scan(&ok)
		}
		if err != nil {
			return internal("assign", err)
		}
		if !ok {
			if userID != "" {
				return invalid("user_id", "user_id must be an active professional")
			}
			return invalid("team_id", "no such team")
		}
		as.From = fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO caseload (id, client_id, user_id, team_id, from_at) VALUES (?,?,?,?,?)`,
			as.ID, clientID, nullString(userID), nullString(teamID), ms(w.now)); err != nil {
			return internal("assign", err)
		}
		// The assignment, then whom it gives access: the professional or the team.
		return w.record(adminEvent(a, clientID, records.KindCaseload, []string{as.ID, userID + teamID}, records.ActionGrant))
	})
	if err != nil {
		return nil, err
	}
	return as, nil
}

// EndAssignment ends a caseload assignment now; history stays.
// ENOTFOUND when there is no open assignment with that id.
func (s *Store) EndAssignment(ctx context.Context, a records.Actor, id string) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	return s.write(ctx, func(w *wtx) error {
		var clientID, holder string
		err := w.queryRow(`SELECT client_id, COALESCE(user_id, '') || COALESCE(team_id, '') FROM caseload WHERE id = ? AND to_at IS NULL`, id).Scan(&clientID, &holder)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("assignment")
		}
		if err != nil {
			return internal("end assignment", err)
		}
		if _, err := w.exec(`UPDATE caseload SET to_at = ? WHERE id = ? AND to_at IS NULL`, ms(w.now), id); err != nil {
			return internal("end assignment", err)
		}
		return w.record(adminEvent(a, clientID, records.KindCaseload, []string{id, holder}, records.ActionRevoke))
	})
}

// Assignments lists caseload assignments (ids and dates only), newest first.
// EFORBIDDEN for anyone but admins.
func (s *Store) Assignments(ctx context.Context, a records.Actor) ([]records.Assignment, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, client_id, COALESCE(user_id, ''), COALESCE(team_id, ''), from_at, to_at
		FROM caseload ORDER BY from_at DESC, id`)
	if err != nil {
		return nil, internal("assignments", err)
	}
	defer rows.Close()
	out := []records.Assignment{}
	for rows.Next() {
		var as records.Assignment
		var from int64
		var to sql.NullInt64
		if err := rows.Scan(&as.ID, &as.ClientID, &as.UserID, &as.TeamID, &from, &to); err != nil {
			return nil, internal("assignments", err)
		}
		as.From, as.To = fromMS(from), fromNullMS(to)
		out = append(out, as)
	}
	return out, rows.Err()
}
