package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

// systemKeyID names the data key that seals secrets of accounts (TOTP seeds): they
// belong to no client, so they get a key of their own, wrapped like any other.
const systemKeyID = "system:accounts"

// systemSealer returns the sealer for account secrets, creating its key on first use.
// The wrapped key lives in settings, as client_keys rows belong to clients.
func (w *wtx) systemSealer() (sealer, error) {
	if dk := w.s.keys.get(systemKeyID); dk != nil {
		return sealer{dk: dk, clientID: systemKeyID, version: 1}, nil
	}
	var v string
	err := w.queryRow(`SELECT value FROM settings WHERE key = 'system_key'`).Scan(&v)
	var dk *crypto.DataKey
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if dk, err = crypto.NewDataKey(); err != nil {
			return sealer{}, internal("system key", err)
		}
		wrapped, version, err := w.s.kr.Wrap(systemKeyID, dk)
		if err != nil {
			return sealer{}, internal("system key", err)
		}
		if _, err := w.exec(`INSERT INTO settings (key, value) VALUES ('system_key', ?)`,
			itoa(version)+":"+base64.StdEncoding.EncodeToString(wrapped)); err != nil {
			return sealer{}, internal("system key", err)
		}
	case err != nil:
		return sealer{}, internal("system key", err)
	default:
		vs, b64, _ := strings.Cut(v, ":")
		version, err := strconv.Atoi(vs)
		if err != nil {
			return sealer{}, internal("system key", err)
		}
		wrapped, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return sealer{}, internal("system key", err)
		}
		if dk, err = w.s.kr.Unwrap(systemKeyID, wrapped, version); err != nil {
			return sealer{}, internal("system key", err)
		}
	}
	w.s.keys.put(systemKeyID, dk)
	return sealer{dk: dk, clientID: systemKeyID, version: 1}, nil
}

// SetTOTP stores an account's TOTP secret, sealed, and whether it is confirmed
// (enabled). A secret of "" removes the second factor.
// ENOTFOUND when there is no such user.
func (s *Store) SetTOTP(ctx context.Context, userID, secret string, enabled bool) error {
	return s.write(ctx, func(w *wtx) error {
		var sealed []byte
		if secret != "" {
			sl, err := w.systemSealer()
			if err != nil {
				return err
			}
			sealed = sl.seal("users", "totp", userID, secret)
		}
		owner, err := w.accountOwner(userID)
		if err != nil {
			return err
		}
		if _, err := w.exec(`UPDATE users SET totp_sealed = ?, totp_enabled = ? WHERE id = ?`, sealed, enabled && secret != "", userID); err != nil {
			return internal("totp", err)
		}
		// Recorded on every step (a secret issued, confirmed, or removed);
		// the secret itself never is.
		return w.record(ownAccountEvent(owner, records.KindTOTP, records.ActionChange, records.OutcomeOK))
	})
}

// TOTPSecret returns an account's TOTP secret ("" when none) for checking a code.
// ENOTFOUND when there is no such user; EINTERNAL when the secret cannot be
// opened (no secret then).
func (s *Store) TOTPSecret(ctx context.Context, userID string) (string, error) {
	var secret string
	err := s.gate(ctx, func(w *wtx, u *unsealing) error {
		var sealed []byte
		if err := w.queryRow(`SELECT totp_sealed FROM users WHERE id = ?`, userID).Scan(&sealed); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("user")
			}
			return internal("totp", err)
		}
		if sealed == nil {
			return nil
		}
		return u.addAccount(w, sealedField{"users", "totp", userID, sealed, &secret})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// rewrapSystemKey re-wraps the account-secrets key under the active master key.
func (w *wtx) rewrapSystemKey() error {
	var v string
	err := w.queryRow(`SELECT value FROM settings WHERE key = 'system_key'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return internal("system key", err)
	}
	w.s.keys.evict(systemKeyID)
	sl, err := w.systemSealer()
	if err != nil {
		return err
	}
	wrapped, version, err := w.s.kr.Wrap(systemKeyID, sl.dk)
	if err != nil {
		return internal("system key", err)
	}
	_, err = w.exec(`UPDATE settings SET value = ? WHERE key = 'system_key'`, itoa(version)+":"+base64.StdEncoding.EncodeToString(wrapped))
	if err != nil {
		return internal("system key", err)
	}
	return nil
}
