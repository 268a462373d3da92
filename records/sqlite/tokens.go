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

// StoreRefreshToken keeps a new token (by hash) in a family; family "" starts one.
// Returns EINTERNAL when the token cannot be stored.
func (s *Store) StoreRefreshToken(ctx context.Context, userID, family, token string, ttl time.Duration) (*records.RefreshToken, error) {
	t := &records.RefreshToken{ID: newID(), Family: family, UserID: userID}
	if t.Family == "" {
		t.Family = newID()
	}
	err := s.write(ctx, func(w *wtx) error {
		t.ExpiresAt = w.now.Add(ttl)
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

// RotateRefreshToken marks the presented token used and stores next in its family,
// in one transaction. ENOTFOUND for an unknown, expired or revoked token;
// ErrTokenReused (and the family revoked) for a token used before; EFORBIDDEN for
// a disabled account.
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
		if revoked.Valid || expires <= ms(w.now) {
			return notFound("refresh token")
		}
		if used.Valid {
			if _, err := w.exec(`UPDATE refresh_tokens SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL`, ms(w.now), family); err != nil {
				return internal("refresh", err)
			}
			w.keep = true // the revocation must stay although the request fails
			return records.ErrTokenReused
		}
		if disabled {
			return forbidden("this account is disabled")
		}
		if _, err := w.exec(`UPDATE refresh_tokens SET used_at = ? WHERE id = ?`, ms(w.now), id); err != nil {
			return internal("refresh", err)
		}
		out = &records.RefreshToken{ID: newID(), Family: family, UserID: userID, ExpiresAt: w.now.Add(ttl)}
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

// RevokeRefreshFamily revokes every token of the family the presented token is
// in (sign-out). An unknown token is not an error: sign-out always succeeds.
func (s *Store) RevokeRefreshFamily(ctx context.Context, presented string) error {
	return s.write(ctx, func(w *wtx) error {
		_, err := w.exec(`UPDATE refresh_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND family =
			(SELECT family FROM refresh_tokens WHERE token_hash = ?)`, ms(w.now), tokenHash(presented))
		if err != nil {
			return internal("revoke", err)
		}
		return nil
	})
}

// ActiveRefreshToken returns the user of a stored refresh token that is neither
// expired nor revoked (it may have been used). ENOTFOUND otherwise.
func (s *Store) ActiveRefreshToken(ctx context.Context, token string) (string, error) {
	var userID string
	err := s.r.QueryRowContext(ctx, `SELECT user_id FROM refresh_tokens
		WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`, tokenHash(token), ms(s.now())).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("refresh token")
	}
	if err != nil {
		return "", internal("refresh token", err)
	}
	return userID, nil
}
