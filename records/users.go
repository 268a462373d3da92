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
	// ActivationPending: the account has no password yet; its holder sets one
	// with the activation code they were given.
	ActivationPending bool `json:"activation_pending"`
	// TeamLead: a professional an admin flagged as team lead, who sees the
	// blended-work report of their own teams (aggregated figures only).
	TeamLead bool `json:"team_lead"`
	// WorkContact is how a professional is reached at work (SetWorkContact).
	WorkContact string `json:"work_contact,omitempty"`
	// FailedLogins and LockedUntil drive the per-account lock-out.
	FailedLogins int        `json:"-"`
	LockedUntil  *time.Time `json:"-"`
}

// ActivationTTL is how long an activation code can be used.
const ActivationTTL = 14 * 24 * time.Hour

// NewUser is the input to CreateUser. An account starts without a password:
// ActivationCodeHash is the hash of the one-time code its holder uses to set
// their own, so nobody chooses another person's password. PasswordHash (a
// PHC string from crypto.HashPassword; records never sees a password) is for
// nabij itself only: the operator's first account and the demo logins.
// Exactly one of the two is set.
type NewUser struct {
	Username           string
	Role               Role
	DisplayName        string
	ClientID           string
	ActivationCodeHash []byte
	PasswordHash       string
}

// ErrBadActivation is returned by ActivateAccount for an unknown username, a
// wrong, used or expired code, or a disabled account alike, so that the
// answer tells nobody which accounts exist.
var ErrBadActivation = &Error{Code: ENOTFOUND, Message: "the username or activation code is wrong, used or expired"}

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
	if (in.PasswordHash == "") == (len(in.ActivationCodeHash) == 0) {
		return invalid("password", "an account starts with either an activation code or, for nabij itself, a password")
	}
	return nil
}
