package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nabij/nabij/records"
)

// This file holds what staff who read no client data work with: case codes
// instead of ids.

// caseCodeDigits is how many digits a new case code starts with; after
// caseCodeTries collisions at one length the next length is tried, so codes
// stay short in a small organisation and never run out in a large one.
const (
	caseCodeDigits = 4
	caseCodeTries  = 8
)

// freshCaseCode draws a case code no client has. It runs on the single writer,
// so no other transaction can take the code before the insert; the unique
// index is the backstop.
func freshCaseCode(q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, ctx context.Context) (string, error) {
	for digits := caseCodeDigits; digits <= 9; digits++ {
		for range caseCodeTries {
			code := records.NewCaseCode(digits)
			var taken bool
			if err := q.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM clients WHERE case_code = ?)`, code).Scan(&taken); err != nil {
				return "", internal("case code", err)
			}
			if !taken {
				return code, nil
			}
		}
	}
	return "", internal("case code", errors.New("no free case code"))
}

// assignCaseCodes gives every client without a case code one: the clients
// that existed before case codes, right after the migration that added them.
func assignCaseCodes(db *sql.DB) error {
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id FROM clients WHERE case_code IS NULL ORDER BY created_at, id`)
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) == 0 {
		return nil
	}
	for _, id := range ids {
		code, err := freshCaseCode(tx, ctx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET case_code = ? WHERE id = ?`, code, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ClientCodes lists every client's case code, oldest file first: what the data
// officer and the admin pick clients by. No client data is read, so nothing is
// recorded. EFORBIDDEN for clients.
func (s *Store) ClientCodes(ctx context.Context, a records.Actor) ([]records.ClientCode, error) {
	if !isStaff(a) {
		return nil, forbidden("only staff list case codes")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, COALESCE(case_code, ''), created_at FROM clients ORDER BY case_code, id`)
	if err != nil {
		return nil, internal("case codes", err)
	}
	defer rows.Close()
	out := []records.ClientCode{}
	at := map[string]int{}
	for rows.Next() {
		c := records.ClientCode{Trajectories: []records.TrajectoryRef{}}
		var created int64
		if err := rows.Scan(&c.ClientID, &c.CaseCode, &created); err != nil {
			return nil, internal("case codes", err)
		}
		c.CreatedAt = fromMS(created)
		at[c.ClientID] = len(out)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("case codes", err)
	}
	rows.Close()
	trs, err := s.r.QueryContext(ctx, `SELECT id, client_id, opened_at, closed_at FROM trajectories ORDER BY client_id, opened_at, id`)
	if err != nil {
		return nil, internal("case codes", err)
	}
	defer trs.Close()
	for trs.Next() {
		var t records.TrajectoryRef
		var clientID string
		var opened int64
		var closed sql.NullInt64
		if err := trs.Scan(&t.ID, &clientID, &opened, &closed); err != nil {
			return nil, internal("case codes", err)
		}
		i, ok := at[clientID]
		if !ok {
			continue
		}
		t.OpenedAt, t.ClosedAt = fromMS(opened), fromNullMS(closed)
		t.Number = len(out[i].Trajectories) + 1
		out[i].Trajectories = append(out[i].Trajectories, t)
	}
	return out, trs.Err()
}

// ClientByCode finds the client a case code names (in any spelling
// NormalizeCaseCode accepts). EINVALID when it is no case code, ENOTFOUND when
// no client has it, EFORBIDDEN for clients.
func (s *Store) ClientByCode(ctx context.Context, a records.Actor, code string) (string, error) {
	if !isStaff(a) {
		return "", forbidden("only staff look up case codes")
	}
	c, ok := records.NormalizeCaseCode(code)
	if !ok {
		return "", invalid("case_code", "a case code looks like K-4821")
	}
	var id string
	err := s.r.QueryRowContext(ctx, `SELECT id FROM clients WHERE case_code = ?`, c).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("client")
	} else if err != nil {
		return "", internal("case code", err)
	}
	return id, nil
}
