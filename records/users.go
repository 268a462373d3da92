package records

import (
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

// Validate normalises the username and display name and checks the input;
// EINVALID names the field. A client account carries no display name: the
// client's name lives sealed in the client record.
func (in *NewUser) Validate() error {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if !usernameRE.MatchString(in.Username) {
		return invalid("username", "username: 2 to 32 lower-case letters, digits, dots, dashes or underscores")
	}
	if !in.Role.Valid() {
		return invalid("role", "role must be professional, client, data_officer or admin")
	}
	if (in.Role == RoleClient) != (in.ClientID != "") {
		return invalid("client_id", "a client account, and only a client account, is linked to a client")
	}
	if in.Role == RoleClient {
		in.DisplayName = "" // the name lives sealed in the client record
	}
	if err := CheckText("display_name", in.DisplayName, 100); err != nil {
		return err
	}
	if in.PasswordHash == "" {
		return invalid("password", "a password is required")
	}
	return nil
}
