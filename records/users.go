package records

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"
)

// User is an account. A client account is linked to its client; its display
// name is the client's name, which is sealed in the client's record, so the
// account itself holds none.
type User struct {
	ID           string    `json:"id"`
	Username     string    `json:"username"`
	Role         Role      `json:"role"`
	DisplayName  string    `json:"display_name,omitempty"`
	ClientID     string    `json:"client_id,omitempty"`
	Disabled     bool      `json:"disabled"`
	TOTPEnabled  bool      `json:"totp_enabled"`
	CreatedAt    time.Time `json:"created_at"`
	PasswordHash string    `json:"-"`
	// FailedLogins and LockedUntil drive the per-account lock-out.
	FailedLogins int        `json:"-"`
	LockedUntil  *time.Time `json:"-"`
}

// NewUser is the input to CreateUser. PasswordHash is a PHC string from
// crypto.HashPassword: records never sees a password.
type NewUser struct {
	Username     string
	Role         Role
	DisplayName  string
	PasswordHash string
	ClientID     string
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// CreateUser adds an account. Admins add staff accounts; a client account is
// added by a professional who follows the client (an access record says so), or
// by nabij itself. EINVALID for a bad username or role, ECONFLICT when the
// username is taken or the client has an account already, EFORBIDDEN otherwise.
func (s *Store) CreateUser(ctx context.Context, a Actor, in NewUser) (*User, error) {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if !usernameRE.MatchString(in.Username) {
		return nil, invalid("username", "username: 2 to 32 lower-case letters, digits, dots, dashes or underscores")
	}
	if !in.Role.Valid() {
		return nil, invalid("role", "role must be professional, client, data_officer or admin")
	}
	if (in.Role == RoleClient) != (in.ClientID != "") {
		return nil, invalid("client_id", "a client account, and only a client account, is linked to a client")
	}
	if in.Role == RoleClient {
		in.DisplayName = "" // the name lives sealed in the client record
	}
	if err := checkText("display_name", in.DisplayName, 100); err != nil {
		return nil, err
	}
	if in.PasswordHash == "" {
		return nil, invalid("password", "a password is required")
	}
	// A client account opens the client's file to whoever holds it, so only
	// someone who may read that file links it: the client's own professional
	// (recorded like any access) or nabij itself. Staff accounts are the admin's.
	switch {
	case a == System:
	case in.Role == RoleClient && a.Role != RoleProfessional:
		// An attempt at a key to someone's file is recorded against that client.
		return nil, s.write(ctx, func(w *wtx) error {
			return w.deny(entry{actor: a, clientID: in.ClientID, kind: "account", action: ActionCreate, purpose: purposeFor(a)},
				"a client account is made by a professional who follows the client")
		})
	case in.Role != RoleClient && a.Role != RoleAdmin:
		return nil, forbidden("only admins manage staff accounts")
	}
	u := &User{ID: newID(), Username: in.Username, Role: in.Role, DisplayName: in.DisplayName, ClientID: in.ClientID, PasswordHash: in.PasswordHash}
	err := s.write(ctx, func(w *wtx) error {
		var g grant
		if in.Role == RoleClient && a != System {
			var err error
			if g, err = w.authorize(a, in.ClientID, PurposeCare, "account", ActionCreate); err != nil {
				return err
			}
			if err := w.noBreakGlass(g, "account", nil, ActionCreate); err != nil {
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
		if g.actor.UserID != "" {
			return w.record(g.entry("account", []string{u.ID}, ActionCreate))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

const userColumns = `id, username, role, display_name, password_hash, COALESCE(client_id, ''), totp_enabled, disabled, failed_logins, locked_until, created_at`

func scanUser(sc interface{ Scan(...any) error }) (*User, error) {
	var u User
	var role string
	var locked sql.NullInt64
	var created int64
	if err := sc.Scan(&u.ID, &u.Username, &role, &u.DisplayName, &u.PasswordHash, &u.ClientID, &u.TOTPEnabled,
		&u.Disabled, &u.FailedLogins, &locked, &created); err != nil {
		return nil, err
	}
	u.Role, u.LockedUntil, u.CreatedAt = Role(role), fromNullMS(locked), fromMS(created)
	return &u, nil
}

// UserByUsername returns an account for sign-in. ENOTFOUND when there is none.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	return s.userWhere(ctx, "username = ?", strings.ToLower(strings.TrimSpace(username)))
}

// UserByID returns an account. ENOTFOUND when there is none.
func (s *Store) UserByID(ctx context.Context, id string) (*User, error) {
	return s.userWhere(ctx, "id = ?", id)
}

func (s *Store) userWhere(ctx context.Context, where string, arg any) (*User, error) {
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
func (s *Store) Users(ctx context.Context, a Actor) ([]User, error) {
	if a.Role != RoleAdmin && a.Role != RoleDataOfficer && a != System {
		return nil, forbidden("only admins and data officers list accounts")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, internal("users", err)
	}
	defer rows.Close()
	out := []User{}
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
func (s *Store) SetUserDisabled(ctx context.Context, a Actor, userID string, disabled bool) error {
	if a.Role != RoleAdmin && a != System {
		return forbidden("only admins manage accounts")
	}
	return s.write(ctx, func(w *wtx) error {
		res, err := w.exec(`UPDATE users SET disabled = ? WHERE id = ?`, disabled, userID)
		if err != nil {
			return internal("disable user", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("user")
		}
		if disabled {
			if _, err := w.exec(`UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, ms(w.now), userID); err != nil {
				return internal("disable user", err)
			}
		}
		return nil
	})
}

// SetPasswordHash replaces an account's password hash (a rehash after sign-in,
// or a reset by nabij's command line).
func (s *Store) SetPasswordHash(ctx context.Context, userID, hash string) error {
	return s.write(ctx, func(w *wtx) error {
		_, err := w.exec(`UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
		if err != nil {
			return internal("set password", err)
		}
		return nil
	})
}

// RecordLogin notes a sign-in attempt: success clears the failure count; the
// lockAfter-th failure in a row locks the account until lockUntil.
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
