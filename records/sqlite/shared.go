package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/nabij/nabij/records"
)

// The state instances share (records.Shared), on the tables of migration
// 00015. Each method is one write; every statement is a single conditional
// INSERT … ON CONFLICT … DO UPDATE … WHERE or UPDATE … WHERE, so that on
// PostgreSQL too two instances deciding at once cannot both win: the row is
// locked by the first statement that changes it until its transaction ends.

// ThrottleAttempt starts an attempt for each key in order (records.Shared).
func (s *Store) ThrottleAttempt(ctx context.Context, now time.Time, keys ...records.ThrottleKey) (time.Duration, error) {
	for _, k := range keys {
		if k.Key == "" {
			return 0, invalid("key", "a throttling key is empty")
		}
	}
	var wait time.Duration
	err := s.write(ctx, func(w *wtx) error {
		forget := time.Duration(0)
		for _, k := range keys {
			forget = max(forget, k.Rule.Forget)
		}
		if _, err := w.exec(`DELETE FROM throttle WHERE last_at < ?`, ms(now.Add(-forget))); err != nil {
			return internal("throttle", err)
		}
		for i, k := range keys {
			wt, err := w.throttleAttempt(k, now)
			if err != nil {
				return err
			}
			if wt > 0 {
				// The keys before this one counted the attempt: give it back.
				for _, done := range keys[:i] {
					if err := w.throttleForgive(done); err != nil {
						return err
					}
				}
				wait = wt
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return wait, nil
}

// throttleAttempt counts one failure for the key at now unless it must wait,
// and returns the wait (0 when the failure was counted).
func (w *wtx) throttleAttempt(k records.ThrottleKey, now time.Time) (time.Duration, error) {
	fresh := ms(now.Add(-k.Rule.Forget)) // a failure older than this is forgotten
	var failures int
	err := w.queryRow(`INSERT INTO throttle (key, failures, last_at, until_at) VALUES (?, 1, ?, 0)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN throttle.last_at < ? THEN 1 ELSE throttle.failures + 1 END,
			until_at = CASE WHEN throttle.last_at < ? THEN 0 ELSE throttle.until_at END,
			last_at = excluded.last_at
		WHERE throttle.last_at < ? OR throttle.until_at <= ?
		RETURNING failures`,
		k.Key, ms(now), fresh, fresh, fresh, ms(now)).Scan(&failures)
	if errors.Is(err, sql.ErrNoRows) {
		// Not counted: a wait is running.
		var until int64
		if err := w.queryRow(`SELECT until_at FROM throttle WHERE key = ?`, k.Key).Scan(&until); err != nil {
			return 0, internal("throttle", err)
		}
		return max(fromMS(until).Sub(now), time.Millisecond), nil
	}
	if err != nil {
		return 0, internal("throttle", err)
	}
	if d := k.Rule.Delay(failures); d > 0 {
		if _, err := w.exec(`UPDATE throttle SET until_at = ? WHERE key = ?`, ms(now.Add(d)), k.Key); err != nil {
			return 0, internal("throttle", err)
		}
	}
	return 0, nil
}

// ThrottleForgive gives back one attempt per key (records.Shared).
func (s *Store) ThrottleForgive(ctx context.Context, keys ...records.ThrottleKey) error {
	return s.write(ctx, func(w *wtx) error {
		for _, k := range keys {
			if err := w.throttleForgive(k); err != nil {
				return err
			}
		}
		return nil
	})
}

func (w *wtx) throttleForgive(k records.ThrottleKey) error {
	if _, err := w.exec(`UPDATE throttle SET failures = failures - 1,
		until_at = CASE WHEN failures - 1 <= ? THEN 0 ELSE until_at END WHERE key = ?`, k.Rule.Free, k.Key); err != nil {
		return internal("throttle", err)
	}
	if _, err := w.exec(`DELETE FROM throttle WHERE key = ? AND failures <= 0`, k.Key); err != nil {
		return internal("throttle", err)
	}
	return nil
}

// ThrottleReset forgets the keys' failures (records.Shared).
func (s *Store) ThrottleReset(ctx context.Context, keys ...records.ThrottleKey) error {
	return s.write(ctx, func(w *wtx) error {
		for _, k := range keys {
			if _, err := w.exec(`DELETE FROM throttle WHERE key = ?`, k.Key); err != nil {
				return internal("throttle", err)
			}
		}
		return nil
	})
}

// TakeTurn gives holder the turn until until when it is free (records.Shared).
func (s *Store) TakeTurn(ctx context.Context, name, holder string, now, until time.Time) error {
	switch {
	case name == "":
		return invalid("name", "a turn needs a name")
	case holder == "":
		return invalid("holder", "a turn needs a holder")
	case !until.After(now):
		return invalid("until", "a turn must end after it starts")
	}
	return s.write(ctx, func(w *wtx) error {
		taken, err := w.changedOne("turn", `INSERT INTO turns (name, holder, taken_at, until_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, taken_at = excluded.taken_at, until_at = excluded.until_at
			WHERE turns.until_at <= ? OR turns.holder = excluded.holder`,
			name, holder, ms(now), ms(until), ms(now))
		if err == nil && !taken {
			return conflict("another instance has the turn %q", name)
		}
		return err
	})
}

// Turn returns the turn as last taken (records.Shared).
func (s *Store) Turn(ctx context.Context, name string) (*records.Turn, error) {
	t := &records.Turn{Name: name}
	var taken, until int64
	err := s.r.QueryRowContext(ctx, `SELECT holder, taken_at, until_at FROM turns WHERE name = ?`, name).Scan(&t.Holder, &taken, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("turn")
	}
	if err != nil {
		return nil, internal("turn", err)
	}
	t.TakenAt, t.Until = fromMS(taken), fromMS(until)
	return t, nil
}

// EndTurn sets the end of holder's turn (records.Shared).
func (s *Store) EndTurn(ctx context.Context, name, holder string, until time.Time) error {
	return s.write(ctx, func(w *wtx) error {
		ended, err := w.changedOne("turn", `UPDATE turns SET until_at = ? WHERE name = ? AND holder = ?`, ms(until), name, holder)
		if err == nil && !ended {
			return conflict("the turn %q is not held by this instance", name)
		}
		return err
	})
}

// UseTOTPStep records a used TOTP step if it is later than the last one (records.Shared).
func (s *Store) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	var ok bool
	err := s.write(ctx, func(w *wtx) error {
		var err error
		ok, err = w.changedOne("totp step", `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
		return err
	})
	return ok, err
}

// changedOne runs a statement that changes at most one row and reports
// whether it changed one: whether a conditional write of shared state won.
// Errors are EINTERNAL about what.
func (w *wtx) changedOne(what, query string, args ...any) (bool, error) {
	res, err := w.exec(query, args...)
	if err != nil {
		return false, internal(what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, internal(what, err)
	}
	return n == 1, nil
}
