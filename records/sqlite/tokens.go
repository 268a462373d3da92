package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"time"

	"github.com/nabij/nabij/records"
)

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// StoreRefreshToken keeps a new token (by hash) in a family; family "" starts one,
// and with it a session of the same id. The token expires at the latest when its
// session reaches records.SessionLifetime.
// Returns EINTERNAL when the token cannot be stored; ENOTFOUND when family names
// no active session.
func (s *Store) StoreRefreshToken(ctx context.Context, userID, family, token string, ttl time.Duration) (*records.RefreshToken, error) {
	t := &records.RefreshToken{ID: newID(), Family: family, UserID: userID}
	err := s.write(ctx, func(w *wtx) error {
		created := w.now
		if t.Family == "" {
			t.Family = newID()
			if _, err := w.exec(`INSERT INTO sessions (id, user_id, created_at) VALUES (?,?,?)`, t.Family, userID, ms(w.now)); err != nil {
				return internal("session", err)
			}
		} else {
			sess, err := w.session(t.Family)
			if err != nil {
				return err
			}
			if sess.UserID != userID || !sess.Active(w.now) {
				return notFound("session")
			}
			created = sess.CreatedAt
		}
		t.ExpiresAt = tokenExpiry(w.now, ttl, created)
		_, err := w.exec(`INSERT INTO refresh_tokens (id, family, user_id, token_hash, issued_at, expires_at) VALUES (?,?,?,?,?,?)`,
			t.ID, t.Family, userID, tokenHash(token), ms(w.now), ms(t.ExpiresAt))
		if err != nil {
			return internal("refresh token", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// tokenExpiry is now+ttl, but never past the end of a session created at created.
func tokenExpiry(now time.Time, ttl time.Duration, created time.Time) time.Time {
	exp := now.Add(ttl)
	if end := created.Add(records.SessionLifetime); exp.After(end) {
		return end
	}
	return exp
}

// session reads a session inside a write. ENOTFOUND when there is none.
func (w *wtx) session(id string) (*records.Session, error) {
	return scanSession(w.queryRow(sessionQuery, id))
}

const sessionQuery = `SELECT id, user_id, created_at, ended_at FROM sessions WHERE id = ?`

// scanSession reads one row of sessionQuery. ENOTFOUND when there is none.
func scanSession(row *sql.Row) (*records.Session, error) {
	var sess records.Session
	var created int64
	var ended sql.NullInt64
	err := row.Scan(&sess.ID, &sess.UserID, &created, &ended)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("session")
	}
	if err != nil {
		return nil, internal("session", err)
	}
	sess.CreatedAt = fromMS(created)
	if ended.Valid {
		e := fromMS(ended.Int64)
		sess.EndedAt = &e
	}
	return &sess, nil
}

// endSession ends the session (if still open) and revokes its refresh tokens.
func (w *wtx) endSession(id string) error {
	if _, err := w.exec(`UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL`, ms(w.now), id); err != nil {
		return internal("session", err)
	}
	if _, err := w.exec(`UPDATE refresh_tokens SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL`, ms(w.now), id); err != nil {
		return internal("revoke", err)
	}
	return nil
}

// Session returns a session by id, ended or not. ENOTFOUND when there is none.
func (s *Store) Session(ctx context.Context, id string) (*records.Session, error) {
	return scanSession(s.r.QueryRowContext(ctx, sessionQuery, id))
}

// EndSession ends a session and revokes its refresh tokens. An unknown or
// ended session is not an error.
func (s *Store) EndSession(ctx context.Context, id string) error {
	return s.write(ctx, func(w *wtx) error { return w.endSession(id) })
}

// RotateRefreshToken marks the presented token used and stores next in its family,
// in one transaction. ENOTFOUND for an unknown, expired or revoked token;
// ErrTokenReused (and the family revoked) for a token used before, unless it
// was rotated to next itself within records.RotationGrace (then that token
// again); EFORBIDDEN for a disabled account.
func (s *Store) RotateRefreshToken(ctx context.Context, presented, next string, ttl time.Duration) (*records.RefreshToken, error) {
	var out *records.RefreshToken
	err := s.write(ctx, func(w *wtx) error {
		var id, family, userID string
		var expires int64
		var used, revoked sql.NullInt64
		var disabled bool
		err := w.queryRow(`SELECT t.id, t.family, t.user_id, t.expires_at, t.used_at, t.revoked_at, u.disabled
			FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, tokenHash(presented)).
			Scan(&id, &family, &userID, &expires, &used, &revoked, &disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("refresh token")
		}
		if err != nil {
			return internal("refresh", err)
		}
		if revoked.Valid {
			return notFound("refresh token")
		}
		var again *records.RefreshToken // the successor, when presented again within the grace
		if used.Valid {
			if ms(w.now)-used.Int64 <= records.RotationGrace.Milliseconds() {
				if again, err = w.successor(family, userID, next); err != nil {
					return err
				}
			}
			if again == nil {
				if err := w.endSession(family); err != nil {
					return err
				}
				w.keep = true // the revocation must stay although the request fails
				return records.ErrTokenReused
			}
		}
		sess, err := w.session(family)
		if err != nil {
			return err // a family from before sessions: sign in again
		}
		if sess.EndedAt != nil {
			return notFound("refresh token")
		}
		if !sess.Active(w.now) {
			return records.ErrSessionOver
		}
		if expires <= ms(w.now) {
			return notFound("refresh token")
		}
		if disabled {
			return forbidden("this account is disabled")
		}
		if again != nil {
			out = again
			return nil
		}
		if _, err := w.exec(`UPDATE refresh_tokens SET used_at = ? WHERE id = ?`, ms(w.now), id); err != nil {
			return internal("refresh", err)
		}
		out = &records.RefreshToken{ID: newID(), Family: family, UserID: userID, ExpiresAt: tokenExpiry(w.now, ttl, sess.CreatedAt)}
		_, err = w.exec(`INSERT INTO refresh_tokens (id, family, user_id, token_hash, issued_at, expires_at) VALUES (?,?,?,?,?,?)`,
			out.ID, family, userID, tokenHash(next), ms(w.now), ms(out.ExpiresAt))
		if err != nil {
			return internal("refresh", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// successor returns the token of the family whose hash is next's, if it is
// neither revoked nor expired; nil when there is none.
func (w *wtx) successor(family, userID, next string) (*records.RefreshToken, error) {
	t := &records.RefreshToken{Family: family, UserID: userID}
	var expires int64
	err := w.queryRow(`SELECT id, expires_at FROM refresh_tokens
		WHERE family = ? AND token_hash = ? AND revoked_at IS NULL AND expires_at > ?`,
		family, tokenHash(next), ms(w.now)).Scan(&t.ID, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, internal("refresh", err)
	}
	t.ExpiresAt = fromMS(expires)
	return t, nil
}

// RevokeRefreshFamily revokes every token of the family the presented token is
// in and ends its session (sign-out). An unknown token is not an error: sign-out
// always succeeds.
func (s *Store) RevokeRefreshFamily(ctx context.Context, presented string) error {
	return s.write(ctx, func(w *wtx) error {
		var family string
		err := w.queryRow(`SELECT family FROM refresh_tokens WHERE token_hash = ?`, tokenHash(presented)).Scan(&family)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return internal("revoke", err)
		}
		return w.endSession(family)
	})
}

// ActiveRefreshToken returns the user of a stored refresh token that is neither
// expired nor revoked (it may have been used), in a session that is still
// active. ENOTFOUND otherwise.
func (s *Store) ActiveRefreshToken(ctx context.Context, token string) (string, error) {
	var userID string
	now := s.now()
	err := s.r.QueryRowContext(ctx, `SELECT t.user_id FROM refresh_tokens t JOIN sessions s ON s.id = t.family
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND s.ended_at IS NULL AND s.created_at > ?`,
		tokenHash(token), ms(now), ms(now.Add(-records.SessionLifetime))).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("refresh token")
	}
	if err != nil {
		return "", internal("refresh token", err)
	}
	return userID, nil
}
