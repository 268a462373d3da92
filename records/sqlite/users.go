package sqlite

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

// CreateUser adds an account. Admins add staff accounts; a client account is
// added by a professional who follows the client (an access record says so), or
// by nabij itself. EINVALID for a bad username or role, ECONFLICT when the
// username is taken or the client has an account already, EFORBIDDEN otherwise.
func (s *Store) CreateUser(ctx context.Context, a records.Actor, in records.NewUser) (*records.User, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	// A client account opens the client's file to whoever holds it, so only
	// someone who may read that file links it: the client's own professional
	// (recorded like any access) or nabij itself. Staff accounts are the admin's.
	switch {
	case a.IsSystem():
	case in.Role == records.RoleClient && !isProfessional(a):
		// An attempt at a key to someone's file is recorded against that client.
		return nil, s.write(ctx, func(w *wtx) error {
			return w.deny(entry{actor: a, clientID: in.ClientID, kind: "account", action: records.ActionCreate, purpose: purposeFor(a)},
				"a client account is made by a professional who follows the client")
		})
	case in.Role != records.RoleClient && !administers(a):
		return nil, forbidden("only admins manage staff accounts")
	}
	// Only nabij itself sets a password for someone (the operator's first
	// account, the demo logins); everyone else gets an activation code.
	if in.PasswordHash != "" && !a.IsSystem() {
		return nil, forbidden("nobody chooses another person's password; the account gets an activation code")
	}
	u := &records.User{ID: newID(), Username: in.Username, Role: in.Role, DisplayName: in.DisplayName, ClientID: in.ClientID, PasswordHash: in.PasswordHash}
	err := s.write(ctx, func(w *wtx) error {
		var g grant
		if in.Role == records.RoleClient && !a.IsSystem() {
			var err error
			if g, err = w.authorize(a, in.ClientID, records.PurposeCare, "account", records.ActionCreate); err != nil {
				return err
			}
			if err := w.noBreakGlass(g, "account", nil, records.ActionCreate); err != nil {
				return err
			}
		}
		var taken bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM users WHERE username = ?)`, u.Username).Scan(&taken); err != nil {
			return internal("create user", err)
		}
		if taken {
			return conflict("username %s is taken", u.Username)
		}
		if u.ClientID != "" {
			if !w.clientExists(u.ClientID) {
				return invalid("client_id", "no such client")
			}
			var has bool
			if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM users WHERE client_id = ?)`, u.ClientID).Scan(&has); err != nil {
				return internal("create user", err)
			}
			if has {
				return conflict("this client has an account already")
			}
		}
		u.CreatedAt = fromMS(ms(w.now))
		_, err := w.exec(`INSERT INTO users (id, username, role, display_name, password_hash, client_id, created_at) VALUES (?,?,?,?,?,?,?)`,
			u.ID, u.Username, string(u.Role), u.DisplayName, u.PasswordHash, nullString(u.ClientID), ms(w.now))
		if err != nil {
			return internal("create user", err)
		}
		if len(in.ActivationCodeHash) > 0 {
			u.ActivationPending = true
			if err := w.putActivationCode(a, u.ID, in.ActivationCodeHash); err != nil {
				return err
			}
		}
		if g.actor.UserID != "" {
			return w.record(g.entry(records.KindAccount, []string{u.ID}, records.ActionCreate))
		}
		// A staff account, or one nabij made itself: recorded against the
		// client it belongs to, if any, so that nobody gets a way into a file
		// without the client and the data officer seeing it.
		return w.record(adminEvent(a, u.ClientID, records.KindAccount, []string{u.ID}, records.ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

const userColumns = `id, username, role, display_name, password_hash, COALESCE(client_id, ''), totp_enabled, disabled, failed_logins, locked_until, created_at, team_lead, COALESCE(work_contact, '')`

func scanUser(sc interface{ Scan(...any) error }) (*records.User, error) {
	var u records.User
	var role string
	var locked sql.NullInt64
	var created int64
	if err := sc.Scan(&u.ID, &u.Username, &role, &u.DisplayName, &u.PasswordHash, &u.ClientID, &u.TOTPEnabled,
		&u.Disabled, &u.FailedLogins, &locked, &created, &u.TeamLead, &u.WorkContact); err != nil {
		return nil, err
	}
	u.Role, u.LockedUntil, u.CreatedAt = records.Role(role), fromNullMS(locked), fromMS(created)
	u.ActivationPending = u.PasswordHash == ""
	return &u, nil
}

// UserByUsername returns an account for sign-in. ENOTFOUND when there is none.
func (s *Store) UserByUsername(ctx context.Context, username string) (*records.User, error) {
	return s.userWhere(ctx, "username = ?", strings.ToLower(strings.TrimSpace(username)))
}

// UserByID returns an account. ENOTFOUND when there is none.
func (s *Store) UserByID(ctx context.Context, id string) (*records.User, error) {
	return s.userWhere(ctx, "id = ?", id)
}

func (s *Store) userWhere(ctx context.Context, where string, arg any) (*records.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user")
	}
	if err != nil {
		return nil, internal("user", err)
	}
	return u, nil
}

// Users lists accounts for the admin, by username.
// EFORBIDDEN for other roles.
func (s *Store) Users(ctx context.Context, a records.Actor) ([]records.User, error) {
	if !listsAccounts(a) {
		return nil, forbidden("only admins and data officers list accounts")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, internal("users", err)
	}
	defer rows.Close()
	out := []records.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, internal("users", err)
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// SetUserDisabled disables or enables an account; disabling also revokes its
// refresh tokens. ENOTFOUND when there is no such user.
func (s *Store) SetUserDisabled(ctx context.Context, a records.Actor, userID string, disabled bool) error {
	if !administers(a) {
		return forbidden("only admins manage accounts")
	}
	return s.write(ctx, func(w *wtx) error {
		owner, err := w.accountOwner(userID)
		if err != nil {
			return err
		}
		if _, err := w.exec(`UPDATE users SET disabled = ? WHERE id = ?`, disabled, userID); err != nil {
			return internal("disable user", err)
		}
		action := records.ActionChange // enabled again
		if disabled {
			action = records.ActionRevoke
			if _, err := w.exec(`UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, ms(w.now), userID); err != nil {
				return internal("disable user", err)
			}
		}
		return w.record(adminEvent(a, owner.ClientID, records.KindAccount, []string{userID}, action))
	})
}

// SetPasswordHash replaces an account's password hash (a rehash after sign-in,
// or a reset by nabij's command line), and records it as a password change of
// the account (never the hash).
// Returns EINTERNAL when the write fails; an unknown user id changes nothing.
func (s *Store) SetPasswordHash(ctx context.Context, userID, hash string) error {
	return s.write(ctx, func(w *wtx) error {
		owner, err := w.accountOwner(userID)
		if records.ErrorCode(err) == records.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := w.exec(`UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID); err != nil {
			return internal("set password", err)
		}
		return w.record(ownAccountEvent(owner, records.KindPassword, records.ActionChange, records.OutcomeOK))
	})
}

// RecordSignIn writes the access record of a sign-in to an existing account:
// outcome ok, or denied for a wrong password or code. The record names the
// account and, for a client account, the client, so that the client sees
// sign-ins to their own account. It never holds the username typed, the
// password or the code. Returns EINTERNAL when the record cannot be written;
// an unknown user id writes nothing.
func (s *Store) RecordSignIn(ctx context.Context, userID string, ok bool, remote string) error {
	return s.write(ctx, func(w *wtx) error {
		owner, err := w.accountOwner(userID)
		if records.ErrorCode(err) == records.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		owner.Remote = remote
		outcome := records.OutcomeOK
		if !ok {
			outcome = records.OutcomeDenied
		}
		return w.record(ownAccountEvent(owner, records.KindSession, records.ActionSignIn, outcome))
	})
}

// RecordLogin notes a sign-in attempt: success clears the failure count; the
// lockAfter-th failure in a row locks the account until lockUntil.
// Returns EINTERNAL when the write fails; an unknown user id changes nothing.
func (s *Store) RecordLogin(ctx context.Context, userID string, ok bool, lockAfter int, lockFor time.Duration) error {
	return s.write(ctx, func(w *wtx) error {
		var err error
		if ok {
			_, err = w.exec(`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?`, userID)
		} else {
			_, err = w.exec(`UPDATE users SET failed_logins = failed_logins + 1,
				locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE id = ?`,
				lockAfter, ms(w.now.Add(lockFor)), userID)
		}
		if err != nil {
			return internal("record login", err)
		}
		return nil
	})
}

// putActivationCode stores the hash of an account's activation code, replacing
// any earlier one, valid for records.ActivationTTL.
func (w *wtx) putActivationCode(a records.Actor, userID string, codeHash []byte) error {
	_, err := w.exec(`INSERT INTO activation_codes (user_id, code_hash, issued_by, issued_at, expires_at) VALUES (?,?,?,?,?)
		ON CONFLICT(user_id) DO UPDATE SET code_hash = excluded.code_hash, issued_by = excluded.issued_by,
		issued_at = excluded.issued_at, expires_at = excluded.expires_at`,
		userID, codeHash, a.UserID, ms(w.now), ms(w.now.Add(records.ActivationTTL)))
	if err != nil {
		return internal("activation code", err)
	}
	return nil
}

// IssueActivationCode replaces the activation code of an account that has no
// password yet (codeHash is the code's hash; the code is never stored). Who
// may create the account may do this; an access record says so. ENOTFOUND
// when there is no such user, ECONFLICT when the account is activated
// already, EFORBIDDEN otherwise.
func (s *Store) IssueActivationCode(ctx context.Context, a records.Actor, userID string, codeHash []byte) error {
	if len(codeHash) == 0 {
		return invalid("code", "no activation code")
	}
	return s.write(ctx, func(w *wtx) error {
		var role, hash, clientID string
		err := w.queryRow(`SELECT role, password_hash, COALESCE(client_id, '') FROM users WHERE id = ?`, userID).Scan(&role, &hash, &clientID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user")
		}
		if err != nil {
			return internal("activation code", err)
		}
		e := entry{actor: a, clientID: clientID, kind: records.KindPassword, ids: []string{userID}, action: records.ActionCreate,
			purpose: records.PurposeAdministration, rule: records.RuleAdmin, outcome: records.OutcomeOK}
		switch {
		case a.IsSystem():
			e = entry{}
		case records.Role(role) == records.RoleClient:
			// A new code is a new key to the client's file: only their own
			// professional gives it, as for the account itself.
			if !isProfessional(a) {
				return w.deny(entry{actor: a, clientID: clientID, kind: records.KindPassword, ids: []string{userID},
					action: records.ActionCreate, purpose: purposeFor(a)}, "a client's activation code is given by a professional who follows the client")
			}
			g, err := w.authorize(a, clientID, records.PurposeCare, records.KindPassword, records.ActionCreate)
			if err != nil {
				return err
			}
			if err := w.noBreakGlass(g, records.KindPassword, []string{userID}, records.ActionCreate); err != nil {
				return err
			}
			e = g.entry(records.KindPassword, []string{userID}, records.ActionCreate)
		case records.Role(role) == records.RoleNetwork:
			// A network member's account reads a client's plan: only that
			// client gives access, by inviting; nobody else issues its code
			// (the client gives a new one with NewNetworkCode).
			var owner string
			_ = w.queryRow(`SELECT client_id FROM network_members WHERE user_id = ?`, userID).Scan(&owner)
			return w.deny(entry{actor: a, clientID: owner, kind: records.KindPassword, ids: []string{userID},
				action: records.ActionCreate, purpose: purposeFor(a)}, "a network member's access is given only by the client who invites them")
		case !administers(a):
			return w.deny(entry{actor: a, kind: records.KindPassword, ids: []string{userID}, action: records.ActionCreate, purpose: purposeFor(a)},
				"only admins manage staff accounts")
		}
		if hash != "" {
			return conflict("this account is activated already; its holder changes their own password")
		}
		if err := w.putActivationCode(a, userID, codeHash); err != nil {
			return err
		}
		if e.actor.UserID == "" {
			return nil
		}
		return w.record(e)
	})
}

// ActivateAccount sets the first password of username's account when codeHash
// matches its unused, unexpired activation code, and consumes the code; an
// access record (actor: the account itself, from remote) says so.
// ErrBadActivation for every refusal alike.
func (s *Store) ActivateAccount(ctx context.Context, remote, username string, codeHash []byte, passwordHash string) (*records.User, error) {
	if passwordHash == "" || len(codeHash) == 0 {
		return nil, records.ErrBadActivation
	}
	var out *records.User
	err := s.write(ctx, func(w *wtx) error {
		u, err := scanUser(w.queryRow(`SELECT `+userColumns+` FROM users WHERE username = ?`, strings.ToLower(strings.TrimSpace(username))))
		if errors.Is(err, sql.ErrNoRows) {
			return records.ErrBadActivation
		}
		if err != nil {
			return internal("activate", err)
		}
		var stored []byte
		var expires int64
		err = w.queryRow(`SELECT code_hash, expires_at FROM activation_codes WHERE user_id = ?`, u.ID).Scan(&stored, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return records.ErrBadActivation
		}
		if err != nil {
			return internal("activate", err)
		}
		if subtle.ConstantTimeCompare(stored, codeHash) != 1 || expires <= ms(w.now) || u.Disabled || u.PasswordHash != "" {
			return records.ErrBadActivation
		}
		if _, err := w.exec(`DELETE FROM activation_codes WHERE user_id = ?`, u.ID); err != nil {
			return internal("activate", err)
		}
		if _, err := w.exec(`UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`, passwordHash, u.ID); err != nil {
			return internal("activate", err)
		}
		u.PasswordHash, u.ActivationPending = passwordHash, false
		out = u
		self := records.Actor{UserID: u.ID, Role: u.Role, ClientID: u.ClientID, Remote: remote}
		return w.record(entry{actor: self, clientID: u.ClientID, kind: records.KindPassword, ids: []string{u.ID},
			action: records.ActionCreate, purpose: records.PurposeSecurity, rule: records.RuleOwnAccount, outcome: records.OutcomeOK})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ChangePassword replaces the actor's own password hash (the caller checked
// the current password) and revokes every refresh token of the account, so
// that other sessions end; an access record says so. ENOTFOUND when the
// account is gone.
func (s *Store) ChangePassword(ctx context.Context, a records.Actor, passwordHash string) error {
	if passwordHash == "" {
		return invalid("new_password", "a password is required")
	}
	if a.UserID == "" || a.IsSystem() {
		return forbidden("a password is changed by the person whose account it is")
	}
	return s.write(ctx, func(w *wtx) error {
		res, err := w.exec(`UPDATE users SET password_hash = ? WHERE id = ? AND password_hash != ''`, passwordHash, a.UserID)
		if err != nil {
			return internal("change password", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("user")
		}
		if _, err := w.exec(`UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, ms(w.now), a.UserID); err != nil {
			return internal("change password", err)
		}
		// Every session of the account ends too, so an access token taken
		// with the old password is refused at once, not when it expires.
		if _, err := w.exec(`UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL`, ms(w.now), a.UserID); err != nil {
			return internal("change password", err)
		}
		return w.record(entry{actor: a, clientID: a.ClientID, kind: records.KindPassword, ids: []string{a.UserID},
			action: records.ActionChange, purpose: records.PurposeSecurity, rule: records.RuleOwnAccount, outcome: records.OutcomeOK})
	})
}
